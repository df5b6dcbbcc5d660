"""The daily check-in: /checkin, answer buttons, the emergency follow-up, "More advice"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.common import answers_callback, notify, press_of
from bot.context import Context
from services.alerts import followup
from services.checkin import answering, asking
from views.callbacks import AnswerCb, FollowupCb, MoreCb, MoreTopic

__all__ = ["handlers"]


async def on_checkin(update: Update, context: Context) -> None:
    """Start today's check-in now."""
    if update.effective_user and update.effective_chat:
        user = update.effective_user
        await asking.start_checkin(
            context.bot_data.services, user.id, update.effective_chat.id, user.language_code
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


def _is_more_guidance(data: object) -> bool:
    return MoreCb.matches(data) and MoreCb.unpack(str(data)).topic is MoreTopic.GUIDANCE


@answers_callback
async def on_more_guidance(update: Update, context: Context) -> None:
    """ "More advice for today" under the end of a check-in: the rest of the day's guidance."""
    if press := press_of(update):
        ref = MoreCb.unpack(press.data).ref
        services = context.bot_data.services
        notify(
            context, await asking.show_more_guidance(services, press.user_id, press.chat_id, ref)
        )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    return [
        CommandHandler("checkin", on_checkin, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_answer, pattern=AnswerCb.matches),
        CallbackQueryHandler(on_followup, pattern=FollowupCb.matches),
        CallbackQueryHandler(on_more_guidance, pattern=_is_more_guidance),
    ]
