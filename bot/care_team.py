"""The care team: /alerts, /patients, /patient REF, /export, /dashboard (the console's sign-in
link), /language (an operator's own), Acknowledge, outcome, paging and language buttons.

Commands work in an operator's private chat and in the care-team chat; the services check the
role and answer anyone else like an unknown command. Each passes the sender's Telegram
language: replies in a private chat are in the operator's own language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import for_sender
from bot.common import answers_callback, notify, press_of
from bot.context import Context
from services import console
from services.alerts import acknowledge, outcomes
from services.care_team import alert_list, language, paging, patient_detail, patient_list
from services.context import Services
from services.export import write
from views.callbacks import AckCb, OutcomeCb, PageCb
from views.care_team.language import OperatorLanguageCb

__all__ = ["handlers"]

ReviewCase = Callable[[Services, int, int, str | None], Awaitable[object]]
"""A review use case: ``(services, user_id, chat_id, language_code)``."""


def for_reviewer(
    event: str, use_case: ReviewCase
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """The handler ``on_<event>``: the use case for the sender, with their Telegram language."""

    async def handler(update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is not None and chat is not None:
            await use_case(context.bot_data.services, user.id, chat.id, user.language_code)

    handler.__name__ = handler.__qualname__ = f"on_{event}"
    handler.__doc__ = f"Run {use_case.__name__} for the sender, in their language."
    return handler


async def on_patient(update: Update, context: Context) -> None:
    """Show one patient: ``/patient P-0042``."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        ref = " ".join(context.args or [])
        services = context.bot_data.services
        await patient_detail.show_patient(services, user.id, chat.id, ref, user.language_code)


@answers_callback
async def on_acknowledge(update: Update, context: Context) -> None:
    """An operator acknowledges an alert; everyone else gets a refusal notice."""
    if press := press_of(update):
        notice = await acknowledge.acknowledge_alert(
            context.bot_data.services,
            press.user_id,
            press.user_name,
            AckCb.unpack(press.data),
            pressed=(press.chat_id, press.message_id),
            language_code=press.language_code or "",
        )
        notify(context, notice)


@answers_callback
async def on_outcome(update: Update, context: Context) -> None:
    """An operator records what was done about an acknowledged alert."""
    if press := press_of(update):
        data = OutcomeCb.unpack(press.data)
        notify(
            context,
            await outcomes.record_outcome(
                context.bot_data.services,
                press.user_id,
                press.user_name,
                data,
                press.language_code or "",
            ),
        )


@answers_callback
async def on_page(update: Update, context: Context) -> None:
    """Turn the page of an operator list (edits the message in place)."""
    if press := press_of(update):
        where = (press.chat_id, press.message_id)
        notice = await paging.turn_page(
            context.bot_data.services,
            press.user_id,
            *where,
            PageCb.unpack(press.data),
            press.language_code,
        )
        notify(context, notice)


@answers_callback
async def on_language(update: Update, context: Context) -> None:
    """An operator chose their language."""
    if press := press_of(update):
        data = OperatorLanguageCb.unpack(press.data)
        where = (press.chat_id, press.message_id)
        services = context.bot_data.services
        notify(
            context,
            await language.choose_language(
                services, press.user_id, *where, data, press.language_code
            ),
        )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (any chat: the services decide who may see what where)."""
    commands: dict[str, ReviewCase] = {
        "alerts": alert_list.show_alerts,
        "patients": patient_list.show_patients,
        "export": write.send_csv_export,
        "language": language.show_language_choice,
    }
    found: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, for_reviewer(name, use_case)) for name, use_case in commands.items()
    ]
    found += [
        CommandHandler("dashboard", for_sender("dashboard", console.send_login_link)),
        CommandHandler("patient", on_patient),
        CallbackQueryHandler(on_acknowledge, pattern=AckCb.matches),
        CallbackQueryHandler(on_outcome, pattern=OutcomeCb.matches),
        CallbackQueryHandler(on_page, pattern=PageCb.matches),
        CallbackQueryHandler(on_language, pattern=OperatorLanguageCb.matches),
    ]
    return found
