"""Remember chats where alerts could not be delivered (the care-team chat, operators).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_reach",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("failed_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_alert_reach")),
    )


def downgrade() -> None:
    op.drop_table("alert_reach")
