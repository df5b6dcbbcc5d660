"""uvicorn in the bot's own event loop (python-telegram-bot's custom-webhook pattern).

The process keeps its own signal handling (``run_until_signal``), so uvicorn's is switched off,
and a port that cannot be bound is raised as an ``OSError`` instead of uvicorn's exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Generator

import uvicorn
from starlette.applications import Starlette

__all__ = ["WebServer"]

log = logging.getLogger(__name__)
GRACE_SECONDS = 2  # open requests (a live alert stream) get this long at shutdown


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # the bot's runtime handles SIGINT/SIGTERM and stops us


class WebServer:
    """Serves an ASGI app on ``listen:port`` until :meth:`stop` (port 0: any free port)."""

    def __init__(self, app: Starlette, *, listen: str, port: int) -> None:
        config = uvicorn.Config(
            app,
            host=listen,
            port=port,
            lifespan="off",
            access_log=False,  # paths carry patient references: no access log
            log_level="warning",
            timeout_graceful_shutdown=GRACE_SECONDS,
            server_header=False,
            proxy_headers=True,
        )
        self.app = app
        self._server = _QuietServer(config)
        self._task: asyncio.Task[None] | None = None
        self.listen = listen
        self.port = port

    async def start(self) -> None:
        """Bind and serve in the background; return once requests are accepted.

        Raises:
            OSError: the address could not be bound.
        """
        self._task = asyncio.create_task(self._serve(), name="web-server")
        while not self._server.started:
            if self._task.done():
                await self._task  # raises what stopped it
                raise OSError(f"could not serve on {self.listen}:{self.port}")
            await asyncio.sleep(0.01)
        sockets = self._server.servers[0].sockets if self._server.servers else []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("serving HTTP on %s:%s", self.listen, self.port)

    async def _serve(self) -> None:
        try:
            await self._server.serve()
        except SystemExit as exc:  # uvicorn exits when it cannot bind
            raise OSError(f"could not serve on {self.listen}:{self.port}") from exc

    async def stop(self) -> None:
        """Stop accepting requests and wait for the server to finish."""
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(OSError, asyncio.CancelledError):
            await self._task
        self._task = None
