"""Patients by risk (search, filters, pages) and one patient's record with the pain chart.

The list reads the maintained risk summary (:func:`services.care_team.patient_rows`) and pages
with its opaque cursor; the record is read and audited by
:func:`services.care_team.patient_record`, exactly as Telegram's ``/patient`` is.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recovery import Procedure
from services.care_team import patient_record, patient_rows
from services.console import ConsoleUser
from views.care_team.course_svg import course_svg
from views.care_team.course_words import svg_labels
from web.auth import services_of, signed_in
from web.templating import render, translator_of

__all__ = ["patient_routes"]

PAGE = 25
STATUSES = ("active", "paused", "enrolling")  # models.PatientStatus values listed here
SEARCH_LENGTH = 64
DAY_LENGTH = len("2026-03-02")


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _day(value: str | None) -> date | None:
    """A day as ``YYYY-MM-DD``; anything else is no day (the latest check-ins)."""
    try:
        return date.fromisoformat(value) if value and len(value) == DAY_LENGTH else None
    except ValueError:
        return None


@signed_in
async def patients_page(request: Request, user: ConsoleUser) -> Response:
    """The list (whole page, or the table alone for htmx as the search is typed)."""
    services = services_of(request)
    params = request.query_params
    search = (params.get("q") or "").strip()[:SEARCH_LENGTH] or None
    procedure = _choice(params.get("procedure"), tuple(Procedure))
    status = _choice(params.get("status"), STATUSES)
    after = params.get("after") or None
    async with services.session_factory() as session:
        try:
            found = await patient_rows(
                session,
                services,
                services.now(),
                search=search,
                procedure=procedure,
                status=status,
                after=after,
                limit=PAGE,
            )
        except ValueError:  # a forged or stale cursor: start again at the top
            found = await patient_rows(
                session,
                services,
                services.now(),
                search=search,
                procedure=procedure,
                status=status,
                limit=PAGE,
            )
            after = None
    filters = {"q": search or "", "procedure": procedure or "", "status": status or ""}
    next_url = (
        "/patients?" + urlencode({**filters, "after": found.next_cursor})
        if found.next_cursor
        else None
    )
    values = {
        "user": user,
        "rows": found.rows,
        "filters": filters,
        "procedures": list(Procedure),
        "statuses": STATUSES,
        "next_url": next_url,
        "first_url": "/patients?" + urlencode(filters) if after else None,
    }
    template = "_patient_rows.html" if request.headers.get("hx-request") else "patients.html"
    return render(request, template, values)


@signed_in
async def patient_page(request: Request, user: ConsoleUser) -> Response:
    """One patient's record (the view is audited); ``?before=YYYY-MM-DD`` pages back through
    a long check-in history."""
    services = services_of(request)
    ref = request.path_params["ref"][:SEARCH_LENGTH]
    before = _day(request.query_params.get("before"))
    tr = translator_of(request, user.language)
    now = services.now()
    record = await patient_record(services, user.operator_id, ref, now, before=before, tr=tr)
    if record is None:
        return render(request, "error.html", {"status": 404, "user": user}, status_code=404)
    course = record.pain
    chart = (
        Markup(  # noqa: S704  (escaped by course_svg)
            course_svg(
                course.points,
                course.band,
                today=course.today,
                window=course.window,
                labels=svg_labels(tr),
            )
        )
        if course is not None
        else None
    )
    return render(request, "patient.html", {"user": user, "record": record, "chart": chart})


def patient_routes() -> list[Route]:
    """The list and the record."""
    return [
        Route("/patients", patients_page, methods=["GET"]),
        Route("/patients/{ref}", patient_page, methods=["GET"]),
    ]
