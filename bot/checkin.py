"""The daily check-in: /checkin, answer buttons, the emergency follow-up."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.common import answers_callback, notify, press_of
from bot.context import Context
from services.alerts import followup
from services.checkin import answering, asking
from views.callbacks import AnswerCb, FollowupCb

__all__ = ["handlers"]


async def on_checkin(update: Update, context: Context) -> None:
    """Start today's check-in now."""
    if update.effective_user and update.effective_chat:
        await asking.start_checkin(
            context.bot_data.services, update.effective_user.id, update.effective_chat.id
        )


@answers_callback
async def on_answer(update: Update, context: Context) -> None:
    """Store the pressed answer; refusals come back as a callback alert."""
    if press := press_of(update):
        notice = await answering.record_answer(
            context.bot_data.services,
            press.user_id,
            press.chat_id,
            press.message_id,
            AnswerCb.unpack(press.data),
        )
        notify(context, notice)


@answers_callback
async def on_followup(update: Update, context: Context) -> None:
    """The patient says whether help is coming after an emergency answer."""
    if press := press_of(update):
        notice = await followup.record_followup(
            context.bot_data.services,
            press.user_id,
            press.chat_id,
            press.message_id,
            FollowupCb.unpack(press.data),
        )
        notify(context, notice)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    return [
        CommandHandler("checkin", on_checkin, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_answer, pattern=AnswerCb.matches),
        CallbackQueryHandler(on_followup, pattern=FollowupCb.matches),
    ]
