"""Jinja2 templates (autoescaped) in the signed-in operator's language.

Every console text is a gettext message (``{% trans %}`` blocks and ``_()`` in the templates,
extracted by ``pybabel`` through ``babel.cfg``): one Jinja2 environment per language, each with
that language's catalog installed (Jinja2's i18n extension, new-style: ``_("... %(name)s",
name=...)``), its filters (:mod:`web.words`) and ``lang``/``dir`` for the page's ``<html>``.
A page is rendered in the operator's language (:attr:`services.console.ConsoleUser.language`);
a page before signing in in ``CLINIC_LANGUAGE`` unless the page knows better (the sign-in link's
operator).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from recovery import Level
from views.i18n import Translator, pick_language, translator
from web.words import comma, filters

__all__ = ["render", "templates_in", "translator_of"]

HERE = Path(__file__).parent


@functools.cache
def templates_in(language: str) -> Jinja2Templates:
    """The console's templates in one language (built once per language and process; compiled
    once: no stat of every template per page)."""
    tr = translator(language)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks are spaces
    env.install_gettext_translations(tr.catalog, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        Level=Level, lang=tr.language, dir="rtl" if tr.rtl else "ltr", comma=comma(tr.language)
    )
    env.filters.update(filters(tr))
    return Jinja2Templates(env=env)


def translator_of(request: Request, language: str | None = None) -> Translator:
    """The translator of a page's reader: ``language``, else ``CLINIC_LANGUAGE``."""
    return translator(pick_language(language or request.app.state.services.config.clinic_language))


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    language: str | None = None,
) -> HTMLResponse:
    """Render a template with the request, the clinic's zone and the page's values, in the
    language of the signed-in ``context["user"]`` (else ``language``, else the clinic's)."""
    services = request.app.state.services
    user = context.get("user")
    tr = translator_of(request, user.language if user is not None else language)
    values = {"clinic_zone": services.config.clinic_zone, **context}
    return templates_in(tr.language).TemplateResponse(
        request, name, values, status_code=status_code
    )
