"""The protocols as loaded, read-only: questions, rules with their sources, the safety floor,
and whether a clinician signed off these exact bytes (status and sha256)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.care_team import protocol_summaries
from services.console import ConsoleUser
from web.auth import services_of, signed_in
from web.templating import render

__all__ = ["protocol_routes"]


@signed_in
async def protocol_page(request: Request, user: ConsoleUser) -> Response:
    """Every loaded protocol."""
    summaries = protocol_summaries(services_of(request), user.language)
    return render(request, "protocol.html", {"user": user, "protocols": summaries})


def protocol_routes() -> list[Route]:
    """The page."""
    return [Route("/protocol", protocol_page, methods=["GET"])]
