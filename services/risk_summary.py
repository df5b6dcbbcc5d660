"""Each patient's risk summary, kept current in the transaction of every change to it.

The operators' lists (``/patients``, the digest, the web console) read one row per patient
(:class:`models.RiskSummary`) instead of every patient's alerts and check-ins. A use case that
changes what the row says (an answer, a missed mark, an alert raised, updated, acknowledged
or re-opened, a status or name change, a message refused for good, a patient writing again)
calls :func:`note_change`; just before that transaction commits, the noted patients' rows
are recomputed from each patient's own recent rows (:func:`refresh_summary`: a few indexed
queries, bounded by two weeks of one patient's check-ins, whatever the history). The rows are
locked first, in patient order, as the transaction's last locks: two transactions changing
one patient refresh one after the other, and the later one reads what the earlier committed.

Facts kept over a window (missed check-ins in 7 days, pain scores in 14) also change as days
pass: ``refresh_at`` is when the next one leaves its window, and :func:`refresh_aged` (a sweep)
recomputes those rows, and the rows a migration created (due at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from models import (
    Patient,
    PatientStatus,
    RiskSummary,
)
from services.context import Services
from services.risk import RiskFacts, risk_order
from services.risk_facts import Facts, summary_facts
from services.risk_inputs import last_completions, open_alerts, recent_days

__all__ = [
    "BATCH",
    "note_change",
    "refresh_aged",
    "refresh_summaries",
    "refresh_summary",
]

BATCH = 500  # patients refreshed per transaction by the sweep
LISTED_STATUSES = (PatientStatus.ACTIVE, PatientStatus.PAUSED)  # and anyone with an open alert
_PENDING = "risk_summary_pending"  # session.info: patient id -> the latest time noted
_HOOKED = "risk_summary_hooked"
_FACTS = (
    "status",
    "procedure",
    "listed",
    "tier",
    "tier_since",
    "unnamed",
    "name_key",
    "open_alerts",
    "worst_level",
    "oldest_alert_at",
    "pain_scores",
    "pain_worsening",
    "missed_streak",
    "missed_since",
    "missed_7d",
    "last_checkin_at",
    "unreachable_since",
    "refresh_at",
)


def note_change(session: AsyncSession, patient_id: int, now: datetime) -> None:
    """Have the patient's summary recomputed just before this transaction commits.

    Cheap and idempotent: call it wherever a patient's alerts, check-ins, status, name or
    reach change; a patient noted several times is refreshed once. A transaction that rolls
    back forgets its notes.

    Args:
        session: the transaction's session.
        patient_id: whose summary.
        now: the current time (the windows are counted back from its date).
    """
    sync = session.sync_session
    pending: dict[int, datetime] = sync.info.setdefault(_PENDING, {})
    pending[patient_id] = max(now, pending.get(patient_id, now))
    if not sync.info.get(_HOOKED):
        sync.info[_HOOKED] = True
        event.listen(sync, "before_commit", _refresh_pending)
        event.listen(sync, "after_rollback", _forget_pending)


async def refresh_summary(session: AsyncSession, patient_id: int, now: datetime) -> None:
    """Recompute one patient's summary now, in the caller's transaction.

    Args:
        session: the caller's session.
        patient_id: whose summary (a patient who no longer exists loses theirs).
        now: the current time.
    """
    await session.run_sync(_refresh, [patient_id], now)


async def refresh_summaries(
    session: AsyncSession, patient_ids: Sequence[int], now: datetime
) -> None:
    """Recompute the summaries of several patients at once (batched queries).

    Args:
        session: the caller's session.
        patient_ids: whose summaries.
        now: the current time.
    """
    await session.run_sync(_refresh, patient_ids, now)


async def refresh_aged(services: Services) -> int:
    """Sweep: recompute the summaries whose windowed facts changed with the date.

    Also builds the rows a migration left due. Rows locked by another instance are skipped
    (it refreshes them); each refresh moves ``refresh_at`` past today, so the sweep ends.

    Args:
        services: the service context.

    Returns:
        How many summaries were recomputed.
    """
    handled = 0
    while True:
        now = services.now()
        async with services.transaction() as session:
            ids = (
                await session.scalars(
                    select(RiskSummary.patient_id)
                    .where(RiskSummary.refresh_at <= now)
                    .order_by(RiskSummary.patient_id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            await refresh_summaries(session, ids, now)
        handled += len(ids)
        if len(ids) < BATCH:
            return handled


def _refresh_pending(session: Session) -> None:
    pending: dict[int, datetime] = session.info.pop(_PENDING, {})
    if pending:
        _refresh(session, list(pending), max(pending.values()))


def _forget_pending(session: Session, *_: object) -> None:
    session.info.pop(_PENDING, None)


def _refresh(session: Session, patient_ids: Sequence[int], now: datetime) -> None:
    """Lock, recompute and store the summaries of ``patient_ids`` (sync: runs in the greenlet).

    Unchanged rows are not written; the others go in one statement each for inserts, updates
    and deletes (executemany), so a batch of patients costs a handful of round trips.
    """
    ids = sorted(set(patient_ids))
    if not ids:
        return
    stored = {
        row.patient_id: row
        for row in session.execute(
            select(RiskSummary.patient_id, *(getattr(RiskSummary, name) for name in _FACTS))
            .where(RiskSummary.patient_id.in_(ids))
            .order_by(RiskSummary.patient_id)
            .with_for_update()
        )
    }
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
    found = sorted(patients)
    alerts = open_alerts(session, found)
    days = recent_days(session, found, now.date())
    last = last_completions(session, found)
    new, changed = [], []
    for patient_id in found:
        facts = summary_facts(alerts.get(patient_id, []), days.get(patient_id, []), now.date())
        values = _values(patients[patient_id], facts, last.get(patient_id))
        row = stored.get(patient_id)
        if row is None:
            new.append({"patient_id": patient_id, "updated_at": now, **values})
        elif any(getattr(row, name) != value for name, value in values.items()):
            changed.append({"patient_id": patient_id, "updated_at": now, **values})
    if new:
        session.execute(insert(RiskSummary), new)
    if changed:
        session.execute(update(RiskSummary), changed)  # by primary key, executemany
    gone = [patient_id for patient_id in stored if patient_id not in patients]
    if gone:  # erased (the foreign key's cascade has usually removed them already)
        session.execute(delete(RiskSummary).where(RiskSummary.patient_id.in_(gone)))


def _values(patient: Patient, facts: Facts, last_checkin_at: datetime | None) -> dict[str, Any]:
    """The stored values of one summary (the sort columns from :func:`risk_order`)."""
    order = risk_order(
        RiskFacts(
            ref=patient.ref,
            name=patient.display_name,
            open_alerts=facts.open_alerts,
            missed_streak=facts.missed_streak,
            missed_since=facts.missed_since,
            unreachable_since=patient.unreachable_since,
            pain_worsening=facts.pain_worsening,
        )
    )
    return {
        "status": patient.status,
        "procedure": patient.procedure,
        "listed": patient.status in LISTED_STATUSES or bool(facts.open_alerts),
        "tier": int(order.tier),
        "tier_since": order.since,
        "unnamed": order.unnamed,
        "name_key": order.name_key,
        "open_alerts": len(facts.open_alerts),
        "worst_level": facts.worst_level,
        "oldest_alert_at": facts.oldest_alert_at,
        "pain_scores": ",".join(str(score) for score in facts.pain_scores),
        "pain_worsening": facts.pain_worsening,
        "missed_streak": facts.missed_streak,
        "missed_since": facts.missed_since,
        "missed_7d": facts.missed_7d,
        "last_checkin_at": last_checkin_at,
        "unreachable_since": patient.unreachable_since,
        "refresh_at": _midnight(facts.refresh_on),
    }


def _midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), UTC)
