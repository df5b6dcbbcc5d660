"""``GET /health`` (JSON) and ``GET /metrics`` (Prometheus text): served by every instance,
workers too, so each can be probed and scraped. Neither needs a session: they carry no
patient data (ids, names and answers never appear in them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.health import Health

__all__ = ["PROMETHEUS_TEXT", "ops_routes"]

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


def ops_routes(
    health: Callable[[], Awaitable[Health]], metrics: Callable[[], Awaitable[bytes]]
) -> list[Route]:
    """The two routes, reading the given probes."""

    async def on_health(_request: Request) -> Response:
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
        return JSONResponse(body, status_code=200 if report.ok else 503)

    async def on_metrics(_request: Request) -> Response:
        return Response(await metrics(), media_type=PROMETHEUS_TEXT)

    return [
        Route("/health", on_health, methods=["GET"]),
        Route("/metrics", on_metrics, methods=["GET"]),
    ]
