"""Store which protocol file judged each check-in and alert (family, version, content hash).

Existing rows are backfilled from their patient's procedure with the family that covered it
when this migration was written (vertebroplasty and kyphoplasty: ``augmentation``; fusion:
``fusion``), version ``unknown`` and no hash (NULL): which file judged them was not recorded.
Family and version keep ``unknown`` as their server default, so a row written without
provenance says so.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("checkins", "alerts")
_FAMILY_OF_PROCEDURE = (
    "CASE (SELECT patients.procedure FROM patients WHERE patients.id = {table}.patient_id)"
    " WHEN 'vertebroplasty' THEN 'augmentation'"
    " WHEN 'kyphoplasty' THEN 'augmentation'"
    " WHEN 'fusion' THEN 'fusion'"
    " ELSE 'unknown' END"
)


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ("protocol_family", "protocol_version"):
                batch_op.add_column(
                    sa.Column(name, sa.String(length=32), server_default="unknown", nullable=False)
                )
            batch_op.add_column(sa.Column("protocol_hash", sa.String(length=64), nullable=True))
        op.execute(
            f"UPDATE {table} SET protocol_family = {_FAMILY_OF_PROCEDURE.format(table=table)}"  # noqa: S608 - constant table names
        )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild would drop and recreate
    # the table, and with foreign keys on, dropping checkins would cascade to its answers.
    for table in _TABLES:
        for name in ("protocol_hash", "protocol_version", "protocol_family"):
            op.drop_column(table, name)
