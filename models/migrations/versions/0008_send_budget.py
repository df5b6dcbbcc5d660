"""One send budget for every instance: the overall cell rate and each chat's next slot.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tat", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_budget")),
    )
    op.create_table(
        "chat_budget",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("next_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_chat_budget")),
    )
    op.create_index(op.f("ix_chat_budget_next_at"), "chat_budget", ["next_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_chat_budget_next_at"), table_name="chat_budget")
    op.drop_table("chat_budget")
    op.drop_table("send_budget")
