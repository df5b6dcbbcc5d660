"""The care team: /alerts, /patients, /patient REF, /export, Acknowledge and paging buttons.

Commands work in an operator's private chat and in the care-team chat; the services check the
role and answer anyone else like an unknown command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from services import export, operators, review
from services.context import Services
from views.callbacks import AckCb, PageCb

from .common import answers_callback, notify
from .context import Context

__all__ = ["handlers"]

UseCase = Callable[[Services, int, int], Awaitable[bool]]


def _command(
    event: str, use_case: UseCase
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """The handler ``on_<event>``: ``use_case(services, user_id, chat_id)`` enqueues the reply."""

    async def handler(update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is not None and chat is not None:
            await use_case(context.bot_data.services, user.id, chat.id)

    handler.__name__ = handler.__qualname__ = f"on_{event}"
    handler.__doc__ = f"Run {use_case.__name__} for the sender."
    return handler


async def on_patient(update: Update, context: Context) -> None:
    """Show one patient: ``/patient P-0042``."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        ref = " ".join(context.args or [])
        await review.show_patient(context.bot_data.services, user.id, chat.id, ref)


@answers_callback
async def on_acknowledge(update: Update, context: Context) -> None:
    """An operator acknowledges an alert; everyone else gets a refusal notice."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    notice = await operators.acknowledge_alert(
        context.bot_data.services,
        query.from_user.id,
        query.from_user.full_name,
        query.message.chat.id,
        query.message.message_id,
        AckCb.unpack(query.data),
    )
    notify(context, notice)


@answers_callback
async def on_page(update: Update, context: Context) -> None:
    """Turn the page of an operator list (edits the message in place)."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    notice = await review.turn_page(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        query.message.message_id,
        PageCb.unpack(query.data),
    )
    notify(context, notice)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (any chat: the services decide who may see what where)."""
    commands: dict[str, UseCase] = {
        "alerts": review.show_alerts,
        "patients": review.show_patients,
        "export": export.send_csv_export,
    }
    found: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, _command(name, use_case)) for name, use_case in commands.items()
    ]
    found += [
        CommandHandler("patient", on_patient),
        CallbackQueryHandler(on_acknowledge, pattern=AckCb.matches),
        CallbackQueryHandler(on_page, pattern=PageCb.matches),
    ]
    return found
