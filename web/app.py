"""The one ASGI app of an instance: the console, ``/health``, ``/metrics`` and (in webhook mode)
Telegram's webhook route, on one port (python-telegram-bot's custom-webhook pattern)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from services import console
from services.context import Services
from services.health import Health
from web.auth import auth_routes
from web.live import BoardWatch
from web.ops import ops_routes
from web.pages.alerts import alert_routes
from web.pages.exports import export_routes
from web.pages.patients import patient_routes
from web.pages.programme import programme_routes
from web.pages.protocol import protocol_routes
from web.security import COOKIE, SecurityHeaders
from web.templating import render

__all__ = ["build_web_app"]

STATIC = Path(__file__).parent / "static"


async def _home(_request: Request) -> Response:
    return RedirectResponse("/alerts", status_code=303)


async def _not_found(request: Request, _exc: Exception) -> Response:
    """No such page: said in the signed-in operator's language (anyone else: the clinic's)."""
    user = await console.resolve_session(request.app.state.services, request.cookies.get(COOKIE))
    language = user.language if user is not None else None
    return render(request, "error.html", {"status": 404}, status_code=404, language=language)


def console_routes() -> list[BaseRoute]:
    """Every page of the care team's console, and its static files."""
    return [
        Route("/", _home, methods=["GET"]),
        *auth_routes(),
        *alert_routes(),
        *export_routes(),
        *patient_routes(),
        *programme_routes(),
        *protocol_routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def build_web_app(
    services: Services,
    *,
    health: Callable[[], Awaitable[Health]],
    metrics: Callable[[], Awaitable[bytes]],
    console: bool,
    extra: Sequence[BaseRoute] = (),
) -> Starlette:
    """The app: ``/health`` and ``/metrics`` always, the console when ``console`` (not on
    ``--worker`` instances), and ``extra`` routes (the webhook).

    Args:
        services: the bot's services (the pages call the same use cases as the bot).
        health: the health probe.
        metrics: renders the Prometheus text.
        console: whether to serve the console.
        extra: further routes, e.g. Telegram's webhook.

    Returns:
        The ASGI app; ``app.state.closing`` set ends the live streams (at shutdown).
    """
    routes: list[BaseRoute] = [*ops_routes(health, metrics), *extra]
    if console:
        routes += console_routes()
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={404: _not_found} if console else {},
    )
    app.state.services = services
    app.state.public_url = services.config.console_url
    app.state.closing = asyncio.Event()
    app.state.board_watch = BoardWatch(services, app.state.closing)
    return app
