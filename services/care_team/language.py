"""An operator's own language: ``/language`` and its buttons (:mod:`views.care_team.language`).

An operator of the operators table keeps their choice in ``Operator.language`` (set from their
Telegram app on their first command, see :func:`.operators.operator_language`). An operator
only in ``OPERATOR_IDS`` has no row and gets none: their replies follow their Telegram app.
"""

from __future__ import annotations

from sqlalchemy import select

from models import Operator
from services.care_team.operators import check_operator, operator_language, refuse_command
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from views.care_team import common
from views.care_team import language as views
from views.i18n import SUPPORTED, translator

__all__ = ["choose_language", "show_language_choice"]


async def show_language_choice(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """``/language`` in an operator's private chat: the language buttons.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where they asked (only their private chat; elsewhere, like an unknown command).
        language_code: their Telegram language.

    Returns:
        False when refused (not an operator, or not their private chat).
    """
    now = services.now()
    async with services.transaction() as session:
        if chat_id != user_id or not await check_operator(session, services, user_id):
            await refuse_command(session, user_id, chat_id, now, language_code)
            return False
        tr = translator(await operator_language(session, user_id, language_code))
        row = await session.scalar(select(Operator).where(Operator.telegram_user_id == user_id))
        shown = views.language_choice(tr) if row else views.language_follows_telegram(user_id, tr)
        enqueue(session, chat_id, shown, now=now, purpose="op_language")
        return True


async def choose_language(
    services: Services,
    user_id: int,
    chat_id: int,
    message_id: int,
    data: views.OperatorLanguageCb,
    language_code: str | None = None,
) -> str | None:
    """A language button: store the operator's choice and confirm in the new language.

    Returns:
        None when stored; a refusal notice otherwise (nothing changes).
    """
    now = services.now()
    async with services.transaction() as session:
        row = await session.scalar(select(Operator).where(Operator.telegram_user_id == user_id))
        if row is None or data.language not in SUPPORTED:
            return translator(language_code).gettext(common.NOT_OPERATOR)
        row.language = data.language
        done = views.language_saved(translator(data.language))
        enqueue_edit(session, chat_id, message_id, done, now=now, purpose="op_language")
        return None
