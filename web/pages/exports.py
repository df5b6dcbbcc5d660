"""Exports as downloads: CSV, JSON Lines or a FHIR Bundle, of every patient or one, for a date
range — the same writer and audit event as ``checkin-bot export`` and ``/export``."""

from __future__ import annotations

import io
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.audit import operator_actor
from services.console import ConsoleUser
from services.export.write import ExportFormat, ExportQuery, UnknownPatientError, write_export
from views.i18n import N_
from web.auth import services_of, signed_in
from web.templating import render, translator_of

__all__ = ["export_routes"]

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2
MEDIA = {
    ExportFormat.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportFormat.JSONL: ("application/x-ndjson; charset=utf-8", "jsonl"),
    ExportFormat.FHIR: ("application/fhir+json; charset=utf-8", "json"),
}


def _form_page(request: Request, user: ConsoleUser, error: str | None, status: int) -> Response:
    """The form; ``error`` is said in the operator's language already."""
    today = services_of(request).now().date()
    values = {
        "user": user,
        "formats": list(ExportFormat),
        "since": (today - timedelta(days=DEFAULT_DAYS)).isoformat(),
        "until": today.isoformat(),
        "error": error,
    }
    return render(request, "exports.html", values, status_code=status)


@signed_in
async def exports_page(request: Request, user: ConsoleUser) -> Response:
    """The form."""
    return _form_page(request, user, None, 200)


def _query(form: dict[str, str]) -> tuple[ExportFormat, ExportQuery] | str:
    """The export asked for, or what is wrong with the form (a message id)."""
    try:
        fmt = ExportFormat(form.get("format", ""))
    except ValueError:
        return N_("Choose a file format.")
    try:
        since, until = date.fromisoformat(form["since"]), date.fromisoformat(form["until"])
    except (KeyError, ValueError):
        return N_("Give both dates as YYYY-MM-DD.")
    if until < since:
        return N_("The end date is before the start date.")
    if (until - since).days > MAX_DAYS:
        return N_("Export at most two years at a time.")
    ref = form.get("patient", "").strip() or None
    return fmt, ExportQuery(since=since, until=until, patient_ref=ref)


@signed_in
async def download(request: Request, user: ConsoleUser) -> Response:
    """Write the export and send it as a file (audited as an export from the web)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    asked = _query(form)
    tr = translator_of(request, user.language)
    if isinstance(asked, str):
        return _form_page(request, user, tr.gettext(asked), 400)
    fmt, query = asked
    out = io.StringIO()
    try:
        await write_export(
            services_of(request),
            query,
            fmt,
            out,
            actor=operator_actor(user.operator_id),
            channel="web",
        )
    except UnknownPatientError:
        unknown = tr.gettext("No patient {ref}.", ref=query.patient_ref)
        return _form_page(request, user, unknown, 404)
    media, extension = MEDIA[fmt]
    who = f"-{query.patient_ref}" if query.patient_ref else ""
    name = f"checkins{who}-{query.since.isoformat()}-to-{query.until}.{extension}"
    return Response(
        out.getvalue(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def export_routes() -> list[Route]:
    """The exports page and its download."""
    return [
        Route("/exports", exports_page, methods=["GET"]),
        Route("/exports", download, methods=["POST"]),
    ]
