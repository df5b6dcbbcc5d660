"""The user side of the fake: people writing to the bot, pressing buttons, adding it to groups.

Every action queues a real ``Update`` (and wakes pending getUpdates calls).
"""

from __future__ import annotations

from tests.fakebot.state import ChatState, SentMessage, TelegramState, unix_now
from tests.fakebot.wire import JSONDict, command_entities, group_chat_json, user_json


class UserActions:
    """Mixin of :class:`~tests.fakebot.server.FakeBotApi` acting as Telegram users.

    A ``first_name`` of None means "as last seen, else 'User'".
    """

    _state: TelegramState

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSONDict:
        """``user_id`` writes ``text`` in their private chat or, with a negative ``chat_id``,
        in a group (``chat_type`` "group"/"supergroup", inferred from the id when left
        "private"). ``/commands`` get a ``bot_command`` entity. Returns the ``Message``."""
        user = self._user(user_id, first_name, username)
        chat = self._chat_for(user, chat_id, chat_type, chat_title)
        content: JSONDict = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        if reply_to_message_id is not None:
            content["reply_to_message"] = _replied_message(chat, reply_to_message_id)
        return self._deliver(chat, user, content)

    def inject_update(self, kind: str, payload: JSONDict) -> None:
        """Queue a raw Update of ``kind`` (for updates the helpers here do not build)."""
        self._state.enqueue(kind, payload)

    def send_location(self, user_id: int, latitude: float, longitude: float) -> JSONDict:
        """``user_id`` shares a location in their private chat; returns the ``Message``."""
        user = self._user(user_id)
        location = {"latitude": latitude, "longitude": longitude}
        return self._deliver(self._state.chat(user_id), user, {"location": location})

    def press(
        self, user_id: int, message: SentMessage, data: str, *, first_name: str | None = None
    ) -> str:
        """``user_id`` presses a button with callback ``data`` under the bot's ``message``;
        returns the callback query id."""
        if message.deleted:
            raise AssertionError(f"message {message.describe()} was deleted; nothing to press")
        query_id = self._state.open_query()
        query = {
            "id": query_id,
            "from": self._user(user_id, first_name),
            "message": message.to_message_json(),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        self._state.enqueue("callback_query", query)
        return query_id

    def press_button(
        self,
        user_id: int,
        message: SentMessage,
        label: str | None = None,
        *,
        contains: str | None = None,
    ) -> str:
        """Press the inline button labelled ``label`` (or whose label contains ``contains``)
        in ``message``'s current keyboard; returns the callback query id."""
        button = message.find_button(label, contains=contains)
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} has no callback_data: {button}")
        return self.press(user_id, message, button["callback_data"])

    def add_bot_to_group(self, chat_id: int, by_user_id: int, title: str = "Family") -> None:
        """``by_user_id`` adds the bot to group ``chat_id`` (a negative id)."""
        chat = self._group(chat_id)
        chat.info = group_chat_json(chat_id, title)
        self._state.set_bot_status(chat, self._user(by_user_id), "member", old_status="left")

    def remove_bot_from_group(self, chat_id: int, by_user_id: int, *, kicked: bool = False) -> None:
        """``by_user_id`` removes the bot from group ``chat_id`` (status "left", or "kicked");
        later sends there fail with 403."""
        new_status = "kicked" if kicked else "left"
        self._state.set_bot_status(self._group(chat_id), self._user(by_user_id), new_status)

    def block_bot(self, user_id: int) -> None:
        """``user_id`` blocks the bot: a my_chat_member update, then sends fail with 403."""
        self._state.set_bot_status(self._state.chat(user_id), self._user(user_id), "kicked")

    def unblock_bot(self, user_id: int) -> None:
        """``user_id`` unblocks the bot (my_chat_member back to "member")."""
        self._state.set_bot_status(self._state.chat(user_id), self._user(user_id), "member")

    def migrate_group(self, chat_id: int, new_chat_id: int, by_user_id: int) -> None:
        """``by_user_id`` upgrades group ``chat_id`` to supergroup ``new_chat_id``: service
        messages in both chats, and later requests for the old id fail with 400 and
        ``parameters.migrate_to_chat_id``."""
        old = self._group(chat_id)
        new = self._group(new_chat_id)
        new.info = group_chat_json(new_chat_id, old.info.get("title", "Group"), "supergroup")
        user = self._user(by_user_id)
        self._deliver(old, user, {"migrate_to_chat_id": new_chat_id})
        self._deliver(new, user, {"migrate_from_chat_id": chat_id})
        old.migrated_to = new_chat_id

    def _user(
        self, user_id: int, first_name: str | None = None, username: str | None = None
    ) -> JSONDict:
        """The ``User`` JSON for ``user_id``, updated with the given names."""
        known = self._state.users.get(user_id, {})
        user = user_json(
            user_id,
            first_name or known.get("first_name", "User"),
            username or known.get("username"),
            language_code=known.get("language_code"),
        )
        return self._state.remember_user(user)

    def set_language(self, user_id: int, language_code: str) -> None:
        """``user_id``'s Telegram app is in ``language_code`` (sent with their updates)."""
        self._state.remember_user(self._user(user_id) | {"language_code": language_code})

    def _group(self, chat_id: int) -> ChatState:
        """The group chat ``chat_id``, which must be negative."""
        if chat_id >= 0:
            raise ValueError(f"group chat ids are negative, got {chat_id}")
        return self._state.chat(chat_id)

    def _chat_for(
        self, user: JSONDict, chat_id: int | None, chat_type: str, title: str | None
    ) -> ChatState:
        """The chat ``user`` writes in: their private chat, or group ``chat_id``."""
        if chat_id is None or chat_id == user["id"]:
            return self._state.chat(user["id"])
        chat = self._group(chat_id)
        if title is not None or chat_type != "private":
            title = title or chat.info.get("title", "Group")
            new_type = chat.info["type"] if chat_type == "private" else chat_type
            chat.info = group_chat_json(chat_id, title, new_type)
        return chat

    def _deliver(self, chat: ChatState, user: JSONDict, content: JSONDict) -> JSONDict:
        """Store a user message in ``chat`` and queue it as a ``message`` update."""
        message: JSONDict = {
            "message_id": chat.next_message_id(),
            "from": user,
            "chat": chat.info,
            "date": unix_now(),
            **content,
        }
        chat.incoming[message["message_id"]] = message
        self._state.enqueue("message", message)
        return message


def _replied_message(chat: ChatState, message_id: int) -> JSONDict:
    """The ``reply_to_message`` for a reply to ``message_id`` in ``chat`` (not nested further)."""
    sent = chat.by_id.get(message_id)
    if sent is not None:
        return sent.to_message_json()
    incoming = chat.incoming.get(message_id)
    if incoming is None:
        raise ValueError(f"no message #{message_id} in chat {chat.info['id']}")
    return {key: value for key, value in incoming.items() if key != "reply_to_message"}
