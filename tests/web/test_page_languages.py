"""Every console page in the signed-in operator's language (issue #16): the copy from the
catalogs, ``<html lang dir>`` (right to left in Arabic), dates in the language's format, level
words and findings as the bot translates them, protocol texts from the protocol's overlay.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import httpx
import pytest
from sqlalchemy import select, update

from models import Alert, AlertStatus
from recovery import Level, Procedure
from services.alerts import acknowledge_alert
from services.context import Services
from tests.support.factories import make_alert, make_checkin, make_patient
from tests.web.conftest import CSRF, OPERATOR
from views.callbacks import AckCb
from views.care_team.common import acknowledged_label
from views.dates import full_date, short_date
from views.i18n import translator

SURGERY = date(2026, 2, 20)
TODAY = date(2026, 3, 2)  # the fixed clock: Monday 2 March 2026, 09:00 UTC
# What an operator reads, by language, that the English console does not say.
SPOKEN = {
    "es": {
        "nav": "Pacientes",
        "level": "Urgente",
        "finding": "fiebre",
        "question": "¿Tiene fiebre?",
    },
    "ar": {"nav": "المرضى", "level": "عاجل", "finding": "حُمّى", "question": "هل عندك حُمّى؟"},
}
LANGUAGES = sorted(SPOKEN)


@pytest.fixture(params=LANGUAGES)
def operator_language(request: pytest.FixtureRequest) -> str:
    """Each language in turn as the signed-in operator's stored choice."""
    return str(request.param)


async def seed(services: Services) -> str:
    """Ann after kyphoplasty: yesterday's check-in with a fever, its open urgent alert, and an
    older alert acknowledged with an outcome; her reference."""
    ann = await make_patient(services, display_name="Ann", surgery_date=SURGERY)
    answers = {"emergency": "none", "pain": 6, "fever": "yes", "numbness": "no"}
    checkin = await make_checkin(
        services, ann, TODAY - timedelta(days=1), 9, answers=answers, level=Level.URGENT
    )
    await make_alert(services, ann, checkin_id=checkin)
    done = await make_alert(services, ann, status=AlertStatus.ACKNOWLEDGED)
    async with services.transaction() as session:
        await session.execute(
            update(Alert)
            .where(Alert.id == done)
            .values(
                acknowledged_at=services.now() - timedelta(hours=1),
                acknowledged_by=OPERATOR,
                outcome="called",
                outcome_by=OPERATOR,
                outcome_at=services.now() - timedelta(minutes=30),
            )
        )
    return f"P-{ann:04d}"


def speaks(html: str, language: str) -> None:
    """The page is marked up in ``language`` and its navigation is in it."""
    rtl = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{rtl}">' in html
    assert SPOKEN[language]["nav"] in html
    assert "Signed in as" not in html


async def page(client: httpx.AsyncClient, path: str) -> str:
    reply = await client.get(path)
    assert reply.status_code == 200, (path, reply.status_code)
    return reply.text


