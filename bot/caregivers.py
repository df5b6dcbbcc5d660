"""Caregivers and family groups: invitations, /caregivers, /answer, group membership.

Registered before enrollment so that deep links (``/start <token>``) reach us. Works with
privacy mode on: in groups only commands (``/linkgroup@bot CODE``), button presses and
membership changes are needed.
"""

from __future__ import annotations

from functools import partial

from telegram import Chat, ChatMember, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    filters,
)

from bot.commands import sender_commands
from bot.common import answers_callback, notify, press_of, send_localized
from bot.context import Context
from services.caregivers import invites, languages, manage, proxy
from services.enrollment import enroll
from views.callbacks import CareCb
from views.caregivers import invites as views

__all__ = ["handlers"]

IN_CHAT = frozenset(
    {ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER, ChatMember.RESTRICTED}
)


def _in_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


async def on_invite_start(update: Update, context: Context) -> None:
    """A deep link ``/start <token>``: open the invitation (a group is linked at once)."""
    await _open(update, context, " ".join(context.args or ()))


async def on_join(update: Update, context: Context) -> None:
    """``/join CODE`` (a person) or ``/linkgroup CODE`` (in a group)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None:
        return
    linkgroup = message.text.lower().startswith("/linkgroup")
    if linkgroup and not _in_group(chat):
        await send_localized(update, context, partial(views.say, views.LINKGROUP_IN_PRIVATE))
    elif not context.args:
        usage = views.LINKGROUP_USAGE if linkgroup else views.JOIN_USAGE
        await send_localized(update, context, partial(views.say, usage))
    else:
        await _open(update, context, " ".join(context.args))


async def _open(update: Update, context: Context, secret: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    request = invites.InviteRequest(
        user_id=user.id,
        chat_id=chat.id,
        secret=secret,
        group=_in_group(chat),
        title=chat.title or "Family group",
        language_code=user.language_code,
    )
    await invites.open_invite(context.bot_data.services, request)


async def on_answer_for(update: Update, context: Context) -> None:
    """``/answer`` (and ``/checkin`` in a group): the patient's open question, here."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    request = proxy.ProxyRequest(
        user.id, user.full_name, chat.id, group=_in_group(chat), language_code=user.language_code
    )
    await proxy.request_questions(context.bot_data.services, request)


@answers_callback
async def on_care_button(update: Update, context: Context) -> None:
    """Accept, pick a patient, remove, allow or stop answering, daily summary on or off."""
    press = press_of(update)
    if press is None:
        return
    data = CareCb.unpack(press.data)
    pressed = manage.CarePress(
        press.user_id, press.user_name, press.chat_id, press.message_id, data, press.language_code
    )
    notify(context, await manage.press_care_button(context.bot_data.services, pressed))


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot joined a group (a greeting) or left it (the group's links end at once)."""
    change, chat = update.my_chat_member, update.effective_chat
    if change is None or chat is None:
        return
    was = change.old_chat_member.status in IN_CHAT
    now = change.new_chat_member.status in IN_CHAT
    if was != now:
        await manage.group_membership(
            context.bot_data.services,
            chat.id,
            chat.title or "Family group",
            member=now,
            language_code=change.from_user.language_code,
        )


async def on_settings(update: Update, context: Context) -> None:
    """``/settings`` from a caregiver (no patient): their language; a patient's goes on."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if not await languages.caregiver_settings(context.bot_data.services, user.id, chat.id):
        await enroll.open_settings(context.bot_data.services, user.id, chat.id, user.language_code)


class GroupMembershipHandler(ChatMemberHandler[Context, None]):
    """``my_chat_member`` updates of group chats only (private ones are left to others)."""

    def check_update(self, update: object) -> bool:
        """True for a change of the bot's own membership in a group or supergroup."""
        chat = update.effective_chat if isinstance(update, Update) else None
        return super().check_update(update) and chat is not None and _in_group(chat)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature (before enrollment, which owns a bare ``/start``)."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    return [
        CommandHandler("start", on_invite_start, has_args=True),
        CommandHandler(["join", "linkgroup"], on_join),
        CommandHandler("settings", on_settings, filters=private),
        # /invite: a single-use invitation link and code for the patient to pass on;
        # /caregivers: the patient's caregivers and groups, with their buttons.
        *sender_commands(
            {"invite": invites.create_invite, "caregivers": manage.list_caregivers}, filters=private
        ),
        CommandHandler("answer", on_answer_for),
        CommandHandler("checkin", on_answer_for, filters=groups),
        CallbackQueryHandler(on_care_button, pattern=CareCb.matches),
        GroupMembershipHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
