"""The alert board: open alerts riskiest first, live, with Acknowledge and the outcome.

The page listens on ``/alerts/events`` (Server-Sent Events): when an alert was raised,
reported again, reminded, acknowledged (here or in Telegram) or given an outcome, the stream
tells the page to fetch ``/alerts/board`` again (one :class:`web.live.BoardWatch` per instance
notices it within a second). Acknowledging here runs the same service as the Telegram button, so
every Telegram post of the alert is edited too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from services.alerts import acknowledge_alert, record_outcome
from services.care_team import alert_board
from services.console import ConsoleUser
from views.alerts import OUTCOME_LABELS
from views.callbacks import AckCb, AlertOutcome, OutcomeCb
from views.i18n import N_
from web.auth import services_of, signed_in
from web.live import BoardWatch
from web.templating import render, translator_of

__all__ = ["alert_routes"]

KEEPALIVE_SECONDS = 15.0
NO_ALERT = N_("No such alert.")
CHOOSE_OUTCOME = N_("Choose what was done.")


async def _board_context(request: Request, user: ConsoleUser, notice: str | None = None) -> dict:  # type: ignore[type-arg]
    services = services_of(request)
    tr = translator_of(request, user.language)
    async with services.session_factory() as session:
        open_alerts, recent = await alert_board(session, services, services.now(), tr)
    return {
        "user": user,
        "open_alerts": open_alerts,
        "recent": recent,
        "outcomes": OUTCOME_LABELS,
        "notice": notice,
    }


@signed_in
async def alerts_page(request: Request, user: ConsoleUser) -> Response:
    """The whole page."""
    return render(request, "alerts.html", await _board_context(request, user))


@signed_in
async def board(request: Request, user: ConsoleUser) -> Response:
    """The board alone (what the live page swaps in)."""
    return render(request, "_board.html", await _board_context(request, user))


@signed_in
async def events(request: Request, _user: ConsoleUser) -> Response:
    """The live stream: a ``board`` event whenever the board changed."""
    watch: BoardWatch = request.app.state.board_watch
    closing: asyncio.Event = request.app.state.closing

    async def stream() -> AsyncIterator[str]:
        seen = watch.generation
        yield "retry: 2000\n\n"
        while not closing.is_set():
            now = await watch.next_change(seen, KEEPALIVE_SECONDS)
            if closing.is_set():
                break
            yield "event: board\ndata: changed\n\n" if now != seen else ": keep-alive\n\n"
            seen = now

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"x-accel-buffering": "no"},  # a reverse proxy must not hold events back
    )


def _after_write(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


@signed_in
async def acknowledge(request: Request, user: ConsoleUser) -> Response:
    """Acknowledge an alert (first press wins, here or in Telegram)."""
    alert_id = _alert_id(request)
    if alert_id is None:
        return _refused(request, user, NO_ALERT, 404)
    notice = await acknowledge_alert(
        services_of(request), user.operator_id, user.name, AckCb(alert_id)
    )
    if not _after_write(request):
        return RedirectResponse("/alerts", status_code=303)
    return render(request, "_board.html", await _board_context(request, user, notice))


@signed_in
async def outcome(request: Request, user: ConsoleUser) -> Response:
    """Record what was done about an acknowledged alert."""
    alert_id = _alert_id(request)
    form = await request.form()
    try:
        choice = AlertOutcome(str(form.get("outcome", "")))
    except ValueError:
        return _refused(request, user, CHOOSE_OUTCOME, 400)
    if alert_id is None:
        return _refused(request, user, NO_ALERT, 404)
    notice = await record_outcome(
        services_of(request), user.operator_id, user.name, OutcomeCb(alert_id, choice)
    )
    if not _after_write(request):
        return RedirectResponse("/alerts", status_code=303)
    return render(request, "_board.html", await _board_context(request, user, notice))


def _refused(request: Request, user: ConsoleUser, msgid: str, status: int) -> Response:
    """A write that cannot be done, said in the operator's language."""
    return Response(translator_of(request, user.language).gettext(msgid), status_code=status)


def _alert_id(request: Request) -> int | None:
    raw = request.path_params["alert_id"]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def alert_routes() -> list[Route]:
    """The board's routes."""
    return [
        Route("/alerts", alerts_page, methods=["GET"]),
        Route("/alerts/board", board, methods=["GET"]),
        Route("/alerts/events", events, methods=["GET"]),
        Route("/alerts/{alert_id}/acknowledge", acknowledge, methods=["POST"]),
        Route("/alerts/{alert_id}/outcome", outcome, methods=["POST"]),
    ]
