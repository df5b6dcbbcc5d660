"""Help (``/start`` belongs to enrollment, see ``bot/enroll.py``)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.common import send
from bot.context import Context
from views import texts

__all__ = ["handlers"]


async def on_help(update: Update, context: Context) -> None:
    """List the commands."""
    if update.effective_chat:
        await send(context, update.effective_chat.id, texts.HELP, "help")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    return [CommandHandler("help", on_help)]
