"""The one router for plain text in private chats: the warning-sign screen first, then
enrollment, then the open check-in."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.common import send_localized
from bot.context import Context
from services.alerts import written
from services.checkin import asking
from services.enrollment import enroll
from views import texts

__all__ = ["handlers"]


async def on_text(update: Update, context: Context) -> None:
    """Route free text: an enrollment answer, a hint for a waiting question, or help."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or message.text is None:
        return
    services = context.bot_data.services
    if await written.screen_written(services, user.id, chat.id, message.text):
        return  # a warning sign in words: the instruction is the reply
    if await enroll.route_text(services, user.id, chat.id, message.text):
        return
    if await asking.resend_current(services, user.id, chat.id):
        return
    await send_localized(update, context, texts.unknown)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (registered after every command handler)."""
    return [MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text)]
