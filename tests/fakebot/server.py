"""A fake Telegram Bot API HTTP server for running a real python-telegram-bot ``Application``.

Point the bot at it with
``ApplicationBuilder().base_url(f"{api.root_url}/bot").base_file_url(f"{api.root_url}/file/bot")``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Self, TypeVar

from aiohttp import web

from tests.fakebot.limits import HANG, Fault, RateLimiter
from tests.fakebot.methods import BotMethods
from tests.fakebot.state import SentMessage, TelegramState
from tests.fakebot.users import UserActions
from tests.fakebot.wire import ApiError, JSONDict, UploadedFile, decode_param, user_json

T = TypeVar("T")

_POLL_INTERVAL = 0.02  # fallback re-check period of the wait_* helpers, in seconds
_MAX_UPLOAD = 64 * 1024 * 1024
_FAULT_STATUSES = frozenset({HANG, 400, 403, 429, 500})
_SENDS = frozenset({"sendmessage", "editmessagetext", "senddocument"})


class FakeBotApi(UserActions):
    """The Telegram Bot API, faked in-process: act as users, observe the bot, inject faults.

    Use as ``async with FakeBotApi() as api:``. All state lives in the event loop's thread
    and handlers never await between reading and writing it, so concurrent requests are safe.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - a fake token
        bot_username: str = "recovery_test_bot",
        bot_id: int = 999000,
    ) -> None:
        """Configure the bot identity the server answers for; call :meth:`start` to serve."""
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.root_url = ""
        self.malformed_replies = False
        bot_user = user_json(bot_id, "Recovery Test Bot", bot_username, is_bot=True)
        self._state = TelegramState(bot_user)
        self._bot = BotMethods(self._state)
        self._runner: web.AppRunner | None = None

    # --- lifecycle ---

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1 and set :attr:`root_url`."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/documents/{file_id}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.root_url = f"http://{host}:{port}"
        self._bot.open()

    async def stop(self) -> None:
        """Answer pending long polls and hung requests, then shut the server down."""
        self._bot.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the server."""
        await self.stop()

    # --- HTTP ---

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Serve ``/bot<token>/<method>``."""
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        method = request.match_info["method"].lower()
        params = await _read_params(request)
        self._state.record_call(method, params)
        try:
            result = await self._bot.call(method, params)
        except ApiError as error:
            return _error_response(error)
        finally:
            self._state.activity.fire()
        if self.malformed_replies and method in _SENDS and isinstance(result, dict):
            # a Bot API server whose reply lost its shape: the send happened
            result = json.dumps(result)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve ``/file/bot<token>/documents/<file_id>`` (the ``file_path`` of getFile)."""
        document = self._bot.files.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or document is None:
            raise web.HTTPNotFound
        return web.Response(body=document["content"], content_type=document["mime_type"])

    # --- observing the bot ---

    @property
    def pending_update_count(self) -> int:
        """Updates the bot has not fetched and confirmed yet."""
        return self._state.pending_update_count

    @property
    def calls(self) -> list[tuple[str, JSONDict]]:
        """Every request as (lower-cased method, decoded params), in arrival order."""
        return self._state.calls

    def calls_to(self, method: str) -> list[JSONDict]:
        """The params of every call to ``method`` (case-insensitive)."""
        return list(self._state.calls_by_method.get(method.lower(), []))

    def timed_calls(self, method: str) -> list[tuple[float, JSONDict]]:
        """(``time.perf_counter()`` at arrival, params) of every call to ``method``."""
        wanted = method.lower()
        return [
            (at, params)
            for at, (name, params) in zip(self._state.call_times, self._state.calls, strict=True)
            if name == wanted
        ]

    @property
    def commands(self) -> list[JSONDict]:
        """The command list of the last setMyCommands call."""
        return self._bot.commands

    def commands_in(self, chat_id: int | None = None) -> list[str]:
        """The command names Telegram would show in ``chat_id`` (a chat scope), or everyone's
        (the default scope) when None."""
        return [c["command"] for c in self.menu(chat_id)]

    def menu(self, chat_id: int | None = None, language_code: str = "") -> list[JSONDict]:
        """The commands (``command``, ``description``) stored for a chat scope (None: the
        default scope) and a language (``""``: for any language), as getMyCommands returns."""
        scope = {"type": "default"} if chat_id is None else {"type": "chat", "chat_id": chat_id}
        return self._bot.command_set(scope, language_code)

    @property
    def webhook(self) -> JSONDict:
        """The webhook set by setWebhook: ``{"url", "secret_token"}`` (url "" when unset)."""
        return self._bot.webhook

    @property
    def unknown_chats(self) -> set[int]:
        """Chat ids that answer 400 "chat not found" (add to it freely)."""
        return self._state.unknown_chats

    @unknown_chats.setter
    def unknown_chats(self, chat_ids: set[int]) -> None:
        self._state.unknown_chats = chat_ids

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to ``chat_id`` in order, in its current state (deleted
        ones included, flagged ``deleted``, so that indices stay stable)."""
        chat = self._state.chats.get(chat_id)
        return [] if chat is None else list(chat.sent)

    def all_messages(self) -> list[SentMessage]:
        """Every message the bot delivered, to any chat (failed requests are not messages)."""
        return [message for chat in self._state.chats.values() for message in chat.sent]

    @property
    def pending_updates(self) -> int:
        """Updates injected but not yet confirmed by the bot's getUpdates offset."""
        return self._state.pending_update_count

    def last_message(self, chat_id: int) -> SentMessage:
        """The bot's latest message to ``chat_id``; AssertionError if there is none."""
        chat = self._state.chats.get(chat_id)
        if chat is None or not chat.sent:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return chat.sent[-1]

    def photos(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages to ``chat_id`` that carry a photo."""
        return [message for message in self.messages(chat_id) if message.photo is not None]

    def documents(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages to ``chat_id`` that carry a document."""
        return [message for message in self.messages(chat_id) if message.document is not None]

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        contains: str | None = None,
        predicate: Callable[[SentMessage], bool] | None = None,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public API
    ) -> SentMessage:
        """Wait for a bot message to ``chat_id`` at index >= ``after`` of :meth:`messages`
        whose text or caption contains ``contains`` (case-insensitive) and that satisfies
        ``predicate``; AssertionError with the chat's messages on timeout."""

        def find() -> SentMessage | None:
            chat = self._state.chats.get(chat_id)
            sent = [] if chat is None else chat.sent
            for index in range(after, len(sent)):
                message = sent[index]
                if (contains is None or message.contains(contains)) and (
                    predicate is None or predicate(message)
                ):
                    return message
            return None

        found = await self._wait(find, timeout)
        if found is None:
            raise AssertionError(
                f"no message to chat {chat_id} at index >= {after} with {contains=!r}"
                f"{' matching the predicate' if predicate else ''} within {timeout}s; "
                f"the chat has:\n{self._dump(chat_id)}"
            )
        return found

    async def wait_for(
        self,
        condition: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public API
    ) -> T:
        """Wait until ``condition()`` is truthy and return it, re-checking after every request
        and user action (and every 20 ms); AssertionError on timeout."""
        value = await self._wait(condition, timeout)
        if value is None:
            raise AssertionError(f"condition {condition!r} still false after {timeout}s")
        return value

    @property
    def callback_answers(self) -> list[JSONDict]:
        """Every answerCallbackQuery: ``{"callback_query_id", "text", "show_alert"}``."""
        return self._state.callback_answers

    def callback_answer(self, callback_query_id: str) -> JSONDict | None:
        """The answer to that callback query, if the bot gave one."""
        return self._state.answers_by_id.get(callback_query_id)

    async def wait_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public API
    ) -> JSONDict:
        """Wait for the bot to answer that callback query; AssertionError on timeout."""
        answer = await self._wait(lambda: self.callback_answer(callback_query_id), timeout)
        if answer is None:
            raise AssertionError(f"callback query {callback_query_id} unanswered after {timeout}s")
        return answer

    async def _wait(self, condition: Callable[[], T], seconds: float) -> T | None:
        """``condition()`` once truthy, or None after ``seconds``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not (value := condition()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            await self._state.activity.wait(min(remaining, _POLL_INTERVAL))
        return value

    def _dump(self, chat_id: int) -> str:
        """The bot's messages to ``chat_id``, one per line, for assertion messages."""
        lines = [f"  [{index}] {m.describe()}" for index, m in enumerate(self.messages(chat_id))]
        return "\n".join(lines) or "  (no messages)"

    # --- faults and limits ---

    def fail_chat(
        self,
        chat_id: int,
        status: int,
        *,
        times: int | None = None,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make send/edit requests for ``chat_id`` fail with HTTP ``status`` (429 with
        ``retry_after``, 403, 400, 500, or 0 = hang until the server stops) for the next
        ``times`` requests, or until :meth:`clear_faults` when ``times`` is None."""
        if status not in _FAULT_STATUSES:
            raise ValueError(f"status must be one of {sorted(_FAULT_STATUSES)}, got {status}")
        if times is not None and times < 1:
            raise ValueError(f"times must be positive, got {times}")
        self._bot.faults.add(chat_id, Fault(status, times, retry_after, description))

    def malform_replies(self, on: bool = True) -> None:
        """Fault mode: sends and edits succeed, but their replies carry the sent message as one
        JSON string instead of an object, which the client cannot read."""
        self.malformed_replies = on

    def clear_faults(self, chat_id: int | None = None) -> None:
        """Remove the faults of ``chat_id``, or of every chat."""
        self._bot.faults.clear(chat_id)

    def enforce_limits(
        self,
        *,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        per_group_per_minute: int = 20,
    ) -> None:
        """From now on answer sends/edits beyond Telegram's flood limits (sliding windows)
        with 429 and count them in :attr:`limit_violations`."""
        self._bot.limiter = RateLimiter(
            global_per_second=global_per_second,
            per_chat_per_second=per_chat_per_second,
            per_group_per_minute=per_group_per_minute,
        )

    @property
    def limit_violations(self) -> int:
        """How many requests :meth:`enforce_limits` answered with 429."""
        return self._bot.limit_violations


async def _read_params(request: web.Request) -> JSONDict:
    """Decode query, form, multipart or JSON parameters into Python values."""
    if request.content_type == "application/json" and request.body_exists:
        body = await request.json()
    else:
        body = await request.post()
    params: JSONDict = {}
    for source in (request.query, body):
        for name, value in source.items():
            if isinstance(value, web.FileField):
                value = UploadedFile(value.filename, value.file.read(), value.content_type)
            params[name] = decode_param(name, value)
    return params


def _error_response(error: ApiError) -> web.Response:
    """The HTTP response for an :class:`ApiError`."""
    return web.json_response(error.to_json(), status=error.status)
