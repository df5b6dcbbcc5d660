"""What the fake Telegram server knows: chats, the bot's messages and the update queue."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import chain

from tests.fakebot.wire import (
    JSONDict,
    chat_member_updated_json,
    document_json,
    group_chat_json,
    photo_size_json,
    private_chat_json,
    user_json,
)


def unix_now() -> int:
    """The current time as Telegram's unix-seconds date."""
    return int(time.time())


@dataclass(slots=True, kw_only=True)
class SentMessage:
    """A message the bot sent, in its current state (edits are applied in place).

    ``document`` is ``{"file_id", "file_unique_id", "file_name", "mime_type", "file_size",
    "content"}`` with ``content`` the uploaded bytes. ``edits`` lists the text (or caption) the
    message had before each edit. ``text`` is stored as sent: HTML/Markdown is not rendered.
    """

    chat_id: int
    message_id: int
    date: int
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    document: JSONDict | None = None
    photo: JSONDict | None = None  # stored like a document (the uploaded bytes in content)
    edits: list[str] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False
    chat: JSONDict = field(default_factory=dict, repr=False)
    sender: JSONDict = field(default_factory=dict, repr=False)
    received_at: float = field(default_factory=time.monotonic, repr=False)  # for send rates

    @property
    def inline_markup(self) -> JSONDict | None:
        """The reply_markup if it is an ``InlineKeyboardMarkup`` (the only kind a ``Message``
        carries; reply keyboards are only recorded here)."""
        if self.reply_markup is None or "inline_keyboard" not in self.reply_markup:
            return None
        return self.reply_markup

    @property
    def buttons(self) -> list[list[JSONDict]]:
        """The rows of the inline keyboard; ``[]`` without one."""
        markup = self.inline_markup
        return [] if markup is None else list(markup["inline_keyboard"])

    @property
    def button_labels(self) -> list[str]:
        """The inline buttons' labels, row by row, flattened."""
        return [button["text"] for button in chain.from_iterable(self.buttons)]

    def find_button(self, label: str | None = None, *, contains: str | None = None) -> JSONDict:
        """The first inline button labelled exactly ``label`` or whose label contains
        ``contains`` (case-insensitive); AssertionError listing the labels if none does."""
        if label is None and contains is None:
            raise ValueError("pass label or contains")
        for button in chain.from_iterable(self.buttons):
            text: str = button["text"]
            if text == label or (contains is not None and contains.lower() in text.lower()):
                return button
        raise AssertionError(
            f"no button {label=!r} {contains=!r} in message #{self.message_id} "
            f"of chat {self.chat_id}; buttons: {self.button_labels}"
        )

    def contains(self, fragment: str) -> bool:
        """Whether the text or caption contains ``fragment``, case-insensitively."""
        fragment = fragment.lower()
        return any(fragment in part.lower() for part in (self.text, self.caption) if part)

    def describe(self) -> str:
        """A one-line summary for assertion messages."""
        body = self.text if self.text is not None else self.caption
        extras = f" buttons={self.button_labels}" if self.buttons else ""
        if self.document is not None:
            extras += f" document={self.document['file_name']!r}"
        return f"#{self.message_id}{' (deleted)' if self.deleted else ''}: {body!r}{extras}"

    def to_message_json(self) -> JSONDict:
        """The Telegram ``Message`` object for this message."""
        message: JSONDict = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        optional = {
            "text": self.text,
            "caption": self.caption,
            "reply_markup": self.inline_markup,
            "edit_date": self.edit_date,
            "document": None if self.document is None else document_json(self.document),
            "photo": None if self.photo is None else [photo_size_json(self.photo)],
        }
        message.update((key, value) for key, value in optional.items() if value is not None)
        return message


@dataclass(slots=True)
class ChatState:
    """One chat: its ``Chat`` JSON, the bot's membership and the messages in it."""

    info: JSONDict
    bot_status: str = "member"  # "member", "left" or "kicked" (kicked = blocked, in private)
    migrated_to: int | None = None
    sent: list[SentMessage] = field(default_factory=list)
    by_id: dict[int, SentMessage] = field(default_factory=dict)
    incoming: dict[int, JSONDict] = field(default_factory=dict)
    last_message_id: int = 0

    def next_message_id(self) -> int:
        """Allocate the next message id of this chat (shared by the bot and the users)."""
        self.last_message_id += 1
        return self.last_message_id


