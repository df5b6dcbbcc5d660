"""The operators' alert queue (``/alerts``): open alerts, most severe first, then oldest.

The list is paged (:class:`~views.callbacks.PageCb`); each alert has an Acknowledge button
(:mod:`services.alerts.acknowledge`), and a press under the list shows it again without that alert.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Patient
from recovery import Level
from services.care_team.operators import answer_reviewer
from services.context import Services
from services.patients import patient_reasons
from views.care_team.alert_list import AlertLine, alerts_message
from views.care_team.common import PAGE_SIZE, page_slice
from views.i18n import Translator, translator
from views.message import Message

__all__ = ["ALERTS_LIST_PURPOSE", "alert_line", "alerts_page", "show_alerts", "shown_line"]

ALERTS_LIST_PURPOSE = "op_alerts"


async def show_alerts(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """``/alerts``: the open alerts, most severe first then oldest, with Acknowledge buttons.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.
        language_code: the sender's Telegram language (their replies' language until stored).

    Returns:
        False when refused (not an operator, or not a private or care-team chat).
    """
    return await answer_reviewer(
        services,
        user_id,
        chat_id,
        ALERTS_LIST_PURPOSE,
        lambda session, now, tr: alerts_page(session, services, 0, now, tr),
        language_code,
    )


async def alerts_page(
    session: AsyncSession,
    services: Services,
    page: int,
    now: datetime,
    tr: Translator | None = None,
) -> Message:
    """One page of the open alerts (worst first, then oldest), inside the caller's session.

    Args:
        session: the caller's session.
        services: the service context.
        page: the page wanted (clamped to the last one).
        now: the current time.
        tr: the reader's translator (default: ``CLINIC_LANGUAGE``).

    Returns:
        The rendered page.
    """
    tr = tr or translator(services.config.clinic_language)
    rows = (
        await session.execute(
            select(Alert, Patient)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(Alert.status == AlertStatus.OPEN)
        )
    ).all()
    lines = sorted(
        (shown_line(services, a, p, tr) for a, p in rows),
        key=lambda line: (-line.level.rank, line.created_at, line.alert_id),
    )
    shown, page, pages = page_slice(lines, page, PAGE_SIZE)
    return alerts_message(shown, tr, page=page, pages=pages, total=len(lines), now=now)


def shown_line(services: Services, alert: Alert, patient: Patient, tr: Translator) -> AlertLine:
    """An alert as a list line with its findings in ``tr``'s language."""
    reasons = patient_reasons(patient, services.protocols, alert.reasons, alert.reason_texts, tr)
    return alert_line(alert, patient, reasons)


def alert_line(alert: Alert, patient: Patient, reasons: tuple[str, ...] | None = None) -> AlertLine:
    """An open alert as operators see it in lists.

    Args:
        alert: the alert.
        patient: its patient.
        reasons: its findings as shown (None: the stored English texts).

    Returns:
        The line to render.
    """
    return AlertLine(
        alert.id,
        patient.ref,
        patient.display_name,
        Level(alert.level),
        tuple(alert.reason_texts) if reasons is None else reasons,
        alert.created_at,
        alert.escalation_count,
    )
