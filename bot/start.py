"""Help and ``/whoami`` (``/start`` belongs to enrollment, see ``bot/enroll.py``)."""

from __future__ import annotations

from functools import partial

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.common import send_localized
from bot.context import Context
from views import texts
from views.care_team import common as care_views

__all__ = ["handlers"]


async def on_help(update: Update, context: Context) -> None:
    """List the commands."""
    await send_localized(update, context, texts.help_message, "help")


async def on_whoami(update: Update, context: Context) -> None:
    """Anyone, in any chat: their Telegram user id and this chat's id (for OPERATOR_IDS and
    CARE_TEAM_CHAT_ID), nothing else."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        ids = partial(care_views.whoami, user.id, chat.id)
        await send_localized(update, context, ids, "whoami")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    return [CommandHandler("help", on_help), CommandHandler("whoami", on_whoami)]
