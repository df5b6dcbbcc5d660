"""Signing in with the bot's one-time link, signing out, and the guard on every page.

``GET /login/<token>`` only shows a "Sign in" button (link previews and scanners fetch links
but do not press buttons, so they cannot use the link up); the button POSTs the token, which
opens the session and redirects, from this site, to the alerts (a SameSite=Strict cookie set
after a cross-site navigation would not be sent on its redirect).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services import console
from services.console import ConsoleUser
from services.context import Services
from views.i18n import N_
from web.security import COOKIE, cookie_options, csrf_ok
from web.templating import render, translator_of

__all__ = ["Page", "auth_routes", "signed_in"]

Page = Callable[[Request, ConsoleUser], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
STALE_FORM = N_("The form was out of date; reload the page.")


def services_of(request: Request) -> Services:
    """The bot's services, shared with the web app."""
    services: Services = request.app.state.services
    return services


def signed_in(page: Page) -> Endpoint:
    """Run ``page`` for a signed-in operator; anyone else gets 401 and the "ask the bot for a
    link" page (fragments and streams a bare 401). A POST must carry the CSRF token (403)."""

    @wraps(page)
    async def endpoint(request: Request) -> Response:
        services = services_of(request)
        user = await console.resolve_session(services, request.cookies.get(COOKIE))
        if user is None:
            if request.headers.get("hx-request") or request.url.path.endswith("/events"):
                return Response("Signed out", status_code=401, headers={"HX-Refresh": "true"})
            return render(request, "signed_out.html", {"reason": "none"}, status_code=401)
        if request.method == "POST" and not await csrf_ok(request, user):
            stale = translator_of(request, user.language).gettext(STALE_FORM)
            return Response(stale, status_code=403)
        return await page(request, user)

    return endpoint


async def login_page(request: Request) -> Response:
    """The link from the bot: a button that signs in (in its operator's language), or why the
    link no longer works."""
    token = request.path_params["token"]
    language = await console.link_language(services_of(request), token)
    if language is None:
        return render(request, "signed_out.html", {"reason": "link"}, status_code=403)
    return render(request, "login.html", {"token": token}, language=language)


async def login(request: Request) -> Response:
    """The "Sign in" button: use the link up and open a session."""
    form = await request.form()
    token = form.get("token")
    opened = (
        await console.redeem_link(services_of(request), token) if isinstance(token, str) else None
    )
    if opened is None:
        return render(request, "signed_out.html", {"reason": "link"}, status_code=403)
    response = RedirectResponse("/alerts", status_code=303)
    response.set_cookie(COOKIE, opened.cookie, **cookie_options(request.app.state.public_url))  # type: ignore[arg-type]
    return response


@signed_in
async def logout(request: Request, user: ConsoleUser) -> Response:
    """Sign out: the session ends here and now."""
    await console.end_session(services_of(request), request.cookies.get(COOKIE))
    response = render(request, "signed_out.html", {"reason": "signed_out"}, language=user.language)
    response.delete_cookie(COOKIE, path="/")
    return response


def auth_routes() -> list[Route]:
    """Sign-in and sign-out."""
    return [
        Route("/login/{token}", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
