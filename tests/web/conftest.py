"""The console's pages in-process: the ASGI app on the test database, and an operator signed in
with a session straight in the database (no bot, no browser).

``operator_language`` sets the signed-in operator's stored language (None: no choice stored);
``client`` is an HTTP client of the app with that operator's session cookie.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from models import ConsoleSession, Operator
from services.care_team import operators
from services.console.secrets import digest
from services.context import Services
from web.app import build_web_app
from web.security import COOKIE

__all__ = ["CSRF", "OPERATOR", "OPERATOR_NAME", "csrf_of"]

OPERATOR = 900  # in OPERATOR_IDS of the tests' ServiceConfig
OPERATOR_NAME = "Dr Lee"
COOKIE_VALUE = "test-session-cookie-value"
CSRF = "test-csrf-token"
_CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a page's form."""
    found = _CSRF_FIELD.search(html)
    assert found is not None, "no form with a CSRF token"
    return found[1]


async def sign_in(services: Services, user_id: int, language: str | None) -> None:
    """An operator of the table (``language`` stored, None: none) with an open session."""
    await operators.add_operator(services, user_id, display_name=OPERATOR_NAME, actor="test")
    now = services.now()
    async with services.transaction() as session:
        await session.execute(
            update(Operator).where(Operator.telegram_user_id == user_id).values(language=language)
        )
        session.add(
            ConsoleSession(
                id_hash=digest(COOKIE_VALUE),
                operator_id=user_id,
                csrf_token=CSRF,
                created_at=now,
                last_seen_at=now,
            )
        )


@pytest.fixture
def operator_language() -> str | None:
    """The signed-in operator's stored language (override in a test module or by parameter)."""
    return None


@pytest.fixture
async def app_client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the console app, signed in as nobody."""

    async def health() -> None:
        raise AssertionError("not probed here")

    async def metrics() -> bytes:
        return b""

    app = build_web_app(services, health=health, metrics=metrics, console=True)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as http:
        yield http


@pytest.fixture
async def client(
    services: Services, app_client: httpx.AsyncClient, operator_language: str | None
) -> httpx.AsyncClient:
    """The console app's client with the session cookie of operator 900."""
    await sign_in(services, OPERATOR, operator_language)
    app_client.cookies.set(COOKIE, COOKIE_VALUE)
    return app_client
