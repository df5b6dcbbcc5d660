"""Patient self-service: /status, /pause, /resume, /stop (and the word "stop"), /mydata, /delete."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.commands import UseCase, for_sender, sender_commands
from bot.common import answers_callback, notify
from bot.context import Context
from services.account import erasure, my_data, switches
from views.account import DELETE_EXPIRED_NOTICE, is_opt_out_word
from views.callbacks import ConfirmAction, ConfirmCb, ConfirmChoice

__all__ = ["OptOutWord", "handlers"]


class OptOutWord(filters.MessageFilter):
    """A private text that is only an opt-out word ("stop", "STOP", "unsubscribe")."""

    def filter(self, message: Message) -> bool:
        """True when the whole text is an opt-out word."""
        return is_opt_out_word(message.text)


def _is_delete_confirm(data: object) -> bool:
    return ConfirmCb.matches(data) and ConfirmCb.unpack(str(data)).action == ConfirmAction.DELETE


@answers_callback
async def on_delete_choice(update: Update, context: Context) -> None:
    """The patient pressed "Yes, erase everything" or "Cancel" under the /delete question."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    choice = ConfirmCb.unpack(query.data).choice
    outcome = await erasure.confirm_deletion(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        query.message.message_id,
        erase=choice is ConfirmChoice.YES,
        language_code=query.from_user.language_code,
    )
    if outcome == erasure.DeletionOutcome.STALE:
        notify(context, DELETE_EXPIRED_NOTICE)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (private chats only)."""
    private = filters.ChatType.PRIVATE
    commands: dict[str, UseCase] = {
        "status": switches.show_status,
        "pause": switches.pause_checkins,
        "resume": switches.resume_checkins,
        "stop": switches.stop_checkins,
        "mydata": my_data.export_my_data,
        "delete": erasure.request_deletion,
    }
    found = sender_commands(commands, filters=private)
    found.append(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & OptOutWord(),
            for_sender("opt_out_word", switches.stop_checkins),
        )
    )
    found.append(CallbackQueryHandler(on_delete_choice, pattern=_is_delete_confirm))
    return found
