"""Patients by risk, a page at a time, from their stored risk summaries.

Every operator list (``/patients`` in Telegram, the web console) reads the summaries
(:mod:`services.risk_summary`) in their stored risk order, which an index holds, and pages
with a keyset cursor: a page costs the same however many patients and check-ins there are.
The cursor names a position in the order (tier, the time of the oldest unhandled item, named
or not, the patient id), never a name: it travels in URLs and buttons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, literal, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, CheckInStatus, Patient, PatientStatus, RiskSummary
from recovery import Level, Procedure
from services.context import Services
from services.patients import patient_day
from services.risk import RiskTier
from views.care_team.common import parse_ref

__all__ = ["PatientRow", "PatientRows", "decode_cursor", "patient_rows", "ranked_rows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"([0-6])\.([0-9a-f]{1,16})\.([01])\.([0-9a-f]{1,8})")
_MAX_ID = 2**31 - 1
MAX_LIMIT = 200
COMPLETION_DAYS = 7
SHORT_SEARCH = 3  # a name search this long or longer reads the name index
_ORDER = (
    RiskSummary.tier,
    RiskSummary.tier_since,
    RiskSummary.unnamed,
    RiskSummary.name_key,
    RiskSummary.patient_id,
)
Key = tuple[int, datetime, bool, str, int]


@dataclass(frozen=True)
class PatientRow:
    """One patient in a risk-ordered list.

    ``completion_7d`` is completed / due check-ins over the 7 days before today (None when
    none was due, or when not asked for); ``pain`` the last scores of two weeks, oldest first;
    ``cursor`` the position just after this row (for ``after``).
    """

    ref: str
    name: str | None
    procedure: str | None
    status: str
    post_op_day: int | None
    last_checkin_at: datetime | None
    completion_7d: float | None
    open_alerts: int
    worst_level: Level | None
    tier: RiskTier
    pain: tuple[int, ...] = ()
    missed_7d: int = 0
    cursor: str = ""


@dataclass(frozen=True)
class PatientRows:
    """One page of patients, riskiest first, and the cursor of the next page (None: last)."""

    rows: list[PatientRow]
    next_cursor: str | None


async def patient_rows(
    session: AsyncSession,
    services: Services,
    now: datetime,
    *,
    search: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> PatientRows:
    """A page of patients by risk, for the care team's console (reads only).

    Without ``status``: the patients of ``/patients`` (active, paused, or with an open alert).

    Args:
        session: the caller's session.
        services: the service context.
        now: the current time (post-operative days, the completion window).
        search: a reference (``P-0042``, ``42``) or the start of a name, any case.
        procedure: only this procedure (a ``recovery.Procedure`` value).
        status: only this status (a ``models.PatientStatus`` value).
        after: the ``next_cursor`` of the previous page.
        limit: patients per page (1 to 200).

    Returns:
        The rows and the next page's cursor.

    Raises:
        ValueError: a forged or malformed cursor, an unknown procedure or status, or a limit
            out of range.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1 to {MAX_LIMIT}")
    where = [_status_filter(status)]
    if procedure is not None:
        where.append(RiskSummary.procedure == Procedure(procedure))
    if search is not None and search.strip():
        where.append(_search_filter(search))
    position = await decode_cursor(session, after) if after is not None else None
    rows = await ranked_rows(
        session, services, now, where, after=position, limit=limit + 1, completion=True
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return PatientRows(rows, rows[-1].cursor if more and rows else None)


async def ranked_rows(
    session: AsyncSession,
    services: Services,
    now: datetime,
    where: Sequence[ColumnElement[bool]],
    *,
    after: Key | None = None,
    before: Key | None = None,
    limit: int,
    completion: bool = False,
) -> list[PatientRow]:
    """Up to ``limit`` summaries matching ``where`` in risk order, after (or, going back,
    just before) a position; always returned riskiest first."""
    stmt = (
        select(RiskSummary, Patient)
        .join(Patient, Patient.id == RiskSummary.patient_id)
        .where(*where)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(*_ORDER) > _position(after))
    if before is not None:
        stmt = stmt.where(tuple_(*_ORDER) < _position(before))
        stmt = stmt.order_by(*(column.desc() for column in _ORDER))
    else:
        stmt = stmt.order_by(*_ORDER)
    found = list((await session.execute(stmt)).tuples())
    if before is not None:
        found.reverse()
    done = await _completion(session, [p.id for _, p in found], now) if completion else {}
    return [_row(summary, patient, now, done.get(patient.id)) for summary, patient in found]


async def decode_cursor(session: AsyncSession, cursor: str) -> Key:
    """The position a cursor names (the name part read from that patient's summary).

    Raises:
        ValueError: not a cursor this module wrote.
    """
    match = _CURSOR.fullmatch(cursor)
    if match is None:
        raise ValueError("malformed cursor")
    tier, micros, unnamed, patient_id = match.groups()
    try:
        since = _EPOCH + timedelta(microseconds=int(micros, 16))
    except OverflowError as exc:
        raise ValueError("malformed cursor") from exc
    pid = int(patient_id, 16)
    if not 0 < pid <= _MAX_ID:
        raise ValueError("malformed cursor")
    name = ""
    if unnamed == "0":  # a patient renamed or erased since: the start of their group
        stored = await session.scalar(
            select(RiskSummary.name_key).where(RiskSummary.patient_id == pid)
        )
        name = stored or ""
    return int(tier), since, unnamed == "1", name, pid


def encode_cursor(summary: RiskSummary) -> str:
    """The cursor of the position just after this summary's row."""
    micros = (summary.tier_since - _EPOCH) // timedelta(microseconds=1)
    return f"{summary.tier}.{micros:x}.{int(summary.unnamed)}.{summary.patient_id:x}"


def _position(key: Key) -> ColumnElement[tuple[object, ...]]:
    return tuple_(*(literal(value, column.type) for value, column in zip(key, _ORDER, strict=True)))


def _status_filter(status: str | None) -> ColumnElement[bool]:
    if status is None:
        return RiskSummary.listed == true()
    return RiskSummary.status == PatientStatus(status)


def _search_filter(search: str) -> ColumnElement[bool]:
    """A reference, or the start of a name.

    From 3 characters on, a range of the name index (few names start so, sorted after);
    shorter, a filter on the list read in risk order (many do, so a page fills quickly).
    """
    text = search.strip().casefold()[:64]
    if len(text) >= SHORT_SEARCH:
        prefix = and_(RiskSummary.name_key >= text, RiskSummary.name_key < _successor(text))
    else:
        prefix = func.substr(RiskSummary.name_key, 1, len(text)) == text
    patient_id = parse_ref(text)
    if patient_id is None:
        return prefix
    return or_(RiskSummary.patient_id == patient_id, prefix)


def _successor(text: str) -> str:
    """The least string after every string that starts with ``text``."""
    last = ord(text[-1])
    if last >= 0x10FFFF:
        return text + "\U0010ffff"
    return text[:-1] + chr(last + 1)


async def _completion(
    session: AsyncSession, patient_ids: list[int], now: datetime
) -> dict[int, float]:
    """Completed / due check-ins of these patients over the 7 local days before today."""
    if not patient_ids:
        return {}
    today = now.date()
    rows = await session.execute(
        select(CheckIn.patient_id, CheckIn.status).where(
            CheckIn.patient_id.in_(patient_ids),
            CheckIn.local_date.between(
                today - timedelta(days=COMPLETION_DAYS), today - timedelta(days=1)
            ),
        )
    )
    due: dict[int, list[bool]] = {}
    for patient_id, status in rows:
        due.setdefault(patient_id, []).append(status == CheckInStatus.COMPLETED)
    return {pid: sum(done) / len(done) for pid, done in due.items()}


def _row(
    summary: RiskSummary, patient: Patient, now: datetime, completion: float | None
) -> PatientRow:
    return PatientRow(
        ref=patient.ref,
        name=patient.display_name,
        procedure=None if patient.procedure is None else str(patient.procedure),
        status=str(patient.status),
        post_op_day=patient_day(patient, now) if patient.surgery_date else None,
        last_checkin_at=summary.last_checkin_at,
        completion_7d=completion,
        open_alerts=summary.open_alerts,
        worst_level=summary.worst_level,
        tier=RiskTier(summary.tier),
        pain=tuple(int(s) for s in summary.pain_scores.split(",") if s),
        missed_7d=summary.missed_7d,
        cursor=encode_cursor(summary),
    )
