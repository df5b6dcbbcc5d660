"""The Bot API's HTTP client: python-telegram-bot's request interface over aiohttp.

PTB's own backend (httpx, on httpcore) spends most of a call in its connection pool, which
scans every open connection, polling each idle socket, each time a request starts or ends:
with the 64 updates handled at once under a burst of presses, a call cost about 1.7 ms of
CPU, and a press makes two (its callback answer and its next question). aiohttp's pool hands
a free connection over in constant time: the same call costs about 0.2 ms (see
docs/performance.md, Session 6).

The wire format: parameters as PTB encodes them (``reply_markup`` a JSON string) in one JSON
body, which the Bot API accepts as it accepts a form (json.dumps is C; the form encoder quotes
byte by byte in Python), files as multipart. Errors map as PTB's own backend maps them: a timeout
(including waiting for a free connection) is ``TimedOut``, any other transport failure
``NetworkError``; PTB reads the status and body as it always does.

Replies are parsed by the standard library, as PTB does, with two changes: the message under a
pressed button comes without its keyboard and formatting (:func:`slim_update`), and a reply
that is not JSON is logged by its length, never its text (it may hold a patient's words).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest", "slim_update"]

log = logging.getLogger(__name__)

# What Telegram echoes of the message under a pressed button and no handler reads (they read
# its chat and id): PTB would build an object for every button and every formatting span. The
# seven-button emergency screen took 0.25 ms to parse a press with them, 0.11 ms without.
_ECHOED = ("reply_markup", "entities", "caption_entities")


def slim_update(update: object) -> None:
    """Drop, in place, the keyboard and formatting of a callback query's message from one
    update as Telegram sent it (anything else is left as it is)."""
    if not isinstance(update, dict):
        return
    query = update.get("callback_query")
    message = query.get("message") if isinstance(query, dict) else None
    if isinstance(message, dict):
        for key in _ECHOED:
            message.pop(key, None)


class AiohttpRequest(BaseRequest):
    """PTB's ``BaseRequest`` over one ``aiohttp.ClientSession``.

    Args:
        connection_pool_size: connections open at once (more calls wait for one).
        read_timeout: seconds to wait for Telegram's answer (None: no limit).
        write_timeout: kept for PTB's interface; aiohttp bounds the whole send by the read
            timeout.
        connect_timeout: seconds to wait for a free or new connection.
        media_write_timeout: the read timeout of calls that upload files.
    """

    __slots__ = ("_connect", "_media", "_pool_size", "_read", "_session")

    def __init__(
        self,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._connect = connect_timeout
        self._media = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        del write_timeout  # aiohttp has no separate write timeout

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (its connections open on first use)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """Telegram's reply as JSON; a list of updates (``getUpdates``) is slimmed
        (:func:`slim_update`) before PTB parses it."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            log.error("the Bot API's reply is not JSON (%d bytes)", len(payload))
            raise TelegramError("Invalid server response") from exc
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            for update in result:
                slim_update(update)
        return data  # type: ignore[no-any-return]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; see ``telegram.request.BaseRequest.do_request``."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.contains_files if request_data else False
        read = _given(read_timeout, self._media if files else self._read)
        connect = _given(connect_timeout, self._connect)
        waiting = _given(pool_timeout, None)
        if connect is not None and waiting is not None:
            connect += waiting  # aiohttp counts the wait for a free connection in it
        timeout = aiohttp.ClientTimeout(total=None, connect=connect, sock_read=read)
        try:
            data, headers = _body(request_data)
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


_JSON = {"Content-Type": "application/json"}


def _body(request_data: RequestData | None) -> tuple[Any, dict[str, str] | None]:
    """The fields as one JSON body, as multipart when there are files."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return request_data.json_payload, _JSON
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, None
