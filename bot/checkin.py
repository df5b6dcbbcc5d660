"""The daily check-in: /checkin, answer buttons, the emergency follow-up."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from services import alerts, checkins
from views.callbacks import AnswerCb, FollowupCb

from .common import answers_callback, notify
from .context import Context

__all__ = ["handlers"]


async def on_checkin(update: Update, context: Context) -> None:
    """Start today's check-in now."""
    if update.effective_user and update.effective_chat:
        await checkins.start_checkin(
            context.bot_data.services, update.effective_user.id, update.effective_chat.id
        )


@answers_callback
async def on_answer(update: Update, context: Context) -> None:
    """Store the pressed answer; refusals come back as a callback alert."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    refusal = await checkins.record_answer(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        query.message.message_id,
        AnswerCb.unpack(query.data),
    )
    notify(context, refusal)


@answers_callback
async def on_followup(update: Update, context: Context) -> None:
    """The patient says whether help is coming after an emergency answer."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    refusal = await alerts.record_followup(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        query.message.message_id,
        FollowupCb.unpack(query.data),
    )
    notify(context, refusal)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    return [
        CommandHandler("checkin", on_checkin, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_answer, pattern=AnswerCb.matches),
        CallbackQueryHandler(on_followup, pattern=FollowupCb.matches),
    ]
