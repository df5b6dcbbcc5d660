"""The bot side of the fake: one handler per Bot API method."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Awaitable, Callable

from tests.fakebot.limits import HANG, Faults, RateLimiter
from tests.fakebot.state import ChatState, SentMessage, TelegramState, unix_now
from tests.fakebot.wire import (
    ApiError,
    JSONDict,
    UploadedFile,
    bad_request,
    chat_full_info_json,
    chat_member_json,
    forbidden,
    get_me_json,
    migrated,
    too_many_requests,
    user_json,
)

Handler = Callable[[JSONDict], object | Awaitable[object]]

LIMITED_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
    }
)
"""Methods that send or edit messages: subject to injected faults and flood limits."""

CHAT_METHODS = LIMITED_METHODS | {"deletemessage", "sendchataction"}
"""Methods that fail when the bot cannot write to the chat (blocked, removed, unknown)."""

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class BotMethods:
    """Executes Bot API calls against a :class:`TelegramState`.

    The handler ``_send_message`` implements ``sendMessage`` and so on: each takes the decoded
    parameters and returns the ``result``, or raises :class:`ApiError` as Telegram would.
    """

    def __init__(self, state: TelegramState) -> None:
        """Serve ``state``; call :meth:`open` before serving requests."""
        self._state = state
        self.faults = Faults()
        self.limiter: RateLimiter | None = None
        self.limit_violations = 0
        self.commands: list[JSONDict] = []
        self.webhook: JSONDict = {"url": "", "secret_token": None}
        self.files: dict[str, JSONDict] = {}
        self._command_sets: dict[tuple[str, str], list[JSONDict]] = {}
        self._closed = asyncio.Event()
        self._handlers: dict[str, Handler] = {
            "getme": lambda _: get_me_json(state.bot_user),
            "logout": lambda _: True,
            "close": lambda _: True,
            "deletewebhook": lambda params: self._set_webhook(params | {"url": ""}),
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": lambda params: self._command_sets.get(_command_key(params), []),
            "deletemycommands": self._delete_my_commands,
            "sendchataction": lambda _: True,
            "getchat": lambda params: chat_full_info_json(self._known_chat(params).info),
            "getchatmember": self._get_chat_member,
            "leavechat": self._leave_chat,
            "getfile": self._get_file,
        }

    def open(self) -> None:
        """Start serving (again)."""
        self._closed = asyncio.Event()

    def close(self) -> None:
        """Release pending long polls and hung requests."""
        self._closed.set()
        self._state.updates_signal.fire()

    async def call(self, method: str, params: JSONDict) -> object:
        """Run the lower-cased Bot API ``method``; raises :class:`ApiError` on failure."""
        handler = self._handlers.get(method)
        if handler is None:
            raise bad_request("method not found")
        if method in CHAT_METHODS:
            await self._guard(method, params)
        result = handler(params)
        return await result if inspect.isawaitable(result) else result

    # --- access checks ---

    async def _guard(self, method: str, params: JSONDict) -> None:
        """Apply injected faults, chat access rules and flood limits, in that order."""
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        limited = method in LIMITED_METHODS
        fault = self.faults.take(chat_id) if limited else None
        if fault is not None:
            if fault.status == HANG:
                await self._closed.wait()
                raise ApiError(500, "Internal Server Error: server stopped")
            raise fault.error()
        self._check_member(self._known_chat(params))
        if limited and self.limiter is not None:
            retry_after = self.limiter.admit(chat_id, time.monotonic())
            if retry_after is not None:
                self.limit_violations += 1
                raise too_many_requests(retry_after)

    def _known_chat(self, params: JSONDict) -> ChatState:
        """The chat named by ``chat_id``; 400 if unknown or migrated."""
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id in self._state.unknown_chats:
            raise bad_request("chat not found")
        chat = self._state.chat(chat_id)
        if chat.migrated_to is not None:
            raise migrated(chat.migrated_to)
        return chat

    @staticmethod
    def _check_member(chat: ChatState) -> None:
        """403 unless the bot may write to ``chat``."""
        if chat.bot_status == "member":
            return
        if chat.info["type"] == "private":
            raise forbidden("bot was blocked by the user")
        if chat.bot_status == "kicked":
            raise forbidden("bot was kicked from the group chat")
        raise forbidden("bot is not a member of the group chat")

    # --- updates and webhook ---

    def _set_webhook(self, params: JSONDict) -> bool:
        self.webhook = {
            "url": str(params.get("url", "")),
            "secret_token": params.get("secret_token"),
        }
        if params.get("drop_pending_updates"):
            self._state.drop_updates()
        return True

    def _get_webhook_info(self, _: JSONDict) -> JSONDict:
        return {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": self._state.pending_update_count,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Long poll: answer as soon as updates are pending, else after ``timeout`` seconds."""
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        state = self._state
        state.confirm(int(params.get("offset", 0)))
        if "allowed_updates" in params:
            state.allowed_updates = frozenset(params["allowed_updates"]) or None
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout", 0))
        while not (updates := state.pending(limit)) and not self._closed.is_set():
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await state.updates_signal.wait(remaining)
        return updates

    # --- sending and editing ---

    def _new_message(
        self,
        params: JSONDict,
        *,
        text: str | None = None,
        caption: str | None = None,
        document: JSONDict | None = None,
        photo: JSONDict | None = None,
    ) -> SentMessage:
        """Store a new bot message in the chat of ``params`` with the given content."""
        chat = self._state.chat(params["chat_id"])
        message = SentMessage(
            chat_id=params["chat_id"],
            message_id=chat.next_message_id(),
            date=unix_now(),
            text=text,
            caption=caption,
            document=document,
            photo=photo,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            chat=chat.info,
            sender=self._state.bot_user,
        )
        chat.sent.append(message)
        chat.by_id[message.message_id] = message
        return message

    def _send_message(self, params: JSONDict) -> JSONDict:
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        message = self._new_message(params, text=str(text))
        return message.to_message_json()

    def _send_document(self, params: JSONDict) -> JSONDict:
        document = params.get("document")
        if isinstance(document, UploadedFile):
            stored = self._store_file(document)
        elif isinstance(document, str) and document in self.files:
            stored = self.files[document]
        elif document is None:
            raise bad_request("there is no document in the request")
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        message = self._new_message(params, caption=params.get("caption"), document=stored)
        return message.to_message_json()

    def _send_photo(self, params: JSONDict) -> JSONDict:
        photo = params.get("photo")
        if not isinstance(photo, UploadedFile):
            raise bad_request("there is no photo in the request")
        if not photo.content.startswith(b"\x89PNG"):
            raise bad_request("IMAGE_PROCESS_FAILED")
        stored = self._store_file(photo)
        message = self._new_message(params, caption=params.get("caption"), photo=stored)
        return message.to_message_json()

    def _store_file(self, upload: UploadedFile) -> JSONDict:
        """Keep an uploaded file under a fresh file_id."""
        number = len(self.files) + 1
        document: JSONDict = {
            "file_id": f"BQACAgIAAxkBAAI{number:08d}",
            "file_unique_id": f"AgAD{number:08d}",
            "file_name": upload.filename,
            "mime_type": upload.content_type,
            "file_size": len(upload.content),
            "content": upload.content,
        }
        self.files[document["file_id"]] = document
        return document

    def _edit_target(self, params: JSONDict) -> SentMessage:
        """The bot message named by ``chat_id`` and ``message_id``."""
        message = self._state.chat(params["chat_id"]).by_id.get(params.get("message_id", 0))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        return message

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        message = self._edit_target(params)
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        changes = {"text": str(text), "reply_markup": params.get("reply_markup")}
        return _apply_edit(message, changes, params.get("parse_mode"))

    def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        message = self._edit_target(params)
        if message.document is None:
            raise bad_request("there is no caption in the message to edit")
        changes = {"caption": params.get("caption"), "reply_markup": params.get("reply_markup")}
        return _apply_edit(message, changes, params.get("parse_mode"))

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        message = self._edit_target(params)
        return _apply_edit(message, {"reply_markup": params.get("reply_markup")})

    def _delete_message(self, params: JSONDict) -> bool:
        chat = self._state.chat(params["chat_id"])
        message_id = params.get("message_id", 0)
        message = chat.by_id.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            return True
        if chat.incoming.pop(message_id, None) is not None:
            return True
        raise bad_request("message to delete not found")

    # --- everything else ---

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._state.open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._state.open_queries.discard(query_id)
        answer = {
            "callback_query_id": query_id,
            "text": params.get("text"),
            "show_alert": bool(params.get("show_alert", False)),
        }
        self._state.callback_answers.append(answer)
        self._state.answers_by_id[query_id] = answer
        return True

    def _set_my_commands(self, params: JSONDict) -> bool:
        self.commands = list(params.get("commands") or [])
        self._command_sets[_command_key(params)] = self.commands
        return True

    def command_set(self, scope: JSONDict, language_code: str = "") -> list[JSONDict]:
        """The commands stored for this scope (and language), as getMyCommands returns them."""
        return self._command_sets.get(
            _command_key({"scope": scope, "language_code": language_code}), []
        )

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._command_sets.pop(_command_key(params), None)
        return True

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._known_chat(params)
        user_id = params.get("user_id")
        if user_id == self._state.bot_user["id"]:
            return chat_member_json(chat.bot_status, self._state.bot_user)
        if not isinstance(user_id, int):
            raise bad_request("invalid user_id specified")
        user = self._state.users.get(user_id) or user_json(user_id, "User")
        return chat_member_json("member", user)

    def _leave_chat(self, params: JSONDict) -> bool:
        chat = self._known_chat(params)
        if chat.info["type"] == "private":
            raise bad_request("chat member status can't be changed in private chats")
        self._check_member(chat)
        self._state.set_bot_status(chat, self._state.bot_user, "left")
        return True

    def _get_file(self, params: JSONDict) -> JSONDict:
        document = self.files.get(str(params.get("file_id")))
        if document is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": document["file_id"],
            "file_unique_id": document["file_unique_id"],
            "file_size": document["file_size"],
            "file_path": f"documents/{document['file_id']}",
        }


def _command_key(params: JSONDict) -> tuple[str, str]:
    """Commands are stored per (scope, language_code), like Telegram does."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _apply_edit(message: SentMessage, changes: JSONDict, parse_mode: str | None = None) -> JSONDict:
    """Apply ``changes`` to ``message`` in place, remembering the old text in ``edits``."""
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    message.edits.append(message.text if message.text is not None else message.caption or "")
    for key, value in changes.items():
        setattr(message, key, value)
    if "text" in changes or "caption" in changes:
        message.parse_mode = parse_mode
    message.edit_date = unix_now()
    return message.to_message_json()