async def test_the_alert_board(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    await seed(services)
    html = await page(client, "/alerts")
    speaks(html, operator_language)
    words = SPOKEN[operator_language]
    tr = translator(operator_language)
    assert words["level"] in html
    assert words["finding"] in html  # the rule's phrase from the overlay, not "You have a fever."
    assert "You have a fever." not in html
    assert short_date(TODAY, operator_language) in html  # "lun 2 mar", "الاثنين 2 مارس"
    assert tr.gettext("No open alerts.") not in html
    assert "Acknowledged in the last 24 hours" not in html
    assert tr.gettext("called the patient") in html  # the recorded outcome
    assert "<bdi>Ann</bdi>" in html


async def test_the_patient_list(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    ref = await seed(services)
    html = await page(client, "/patients")
    speaks(html, operator_language)
    tr = translator(operator_language)
    assert f"<bdi>{ref}</bdi>" in html
    assert tr.gettext("kyphoplasty")[:1].upper() + tr.gettext("kyphoplasty")[1:] in html
    assert tr.gettext("Patients by risk") in html
    assert short_date(TODAY, operator_language) in html  # the last check-in, this morning


async def test_the_patient_record(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    ref = await seed(services)
    html = await page(client, f"/patients/{ref}")
    speaks(html, operator_language)
    words = SPOKEN[operator_language]
    protocol = services.protocols.for_procedure(Procedure.KYPHOPLASTY, operator_language)
    fever = protocol.question("fever")
    assert fever is not None
    yes = fever.option("yes")
    assert yes is not None
    assert f'<th scope="row">{fever.title}</th>' in html  # the question's short label
    assert f"<bdi>{yes.label}</bdi>" in html  # the answer's label, from the overlay
    assert words["finding"] in html
    assert full_date(SURGERY, operator_language) in html  # operated on ...
    assert short_date(TODAY - timedelta(days=1), operator_language) in html  # the check-in
    assert '<figure class="chart" dir="ltr"><svg' in html
    assert translator(operator_language).gettext("Pain by day since the operation") in html


async def test_who_acknowledged_an_alert_reads_in_the_operators_language(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    ref = await seed(services)
    async with services.session_factory() as session:
        alert_id = await session.scalar(select(Alert.id).where(Alert.status == AlertStatus.OPEN))
    assert alert_id is not None
    await acknowledge_alert(services, OPERATOR, "Dr Lee", AckCb(alert_id))  # posts: English
    html = await page(client, f"/patients/{ref}")
    zone = services.config.clinic_zone
    english = acknowledged_label("Dr Lee", services.now(), zone, translator("en"))
    assert escape(english) not in html
    assert (
        escape(acknowledged_label("Dr Lee", services.now(), zone, translator(operator_language)))
        in html
    )


async def test_the_programme(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    await seed(services)
    html = await page(client, "/programme")
    speaks(html, operator_language)
    tr = translator(operator_language)
    assert tr.gettext("Outcomes recorded") in html
    assert short_date(TODAY, operator_language) in html  # figures as of today
    assert SPOKEN[operator_language]["level"] in html  # "Urgent alerts per 100 check-ins"


async def test_the_protocol_page_reads_the_overlay(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    html = await page(client, "/protocol")
    speaks(html, operator_language)
    assert SPOKEN[operator_language]["question"] in html
    assert f"augmentation.{operator_language}.yaml" in html  # where the texts come from
    for protocol in services.protocols.all():  # the safety floor's red flags, as translated
        shown = services.protocols.in_language(protocol, operator_language)
        assert shown.floor_signs
        for sign in shown.floor_signs.values():
            assert escape(sign) in html
    for protocol in services.protocols.all():
        assert protocol.content_hash in html


async def test_the_exports_page_is_localized_but_the_file_is_not(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    await seed(services)
    html = await page(client, "/exports")
    speaks(html, operator_language)
    tr = translator(operator_language)
    assert tr.gettext("File format") in html
    form = {"csrf": CSRF, "format": "csv", "since": "2026-02-01", "until": "2026-03-02"}
    download = await client.post("/exports", data=form)
    assert download.status_code == 200
    assert download.text.startswith("patient_ref,")  # data for other systems: as it was
    backwards = await client.post("/exports", data={**form, "until": "2026-01-01"})
    assert backwards.status_code == 400
    assert tr.gettext("The end date is before the start date.") in backwards.text
    speaks(backwards.text, operator_language)


async def test_acknowledging_on_the_board_answers_in_the_language(
    services: Services, client: httpx.AsyncClient, operator_language: str
) -> None:
    await seed(services)
    async with services.session_factory() as session:
        alert_id = await session.scalar(select(Alert.id).where(Alert.status == AlertStatus.OPEN))
    reply = await client.post(
        f"/alerts/{alert_id}/acknowledge", headers={"HX-Request": "true", "X-CSRF-Token": CSRF}
    )
    assert reply.status_code == 200
    tr = translator(operator_language)
    assert tr.gettext("Acknowledged. Every post of this alert now shows your name.") in reply.text
    assert tr.gettext("No open alerts.") in reply.text


async def test_a_page_that_is_not_there(client: httpx.AsyncClient, operator_language: str) -> None:
    reply = await client.get("/patients/P-9999")
    assert reply.status_code == 404
    speaks(reply.text, operator_language)
    assert translator(operator_language).gettext("Not found") in reply.text
    nowhere = await client.get("/no-such-page")
    assert nowhere.status_code == 404
    assert f'<html lang="{operator_language}"' in nowhere.text
    assert translator(operator_language).gettext("Not found") in nowhere.text
