"""Jinja2 templates (autoescaped) and the filters the pages share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from recovery import Level

__all__ = ["LEVEL_WORDS", "render", "templates"]

HERE = Path(__file__).parent
LEVEL_WORDS = {Level.EMERGENCY: "Emergency", Level.URGENT: "Urgent", Level.ATTENTION: "Review"}

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.auto_reload = False  # compiled once per process: no stat of every template per page


@pass_context
def _when(context: Context, moment: datetime | None, style: str = "full") -> str:
    """A time in the clinic's zone: "Tue 1 Dec, 14:05 GMT" (``style="time"``: "14:05")."""
    if moment is None:
        return "—"
    zone: ZoneInfo = context["clinic_zone"]
    local = moment.astimezone(zone)
    if style == "time":
        return f"{local:%H:%M}"
    return local.strftime(f"%a {local.day} %b, %H:%M %Z")  # one strftime: ~500 on a record


def _level_word(level: Level | str | None) -> str:
    return LEVEL_WORDS.get(Level(level), str(level)) if level else "—"


templates.env.filters["when"] = _when
templates.env.filters["level_word"] = _level_word
templates.env.globals["Level"] = Level


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a template with the request, the clinic's zone and the page's values."""
    services = request.app.state.services
    values = {"clinic_zone": services.config.clinic_zone, **context}
    return templates.TemplateResponse(request, name, values, status_code=status_code)
