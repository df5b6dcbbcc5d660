"""Whose language a console page is in: the signed-in operator's stored choice; without one
(no choice, or no row: an operator only in OPERATOR_IDS) ``CLINIC_LANGUAGE``; the sign-in page
in the language of the link's operator; pages for nobody in ``CLINIC_LANGUAGE``.

Here the clinic's language is Russian. Runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from models import ConsoleLogin, ConsoleSession
from services.console.secrets import digest
from services.context import ServiceConfig, Services
from tests.support.factories import make_alert, make_patient
from tests.web.conftest import CSRF, OPERATOR, sign_in
from views.dates import short_date
from views.i18n import translator
from web.security import COOKIE
from web.words import filters

CLINIC = "ru"
TOKEN = "a-sign-in-token-from-the-bot"


@pytest.fixture
def service_config() -> ServiceConfig:
    """The tests' operators, with a Russian-speaking clinic."""
    return ServiceConfig(
        operator_ids=frozenset({OPERATOR}), care_team_chat_id=-100, clinic_language=CLINIC
    )


def in_russian(html: str) -> bool:
    return '<html lang="ru" dir="ltr">' in html and translator(CLINIC).gettext("Patients") in html


async def test_an_operator_with_no_choice_reads_the_clinic_language(
    services: Services, client: httpx.AsyncClient
) -> None:
    html = (await client.get("/alerts")).text
    assert in_russian(html)
    assert "Оповещения" in html


async def test_an_operator_only_in_operator_ids_reads_the_clinic_language(
    services: Services, app_client: httpx.AsyncClient
) -> None:
    now = services.now()
    async with services.transaction() as session:  # a session, and no operators row
        session.add(
            ConsoleSession(
                id_hash=digest("cookie"),
                operator_id=OPERATOR,
                csrf_token=CSRF,
                created_at=now,
                last_seen_at=now,
            )
        )
    app_client.cookies.set(COOKIE, "cookie")
    assert in_russian((await app_client.get("/patients")).text)


@pytest.mark.parametrize("operator_language", ["ar"])
async def test_a_stored_choice_wins_over_the_clinic_language(
    services: Services, client: httpx.AsyncClient
) -> None:
    patient = await make_patient(services, display_name="Ann")
    await make_alert(services, patient)
    html = (await client.get("/alerts")).text
    assert '<html lang="ar" dir="rtl">' in html
    assert "Оповещения" not in html


async def test_the_sign_in_page_speaks_the_links_operator_language(
    services: Services, app_client: httpx.AsyncClient
) -> None:
    await sign_in(services, OPERATOR, "es")
    now = services.now()
    async with services.transaction() as session:
        session.add(
            ConsoleLogin(
                token_hash=digest(TOKEN),
                operator_id=OPERATOR,
                created_at=now,
                expires_at=now + timedelta(minutes=10),
            )
        )
    page = await app_client.get(f"/login/{TOKEN}")
    assert page.status_code == 200
    assert '<html lang="es" dir="ltr">' in page.text
    assert "Entrar" in page.text  # the button
    used = await app_client.get("/login/no-such-token")
    assert used.status_code == 403
    assert '<html lang="ru" dir="ltr">' in used.text  # whose link it was is not known
    assert translator(CLINIC).gettext("This sign-in link no longer works") in used.text


async def test_nobody_signed_in_reads_the_clinic_language(app_client: httpx.AsyncClient) -> None:
    page = await app_client.get("/alerts")
    assert page.status_code == 401
    assert '<html lang="ru" dir="ltr">' in page.text
    assert translator(CLINIC).gettext("Please sign in") in page.text


@pytest.mark.parametrize(
    ("language", "day", "figure", "share"),
    [
        ("en", "Mon 2 Mar", "1,234.5", "42.5%"),
        ("es", "lun 2 mar", "1.234,5", "42,5%"),
        ("ru", "пн, 2 мар.", "1\xa0234,5", "42,5%"),
        ("ar", "الاثنين 2 مارس", "1,234.5", "42.5%"),
    ],
)
def test_dates_and_figures_in_each_language(
    language: str, day: str, figure: str, share: str
) -> None:
    words = filters(translator(language))
    moment = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
    context = {"clinic_zone": UTC}
    when = words["when"](context, moment)
    assert day in when
    assert "14:05" in when
    assert short_date(moment.date(), language) == day
    assert words["number"](1234.54) == figure
    assert words["percent"](0.425, 1) == share
    assert (
        words["level_word"]("urgent")
        == {"en": "Urgent", "es": "Urgente", "ru": "Срочно", "ar": "عاجل"}[language]
    )
