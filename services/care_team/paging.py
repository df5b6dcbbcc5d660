"""Paging buttons under the operators' lists: a page turn edits the message in place."""

from __future__ import annotations

from services.care_team.alert_list import alerts_page
from services.care_team.operators import check_operator, may_review_here, reviewer_translator
from services.care_team.patient_detail import patient_page
from services.care_team.patient_list import patients_page
from services.context import Services
from services.outbox import enqueue_edit
from views import texts
from views.callbacks import PageCb, PageView
from views.care_team import common as views
from views.i18n import translator

__all__ = ["turn_page"]


async def turn_page(
    services: Services,
    user_id: int,
    chat_id: int,
    message_id: int,
    data: PageCb,
    language_code: str | None = None,
) -> str | None:
    """A paging button: edit the message to show the requested page.

    Args:
        services: the service context.
        user_id: who pressed.
        chat_id: the chat of the message.
        message_id: the message to edit.
        data: the decoded button.
        language_code: the presser's Telegram language (see ``operator_language``).

    Returns:
        None when the page is shown; a refusal notice otherwise (nothing changes).
    """
    now = services.now()
    page = max(0, data.page)
    async with services.transaction() as session:
        if not await check_operator(session, services, user_id) or not may_review_here(
            services, user_id, chat_id
        ):
            return translator(language_code).gettext(views.NOT_OPERATOR)
        tr = await reviewer_translator(session, services, user_id, chat_id, language_code)
        if data.view == PageView.ALERTS:
            message = await alerts_page(session, services, page, now, tr)
        elif data.view == PageView.PATIENTS:
            message = await patients_page(session, services, page, data.arg, now, tr)
        elif data.view == PageView.PATIENT:
            message = await patient_page(session, services, user_id, data.arg, page, now, tr)
        else:
            return texts.STALE_BUTTON
        enqueue_edit(session, chat_id, message_id, message, now=now, purpose="op_page")
        return None
