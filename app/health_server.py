"""``GET /health`` (JSON) and ``GET /metrics`` (Prometheus text) on HEALTH_LISTEN:HEALTH_PORT,
in every mode, so each instance (poller, webhook or worker) can be probed and scraped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from app.metrics import CONTENT_TYPE_LATEST
from services.health import Health

__all__ = ["HealthServer", "bind", "health_handler"]

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.Response]]


def health_handler(health: Callable[[], Awaitable[Health]]) -> Handler:
    """The ``/health`` route: 200 with a JSON report, 503 when degraded."""

    async def on_health(_request: web.Request) -> web.Response:
        report = await health()
        body = {
            "status": "ok" if report.ok else "degraded",
            "database": report.database,
            "pending_messages": report.pending_messages,
            "oldest_pending_seconds": round(report.oldest_pending_seconds, 1),
            "protocols": [
                {"family": p.family, "version": p.version, "status": p.status, "sha256": p.sha256}
                for p in report.protocols
            ],
            "alerts": report.alerts_problem or "ok",
        }
        return web.json_response(body, status=200 if report.ok else 503)

    return on_health


async def bind(runner: web.AppRunner, listen: str, port: int) -> int:
    """Set up ``runner`` and serve on ``listen:port``; return the bound port (for port 0)."""
    await runner.setup()
    site = web.TCPSite(runner, listen, port)
    await site.start()
    sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
    return int(sockets[0].getsockname()[1]) if sockets else port


class HealthServer:
    """A small aiohttp server with ``/health`` and ``/metrics`` only."""

    def __init__(
        self,
        *,
        listen: str,
        port: int,
        health: Callable[[], Awaitable[Health]],
        metrics: Callable[[], Awaitable[bytes]],
    ) -> None:
        self._metrics = metrics
        app = web.Application()
        app.router.add_get("/health", health_handler(health))
        app.router.add_get("/metrics", self._on_metrics)
        self._runner = web.AppRunner(app, access_log=None)
        self._listen, self.port = listen, port

    async def start(self) -> None:
        """Bind and serve (raises OSError when the port is taken)."""
        self.port = await bind(self._runner, self._listen, self.port)
        log.info("health and metrics on %s:%s", self._listen, self.port)

    async def stop(self) -> None:
        """Stop accepting requests."""
        await self._runner.cleanup()

    async def _on_metrics(self, _request: web.Request) -> web.Response:
        body = await self._metrics()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
