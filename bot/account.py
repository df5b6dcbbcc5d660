"""Patient self-service: /status, /pause, /resume, /stop (and the word "stop"), /mydata, /delete."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from services import account
from services.context import Services
from views.account import DELETE_ACTION, DELETE_EXPIRED_NOTICE, is_opt_out_word
from views.callbacks import ConfirmCb

from .common import answers_callback, notify
from .context import Context

__all__ = ["OptOutWord", "handlers"]

UseCase = Callable[[Services, int, int], Awaitable[object]]


class OptOutWord(filters.MessageFilter):
    """A private text that is only an opt-out word ("stop", "STOP", "unsubscribe")."""

    def filter(self, message: Message) -> bool:
        """True when the whole text is an opt-out word."""
        return is_opt_out_word(message.text)


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


def _is_delete_confirm(data: object) -> bool:
    return ConfirmCb.matches(data) and ConfirmCb.unpack(str(data)).action == DELETE_ACTION


@answers_callback
async def on_delete_choice(update: Update, context: Context) -> None:
    """The patient pressed "Yes, erase everything" or "Cancel" under the /delete question."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    choice = ConfirmCb.unpack(query.data).choice
    outcome = await account.confirm_deletion(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        query.message.message_id,
        erase=choice == "yes",
    )
    if outcome == account.DeletionOutcome.STALE:
        notify(context, DELETE_EXPIRED_NOTICE)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (private chats only)."""
    private = filters.ChatType.PRIVATE
    commands: dict[str, UseCase] = {
        "status": account.show_status,
        "pause": account.pause_checkins,
        "resume": account.resume_checkins,
        "stop": account.stop_checkins,
        "mydata": account.export_my_data,
        "delete": account.request_deletion,
    }
    found: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, _command(name, use_case), filters=private)
        for name, use_case in commands.items()
    ]
    found.append(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & OptOutWord(),
            _command("opt_out_word", account.stop_checkins),
        )
    )
    found.append(CallbackQueryHandler(on_delete_choice, pattern=_is_delete_confirm))
    return found
