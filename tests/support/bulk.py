"""Many patients at once, for tests of a morning peak: one statement per few thousand rows."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as clock_time

from sqlalchemy import insert

from models import Patient, PatientStatus
from recovery import Procedure
from services.context import Services
from services.risk_summary import refresh_summaries

__all__ = ["add_due_patients", "due_patient_row"]

ROWS_PER_STATEMENT = 2_000


def due_patient_row(
    n: int, *, first_user: int, due: datetime, created: datetime
) -> dict[str, object]:
    """The ``n``-th of many active kyphoplasty patients (UTC, operated 27 Feb 2026), due at
    ``due`` (their check-in time is its time of day), as a row for a bulk insert."""
    return {
        "telegram_user_id": first_user + n,
        "chat_id": first_user + n,
        "status": PatientStatus.ACTIVE,
        "procedure": Procedure.KYPHOPLASTY,
        "surgery_date": date(2026, 2, 27),
        "in_hospital": False,
        "timezone": "UTC",
        "checkin_time": clock_time(due.hour, due.minute),
        "consent_at": created,
        "created_at": created,
        "updated_at": created,
        "next_checkin_at": due,
    }


async def add_due_patients(
    services: Services,
    count: int,
    *,
    due: datetime,
    first_user: int = 1_000_000,
    summaries: bool = True,
) -> None:
    """Add ``count`` active kyphoplasty patients (UTC, operated 27 Feb 2026) due at ``due``.

    Args:
        services: the service context.
        count: how many patients.
        due: their ``next_checkin_at`` (their check-in time is its time of day).
        first_user: the first Telegram user id (= chat id); the others follow.
        summaries: also build their risk summaries, as enrollment does (the e2e fixture
            compares every stored summary with a recomputation at the end).
    """
    now = services.now()

    def row(n: int) -> dict[str, object]:
        return due_patient_row(n, first_user=first_user, due=due, created=now)

    for start in range(0, count, ROWS_PER_STATEMENT):
        rows = [row(n) for n in range(start, min(count, start + ROWS_PER_STATEMENT))]
        async with services.session_factory.begin() as session:
            ids = (await session.scalars(insert(Patient).returning(Patient.id), rows)).all()
            if summaries:
                await refresh_summaries(session, ids, now)
