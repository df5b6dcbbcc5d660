"""The care team: /alerts, /patients, /patient REF, /export, /dashboard (the console's sign-in
link), Acknowledge and paging buttons.

Commands work in an operator's private chat and in the care-team chat; the services check the
role and answer anyone else like an unknown command.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import UseCase, for_sender
from bot.common import answers_callback, notify, press_of
from bot.context import Context
from services import console
from services.alerts import acknowledge, outcomes
from services.care_team import alert_list, paging, patient_detail, patient_list
from services.export import write
from views.callbacks import AckCb, OutcomeCb, PageCb

__all__ = ["handlers"]


async def on_patient(update: Update, context: Context) -> None:
    """Show one patient: ``/patient P-0042``."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        ref = " ".join(context.args or [])
        await patient_detail.show_patient(context.bot_data.services, user.id, chat.id, ref)


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
                context.bot_data.services, press.user_id, press.user_name, data
            ),
        )


@answers_callback
async def on_page(update: Update, context: Context) -> None:
    """Turn the page of an operator list (edits the message in place)."""
    if press := press_of(update):
        where = (press.chat_id, press.message_id)
        notice = await paging.turn_page(
            context.bot_data.services, press.user_id, *where, PageCb.unpack(press.data)
        )
        notify(context, notice)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (any chat: the services decide who may see what where)."""
    commands: dict[str, UseCase] = {
        "alerts": alert_list.show_alerts,
        "patients": patient_list.show_patients,
        "export": write.send_csv_export,
        "dashboard": console.send_login_link,
    }
    found: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, for_sender(name, use_case)) for name, use_case in commands.items()
    ]
    found += [
        CommandHandler("patient", on_patient),
        CallbackQueryHandler(on_acknowledge, pattern=AckCb.matches),
        CallbackQueryHandler(on_outcome, pattern=OutcomeCb.matches),
        CallbackQueryHandler(on_page, pattern=PageCb.matches),
    ]
    return found
