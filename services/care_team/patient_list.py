"""The operators' patient list (``/patients``): active patients ordered by risk.

Ordered by :func:`services.risk.risk_key` (open emergency, open urgent, attention to review,
2+ missed in a row, unreachable, worsening pain, others; oldest unhandled first), read a page
at a time from the stored risk summaries (:mod:`.patient_rows`). The Prev/Next buttons
(:class:`~views.callbacks.PageCb`) carry the page number shown and the position of the
page's first or last patient, so a page turn reads one page, however long the list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import true
from sqlalchemy.ext.asyncio import AsyncSession

from models import RiskSummary
from services.care_team.operators import answer_reviewer
from services.care_team.patient_rows import PatientRow, decode_cursor, ranked_rows
from services.context import Services
from views.care_team.common import NO_ARG, PAGE_SIZE
from views.care_team.patient_list import PatientLine, patients_message
from views.i18n import Translator, translator
from views.message import Message

__all__ = ["NEXT", "PREV", "patients_page", "show_patients"]

NEXT, PREV = "n", "p"  # a PageCb argument: the page after, or before, a position
_LISTED = (RiskSummary.listed == true(),)


async def show_patients(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """``/patients``: active patients ordered by risk (alerts, rising pain, missed check-ins).

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.
        language_code: the sender's Telegram language (their replies' language until stored).

    Returns:
        False when refused.
    """
    return await answer_reviewer(
        services,
        user_id,
        chat_id,
        "op_patients",
        lambda session, now, tr: patients_page(session, services, 0, NO_ARG, now, tr),
        language_code,
    )


async def patients_page(
    session: AsyncSession,
    services: Services,
    page: int,
    arg: str,
    now: datetime,
    tr: Translator | None = None,
) -> Message:
    """One page of the patients by risk, inside the caller's session.

    Active and paused patients and anyone with an open alert, riskiest first.

    Args:
        session: the caller's session (reads only).
        services: the service context.
        page: the number of the page asked for, from 0 (shown; the position decides).
        arg: ``-`` for the first page, or ``n``/``p`` and a cursor: the page after or before
            that position (a stale or malformed one shows the first page).
        now: the current time (each patient's day).
        tr: the reader's translator (default: ``CLINIC_LANGUAGE``).

    Returns:
        The rendered page, with a button per patient and Prev/Next buttons.
    """
    rows: list[PatientRow] = []
    more_after = False
    try:
        position = await decode_cursor(session, arg[1:]) if arg[:1] in (NEXT, PREV) else None
    except ValueError:
        position = None
    if position is not None and arg[0] == PREV:
        rows = await ranked_rows(
            session, services, now, _LISTED, before=position, limit=PAGE_SIZE + 1
        )
        if len(rows) > PAGE_SIZE:
            rows, page, more_after = rows[1:], max(1, page), True
        else:
            position, rows = None, []  # back at the start
    elif position is not None:
        rows = await ranked_rows(
            session, services, now, _LISTED, after=position, limit=PAGE_SIZE + 1
        )
        more_after = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        if not rows:
            position = None  # past the end (the list got shorter): the first page
    if position is None:
        page = 0
        rows = await ranked_rows(session, services, now, _LISTED, limit=PAGE_SIZE + 1)
        more_after = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
    return patients_message(
        [_line(row) for row in rows],
        tr or translator(services.config.clinic_language),
        page=page,
        prev_arg=PREV + rows[0].cursor if page > 0 and rows else None,
        next_arg=NEXT + rows[-1].cursor if more_after else None,
    )


def _line(row: PatientRow) -> PatientLine:
    return PatientLine(
        ref=row.ref,
        name=row.name,
        procedure=row.procedure,
        day=row.post_op_day,
        status=row.status,
        open_alerts=row.open_alerts,
        worst=row.worst_level,
        pain=row.pain,
        missed=row.missed_7d,
    )
