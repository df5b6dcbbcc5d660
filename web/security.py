"""Headers on every response, the session cookie, and the CSRF check on every write.

- Content-Security-Policy: scripts, styles and images only from this server; no inline script
  or style; no framing; forms post only here. The pages carry no inline script at all.
- Referrer-Policy no-referrer (page addresses carry patient references), nosniff, no caching of
  pages that show health data.
- The session cookie is HttpOnly and SameSite=Strict, and Secure when the console's public
  address is https. It is a browser-session cookie; the server ends the session after 8 hours
  without use (:data:`services.console.IDLE_LIMIT`).
- A write (POST) must carry the session's CSRF token, in the form field ``csrf`` or the
  ``X-CSRF-Token`` header (htmx sends it, from the ``hx-headers`` of the page's body).
"""

from __future__ import annotations

import hmac

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.console import ConsoleUser

__all__ = ["COOKIE", "SecurityHeaders", "cookie_options", "csrf_ok"]

COOKIE = "console_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": POLICY,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (streams too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def cookie_options(public_url: str | None) -> dict[str, object]:
    """The session cookie's attributes for a console served at ``public_url``."""
    return {
        "httponly": True,
        "samesite": "strict",
        "secure": bool(public_url and public_url.startswith("https://")),
        "path": "/",
    }


async def csrf_ok(request: Request, user: ConsoleUser) -> bool:
    """Whether a write carries this session's CSRF token (header or form field)."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and hmac.compare_digest(sent.encode(), user.csrf_token.encode())
