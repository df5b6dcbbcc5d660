"""The programme's figures per procedure (completion by week, alerts per 100 check-ins, time
to acknowledge, outcomes), on the page and as CSV. Counts over many patients only: nothing on
this page names a patient, so it is not a view of anyone's record."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.care_team import programme_figures
from services.console import ConsoleUser
from views.alerts import OUTCOME_LABELS
from views.care_team.programme import ALERT_LEVELS, programme_csv
from web.auth import services_of, signed_in
from web.templating import render

__all__ = ["programme_routes"]


async def _figures(request: Request):  # type: ignore[no-untyped-def]
    services = services_of(request)
    async with services.session_factory() as session:
        return await programme_figures(session, services, services.now())


@signed_in
async def programme_page(request: Request, user: ConsoleUser) -> Response:
    """The figures."""
    figures = await _figures(request)
    values = {
        "user": user,
        "figures": figures,
        "levels": ALERT_LEVELS,
        "outcomes": OUTCOME_LABELS,
    }
    return render(request, "programme.html", values)


@signed_in
async def programme_download(request: Request, _user: ConsoleUser) -> Response:
    """The same figures as CSV."""
    figures = await _figures(request)
    stamp = figures.as_of.strftime("%Y-%m-%d")
    return Response(
        programme_csv(figures),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="programme-{stamp}.csv"'},
    )


def programme_routes() -> list[Route]:
    """The page and its CSV."""
    return [
        Route("/programme", programme_page, methods=["GET"]),
        Route("/programme.csv", programme_download, methods=["GET"]),
    ]
