"""Index what the console's pages look up per patient, and the alert board's last day.

Without these a patient's record read the whole audit trail twice (its views, newest first,
and who acknowledged its alerts) and every caregiver link; the trail grows with every page
view of every patient, so the record got slower with use. The alert board's "acknowledged
in the last day" read every alert ever raised.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("audit_events", "ix_audit_events_patient_ref_at", ["patient_ref", "at", "id"]),
    ("care_links", "ix_care_links_patient_id", ["patient_id"]),
    ("alerts", "ix_alerts_acknowledged_at", ["acknowledged_at"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _columns in INDEXES:
        op.drop_index(name, table_name=table)