class Signal:
    """A lock-free broadcast: :meth:`fire` wakes every coroutine currently in :meth:`wait`.

    Unlike ``asyncio.Condition.notify_all`` it can be fired from synchronous code.
    """

    def __init__(self) -> None:
        """Create a signal nobody waits for yet."""
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return at the next :meth:`fire` or after ``seconds``, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()


class TelegramState:
    """The chats, users and pending updates of the fake Telegram, plus a log of bot calls."""

    def __init__(self, bot_user: JSONDict) -> None:
        """Start with no chats and an empty update queue."""
        self.bot_user = bot_user
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, JSONDict] = {}
        self.unknown_chats: set[int] = set()
        self.calls: list[tuple[str, JSONDict]] = []
        self.call_times: list[float] = []  # perf_counter of each call, for benchmarks
        self.calls_by_method: dict[str, list[JSONDict]] = {}
        self.updates_signal = Signal()
        self.activity = Signal()
        self.allowed_updates: frozenset[str] | None = None
        self.open_queries: set[str] = set()
        self.callback_answers: list[JSONDict] = []
        self.answers_by_id: dict[str, JSONDict] = {}
        self._last_query_id = 0
        self._updates: deque[tuple[int, str, JSONDict]] = deque()
        self._last_update_id = 0

    def chat(self, chat_id: int) -> ChatState:
        """The chat with this id, created (private, or group for negative ids) if unseen."""
        state = self.chats.get(chat_id)
        if state is None:
            if chat_id < 0:
                info = group_chat_json(chat_id, "Group")
            else:
                info = private_chat_json(self.users.get(chat_id) or user_json(chat_id, "User"))
            state = self.chats[chat_id] = ChatState(info)
        return state

    def remember_user(self, user: JSONDict) -> JSONDict:
        """Store (or refresh) a user and their private chat; returns ``user``."""
        self.users[user["id"]] = user
        self.chat(user["id"]).info = private_chat_json(user)
        return user

    def open_query(self) -> str:
        """Allocate a new callback query id, valid until answered."""
        self._last_query_id += 1
        query_id = f"{self._last_query_id:019d}"
        self.open_queries.add(query_id)
        return query_id

    def set_bot_status(
        self, chat: ChatState, actor: JSONDict, new_status: str, old_status: str | None = None
    ) -> None:
        """Change the bot's membership of ``chat`` (by ``actor``) and queue the
        ``my_chat_member`` update; ``old_status`` defaults to the current one."""
        update = chat_member_updated_json(
            chat.info,
            actor,
            self.bot_user,
            old_status or chat.bot_status,
            new_status,
            unix_now(),
        )
        chat.bot_status = new_status
        self.enqueue("my_chat_member", update)

    def record_call(self, method: str, params: JSONDict) -> None:
        """Log a Bot API request."""
        self.calls.append((method, params))
        self.call_times.append(time.perf_counter())
        self.calls_by_method.setdefault(method, []).append(params)

    def enqueue(self, kind: str, payload: JSONDict) -> None:
        """Queue an ``Update`` of the given kind (``message``, ``callback_query`` ...) and wake
        pending getUpdates calls."""
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append((self._last_update_id, kind, update))
        self.updates_signal.fire()
        self.activity.fire()

    @property
    def pending_update_count(self) -> int:
        """How many updates are queued and not yet confirmed."""
        return len(self._updates)

    def drop_updates(self) -> None:
        """Forget every queued update (``drop_pending_updates``)."""
        self._updates.clear()

    def confirm(self, offset: int) -> None:
        """Drop updates confirmed by ``offset`` (negative: keep only the last ``-offset``)."""
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
            return
        while updates and updates[0][0] < offset:
            updates.popleft()

    def pending(self, limit: int) -> list[JSONDict]:
        """Up to ``limit`` unconfirmed updates of the allowed kinds, oldest first."""
        allowed = self.allowed_updates
        result: list[JSONDict] = []
        for _, kind, update in self._updates:
            if allowed is None or kind in allowed:
                result.append(update)
                if len(result) >= limit:
                    break
        return result
