"""Each caregiver reads their own language (issue #16): set from their Telegram app when they
accept an invitation, kept per care link, changed with the language buttons or /settings."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from models import CareLink, CheckInStatus, Invite, Outbox
from services.caregivers import invites, languages, manage
from services.checkin import schedule
from services.context import Services
from tests.support.factories import make_checkin, make_patient
from views import checkin as checkin_views
from views.callbacks import CareAction, CareCb
from views.i18n import SUPPORTED, translator

PATIENT, RUSSIAN, SPANISH = 501, 601, 602


async def texts_to(services: Services, chat_id: int) -> list[str]:
    async with services.session_factory() as session:
        rows = await session.scalars(
            select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id)
        )
        return [row.payload.get("text") or row.payload["caption"] for row in rows]


async def link_languages(services: Services) -> dict[int | None, str | None]:
    async with services.session_factory() as session:
        links = (await session.scalars(select(CareLink).order_by(CareLink.id))).all()
        return {link.user_id: link.language for link in links}


async def accept(services: Services, user_id: int, language_code: str | None) -> None:
    """The caregiver opens a new invitation of the patient and presses Accept."""
    services.clock.advance(minutes=1)  # type: ignore[attr-defined]  (one invitation a minute)
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    token = created.link.rsplit("=", 1)[1]
    request = invites.InviteRequest(user_id, user_id, token, language_code=language_code)
    assert await invites.open_invite(services, request) is invites.InviteOutcome.PREVIEW
    async with services.session_factory() as session:
        invite_id = await session.scalar(
            select(Invite.id).where(Invite.used_by == user_id).order_by(Invite.id).limit(1)
        )
    assert invite_id is not None
    pressed = manage.CarePress(
        user_id, "Bob", user_id, 77, CareCb(CareAction.ACCEPT, invite_id), language_code
    )
    assert await manage.press_care_button(services, pressed) is None


async def test_two_caregivers_each_get_the_missed_notice_in_their_own_language(
    services: Services,
) -> None:
    patient = await make_patient(services, user_id=PATIENT, display_name="Ann")  # English
    await accept(services, RUSSIAN, "ru-RU")
    await accept(services, SPANISH, "es")
    assert await link_languages(services) == {RUSSIAN: "ru", SPANISH: "es"}
    sent = services.now() - timedelta(hours=7)  # past the reminder and the missed delays
    await make_checkin(services, patient, date(2026, 3, 2), 10, status=CheckInStatus.SENT, at=sent)

    assert await schedule.mark_missed(services) == 1
    russian, spanish = (
        (await texts_to(services, RUSSIAN))[-1],
        (await texts_to(services, SPANISH))[-1],
    )
    assert russian == checkin_views.missed_notice("Ann", translator("ru")).text
    assert spanish == checkin_views.missed_notice("Ann", translator("es")).text
    assert "has not completed" not in russian + spanish
    assert russian != spanish


async def test_an_unsupported_or_missing_telegram_language_starts_in_english(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)
    await accept(services, RUSSIAN, "pt-BR")
    await accept(services, SPANISH, None)
    assert await link_languages(services) == {RUSSIAN: "en", SPANISH: "en"}


async def test_a_caregiver_changes_their_language_with_a_button(services: Services) -> None:
    await make_patient(services, user_id=PATIENT, display_name="Ann")
    await accept(services, SPANISH, "es")
    [*_, accepted] = await texts_to(services, SPANISH)
    assert "Ahora es cuidador de Ann" in accepted

    russian = CareCb(CareAction.LANGUAGE, SUPPORTED.index("ru"))
    press = manage.CarePress(SPANISH, "Bob", SPANISH, 78, russian)
    assert await manage.press_care_button(services, press) is None
    assert await link_languages(services) == {SPANISH: "ru"}
    assert (await texts_to(services, SPANISH))[-1].startswith("✓ Я буду писать вам")

    assert await languages.caregiver_settings(services, SPANISH, SPANISH)  # /settings
    assert "на языке: русский." in (await texts_to(services, SPANISH))[-1]
    assert not await languages.caregiver_settings(services, PATIENT, PATIENT)  # a patient's own


async def test_a_language_button_from_a_stranger_changes_nothing(services: Services) -> None:
    await make_patient(services, user_id=PATIENT)
    await accept(services, SPANISH, "es")
    press = manage.CarePress(700, "Eve", 700, 78, CareCb(CareAction.LANGUAGE, 2))
    assert await manage.press_care_button(services, press) is not None  # a stale notice
    assert await link_languages(services) == {SPANISH: "es"}
