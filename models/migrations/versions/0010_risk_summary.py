"""Each patient's risk summary (issue #19): one row per patient, read by the operators' lists.

Builds a row for every existing patient, in batches of patient ids, marked due for a refresh
(``refresh_at`` in the past): the application computes their facts with the same code that
keeps them current (``services.risk_summary.refresh_aged``, run by ``checkin-bot db upgrade``
and at start before updates are taken), so the facts have one definition.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000
ORDER = ["tier", "tier_since", "unnamed", "name_key", "patient_id"]
NO_TIME = datetime.max.replace(tzinfo=UTC)  # services.risk.NO_TIME
DUE = datetime(1970, 1, 1, tzinfo=UTC)
OTHER = 6  # services.risk.RiskTier.OTHER, until the refresh computes the tier
STATUSES = ("enrolling", "active", "paused", "finished", "withdrawn")
PROCEDURES = ("vertebroplasty", "kyphoplasty", "fusion")
LEVELS = ("ok", "attention", "urgent", "emergency")


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    stamp = models.base.UtcDateTime(timezone=True)
    op.create_table(
        "risk_summaries",
        sa.Column("patient_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", _enum(*STATUSES, name="patientstatus"), nullable=False),
        sa.Column("procedure", _enum(*PROCEDURES, name="procedure"), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.SmallInteger(), nullable=False),
        sa.Column("tier_since", stamp, nullable=False),
        sa.Column("unnamed", sa.Boolean(), nullable=False),
        sa.Column(
            "name_key",
            sa.String(length=192).with_variant(
                sa.String(length=192, collation="C"), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("open_alerts", sa.Integer(), nullable=False),
        sa.Column("worst_level", _enum(*LEVELS, name="level"), nullable=True),
        sa.Column("oldest_alert_at", stamp, nullable=True),
        sa.Column("pain_scores", sa.String(length=40), nullable=False),
        sa.Column("pain_worsening", sa.Boolean(), nullable=False),
        sa.Column("missed_streak", sa.Integer(), nullable=False),
        sa.Column("missed_since", stamp, nullable=True),
        sa.Column("missed_7d", sa.Integer(), nullable=False),
        sa.Column("last_checkin_at", stamp, nullable=True),
        sa.Column("unreachable_since", stamp, nullable=True),
        sa.Column("refresh_at", stamp, nullable=True),
        sa.Column("updated_at", stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_risk_summaries_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_risk_summaries")),
    )
    op.create_index("ix_risk_summaries_listed_order", "risk_summaries", ["listed", *ORDER])
    op.create_index("ix_risk_summaries_status_order", "risk_summaries", ["status", *ORDER])
    op.create_index("ix_risk_summaries_name_key", "risk_summaries", ["name_key"])
    op.create_index("ix_risk_summaries_refresh_at", "risk_summaries", ["refresh_at"])
    op.create_index("ix_alerts_patient_id_status", "alerts", ["patient_id", "status"])
    _rows_for_existing_patients(stamp)


def _rows_for_existing_patients(stamp: sa.types.TypeEngine[datetime]) -> None:
    """One row per patient, due for a refresh, inserted BATCH patient ids at a time."""
    connection = op.get_bind()
    top = connection.execute(sa.text("SELECT max(id) FROM patients")).scalar()
    insert = sa.text(
        "INSERT INTO risk_summaries (patient_id, status, procedure, listed, tier, tier_since,"
        " unnamed, name_key, open_alerts, pain_scores, pain_worsening, missed_streak,"
        " missed_7d, unreachable_since, refresh_at, updated_at)"
        " SELECT id, status, procedure, status IN ('active', 'paused'), :tier, :never,"
        " display_name IS NULL, '', 0, '', :no, 0, 0, unreachable_since, :due, :due"
        " FROM patients WHERE id > :low AND id <= :high"
    ).bindparams(
        sa.bindparam("never", type_=stamp),
        sa.bindparam("due", type_=stamp),
        sa.bindparam("no", type_=sa.Boolean()),
    )
    for low in range(0, top or 0, BATCH):
        connection.execute(
            insert,
            {"tier": OTHER, "never": NO_TIME, "due": DUE, "no": False, "low": low}
            | {"high": low + BATCH},
        )


def downgrade() -> None:
    op.drop_index("ix_alerts_patient_id_status", table_name="alerts")
    op.drop_table("risk_summaries")
