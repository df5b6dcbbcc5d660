"""``/whoami``: anyone learns their Telegram user id and the chat's id, in private and groups,
so setting OPERATOR_IDS and CARE_TEAM_CHAT_ID takes a minute."""

from __future__ import annotations

from app.runtime import Runtime
from tests.fakebot import FakeBotApi
from tests.support.idle import settled

STRANGER = 4242
NEW_GROUP = -100777


async def test_whoami_in_a_private_chat_gives_the_user_id_and_chat_id(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.send_text(STRANGER, "/whoami")
    reply = await api.wait_for_message(STRANGER, contains="user id")
    assert reply.text == f"Your Telegram user id: {STRANGER}\nThis chat's id: {STRANGER}"


async def test_whoami_in_a_group_gives_the_group_id_and_nothing_else(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.send_text(STRANGER, "/whoami", chat_id=NEW_GROUP, chat_type="supergroup")
    reply = await api.wait_for_message(NEW_GROUP, contains="user id")
    assert reply.text == f"Your Telegram user id: {STRANGER}\nThis chat's id: {NEW_GROUP}"
    await settled(api, runtime)
    assert len(api.messages(NEW_GROUP)) == 1  # one reply, no enrollment or help
    assert api.messages(STRANGER) == []  # nothing in private either
