"""The console's alert board: open alerts riskiest first, then those acknowledged in the last
day (awaiting or showing their outcome), and a cheap version stamp for the live page.

Open alerts are ordered by :func:`services.risk.risk_key` — the function that orders
``/patients`` — applied to each alert alone, so the board and the patient list always agree on
what is most urgent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Operator, Patient
from recovery import Level
from services.context import Services
from services.patients import procedure_reasons
from services.risk import RiskFacts, risk_key
from views.i18n import Translator, translator

__all__ = ["RECENT", "BoardAlert", "alert_board", "board_version"]

RECENT = timedelta(hours=24)  # acknowledged alerts stay on the board this long
RECENT_SHOWN = 50


@dataclass(frozen=True)
class BoardAlert:
    """One alert on the board (times are aware, UTC)."""

    alert_id: int
    patient_ref: str
    patient_name: str | None
    level: Level
    reasons: tuple[str, ...]
    created_at: datetime
    reports: int
    last_reported_at: datetime | None
    reminders: int
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    outcome: str | None
    outcome_by: str | None
    outcome_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Not yet acknowledged."""
        return self.acknowledged_at is None


async def alert_board(
    session: AsyncSession, services: Services, now: datetime, tr: Translator | None = None
) -> tuple[list[BoardAlert], list[BoardAlert]]:
    """The open alerts (riskiest first) and the recently acknowledged ones (latest first),
    their findings in ``tr``'s language (default: as stored, English)."""
    # each name by its key: a join made PostgreSQL hash every patient for a few alerts
    of_patient = Patient.id == Alert.patient_id
    patient_name = select(Patient.display_name).where(of_patient).scalar_subquery()
    procedure = select(Patient.procedure).where(of_patient).scalar_subquery()
    rows: list[tuple[Alert, str | None, str | None]] = []
    for part in (  # one index each (SQLite scanned every alert ever raised for the OR)
        Alert.status == AlertStatus.OPEN,
        and_(Alert.acknowledged_at >= now - RECENT, Alert.status != AlertStatus.OPEN),
    ):
        rows += (await session.execute(select(Alert, patient_name, procedure).where(part))).tuples()
    people = {a.acknowledged_by for a, _, _ in rows} | {a.outcome_by for a, _, _ in rows}
    names = await _operator_names(session, {p for p in people if p is not None})
    tr = tr or translator(None)
    board = [
        _board_alert(
            a,
            shown,
            names,
            procedure_reasons(operation, services.protocols, a.reasons, a.reason_texts, tr),
        )
        for a, shown, operation in rows
    ]
    open_ = sorted(
        (b for b in board if b.is_open),
        key=lambda b: (
            risk_key(RiskFacts(ref=b.patient_ref, open_alerts=((b.level, b.created_at),))),
            b.alert_id,
        ),
    )
    done = sorted(
        (b for b in board if not b.is_open),
        key=lambda b: (b.acknowledged_at, b.alert_id),
        reverse=True,
    )
    return open_, done[:RECENT_SHOWN]


async def board_version(session: AsyncSession, now: datetime) -> str:
    """A stamp that changes whenever the board would: an alert raised, reported again,
    reminded, acknowledged, or given an outcome while on the board.

    One statement of index lookups (the newest id, the open alerts, the latest
    acknowledgement, outcomes of the last day's acknowledged alerts), not an aggregate over
    every alert ever raised: the live page asks for it every second.
    """
    open_ = Alert.status == AlertStatus.OPEN
    recent = and_(Alert.acknowledged_at >= now - RECENT, Alert.status != AlertStatus.OPEN)
    parts = (
        select(func.max(Alert.id)),
        select(func.count()).where(open_),
        select(func.sum(Alert.report_count + Alert.escalation_count)).where(open_),
        select(func.max(Alert.acknowledged_at)),
        select(func.count(Alert.outcome_at)).where(recent),
        select(func.max(Alert.outcome_at)).where(recent),
    )
    row = (await session.execute(select(*(part.scalar_subquery() for part in parts)))).one()
    return "|".join(str(value) for value in row)


async def _operator_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Operator.telegram_user_id, Operator.display_name).where(
            Operator.telegram_user_id.in_(ids)
        )
    )
    return {user_id: name for user_id, name in rows.tuples() if name}


def _board_alert(
    alert: Alert, patient_name: str | None, names: dict[int, str], reasons: tuple[str, ...]
) -> BoardAlert:
    def name_of(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return names.get(user_id, f"operator {user_id}")

    return BoardAlert(
        alert_id=alert.id,
        patient_ref=Patient.ref_of(alert.patient_id),
        patient_name=patient_name,
        level=Level(alert.level),
        reasons=reasons,
        created_at=alert.created_at,
        reports=alert.report_count,
        last_reported_at=alert.last_reported_at,
        reminders=alert.escalation_count,
        acknowledged_by=name_of(alert.acknowledged_by) if alert.acknowledged_at else None,
        acknowledged_at=alert.acknowledged_at,
        outcome=alert.outcome,
        outcome_by=name_of(alert.outcome_by) if alert.outcome else None,
        outcome_at=alert.outcome_at,
    )
