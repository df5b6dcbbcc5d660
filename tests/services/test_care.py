"""Caregiver use cases against the database: invitations, the patient's buttons, answering for
the patient, groups and the daily summary."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import (
    CareLink,
    CareLinkKind,
    CheckInStatus,
    Invite,
    Outbox,
    OutboxStatus,
    create_session_factory,
)
from recovery import Level, ProtocolSet
from services.caregivers import guesses, invites, manage, proxy, summaries
from services.checkin import asking
from services.context import ServiceConfig, Services
from services.outbox import enqueue
from tests.support.clock import FakeClock
from tests.support.factories import make_care_link, make_checkin, make_patient
from views import texts
from views.callbacks import CareAction, CareCb
from views.caregivers import invites as invite_views
from views.caregivers import manage as care_views
from views.caregivers import proxy as proxy_views
from views.message import Message

PATIENT = 501
CARER = 601
STRANGER = 700
GROUP = -900
TODAY = date(2026, 3, 2)  # the clock fixture: Monday 09:00 UTC = 09:00 in London


async def outbox(services: Services, chat_id: int | None = None) -> list[Outbox]:
    async with services.session_factory() as session:
        stmt = select(Outbox).order_by(Outbox.id)
        if chat_id is not None:
            stmt = stmt.where(Outbox.chat_id == chat_id)
        return list((await session.scalars(stmt)).all())


async def texts_to(services: Services, chat_id: int) -> list[str]:
    """Message texts, and the captions of photos (a summary is the caption of its chart)."""
    return [
        row.payload.get("text") or row.payload["caption"] for row in await outbox(services, chat_id)
    ]


async def all_links(services: Services) -> list[CareLink]:
    async with services.session_factory() as session:
        return list((await session.scalars(select(CareLink).order_by(CareLink.id))).all())


async def all_invites(services: Services) -> list[Invite]:
    async with services.session_factory() as session:
        return list((await session.scalars(select(Invite).order_by(Invite.id))).all())


def opening(secret: str, user: int = CARER, **kwargs: object) -> invites.InviteRequest:
    chat = kwargs.pop("chat_id", user)
    return invites.InviteRequest(user, chat, secret, **kwargs)  # type: ignore[arg-type]


def press(user: int, action: str, target: int, chat_id: int | None = None) -> manage.CarePress:
    return manage.CarePress(user, "Bob", chat_id or user, 77, CareCb(action, target))


async def test_an_invitation_is_two_hashed_secrets_and_a_message(services: Services) -> None:
    await make_patient(services, user_id=PATIENT, display_name="Ann")
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    token = created.link.removeprefix("https://t.me/recovery_test_bot?start=")
    assert 20 <= len(token) <= 64
    assert created.code[4] == "-"
    assert created.expires_at == services.now() + timedelta(hours=48)

    rows = await all_invites(services)
    assert {row.token_hash for row in rows} == {
        hashlib.sha256(token.encode()).hexdigest(),
        hashlib.sha256(created.code.replace("-", "").encode()).hexdigest(),
    }
    assert len({row.created_at for row in rows}) == 1
    assert all(row.used_at is None and row.used_by is None for row in rows)
    [message] = await texts_to(services, PATIENT)
    assert created.link in message
    assert f"/join {created.code}" in message
    assert "until Wed 4 Mar 09:00" in message  # 48 h later, London time


async def test_only_enrolled_patients_can_invite(services: Services) -> None:
    assert await invites.create_invite(services, STRANGER, STRANGER) is None
    assert await texts_to(services, STRANGER) == [invite_views.NOT_A_PATIENT]
    assert await all_invites(services) == []


async def test_refusals_for_unknown_own_expired_and_claimed_invitations(
    services: Services, clock: FakeClock
) -> None:
    await make_patient(services, user_id=PATIENT)
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    token = created.link.rsplit("=", 1)[1]
    outcome = invites.InviteOutcome

    assert await invites.open_invite(services, opening("x" * 65)) is outcome.INVALID
    assert await invites.open_invite(services, opening("")) is outcome.INVALID
    assert await invites.open_invite(services, opening("ZZZZ-ZZZZ")) is outcome.INVALID
    assert await invites.open_invite(services, opening(token, PATIENT)) is outcome.OWN
    assert await invites.open_invite(services, opening(token)) is outcome.PREVIEW
    assert await invites.open_invite(services, opening(token)) is outcome.PREVIEW  # again: fine
    assert await invites.open_invite(services, opening(token, STRANGER)) is outcome.USED
    assert [row.used_by for row in await all_invites(services)] == [
        CARER,
        CARER,
    ]  # the link and the code: one claim

    code = created.code.lower()
    clock.advance(hours=48)
    assert await invites.open_invite(services, opening(code, STRANGER)) is outcome.EXPIRED
    assert await texts_to(services, STRANGER) == [
        invite_views.INVITE_USED,
        invite_views.INVITE_EXPIRED,
    ]
    assert await all_links(services) == []


async def test_wrong_codes_are_limited_per_user_in_the_database(
    services: Services,
    engine: AsyncEngine,
    protocols: ProtocolSet,
    service_config: ServiceConfig,
    clock: FakeClock,
) -> None:
    await make_patient(services, user_id=PATIENT)
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    other_instance = Services(
        session_factory=create_session_factory(engine),
        protocols=protocols,
        config=service_config,
        clock=clock,
        bot_username="recovery_test_bot",
    )
    outcome = invites.InviteOutcome
    for attempt in range(guesses.MAX_WRONG):  # the guesses are spread over two instances
        instance = services if attempt % 2 else other_instance
        assert await invites.open_invite(instance, opening(f"ZZZZ-ZZZ{attempt + 2}")) is (
            outcome.INVALID
        )
    # now even the right code is refused, on either instance, and for this user only
    assert await invites.open_invite(services, opening(created.code)) is outcome.TOO_MANY
    assert await invites.open_invite(other_instance, opening(created.code)) is outcome.TOO_MANY
    assert (await texts_to(services, CARER))[-1] == invite_views.TOO_MANY_TRIES
    assert await invites.open_invite(services, opening("ZZZZ-ZZZZ", STRANGER)) is outcome.INVALID
    clock.advance(seconds=guesses.WINDOW.total_seconds() + 1)
    assert await invites.open_invite(services, opening(created.code)) is outcome.PREVIEW


async def test_accept_links_only_the_person_who_opened_it(
    services: Services, clock: FakeClock
) -> None:
    await make_patient(services, user_id=PATIENT, display_name="Ann")
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    token = created.link.rsplit("=", 1)[1]
    await invites.open_invite(services, opening(token))
    invite_id = (await all_invites(services))[0].id

    notice = await manage.press_care_button(services, press(STRANGER, CareAction.ACCEPT, invite_id))
    assert notice == invite_views.INVITE_USED_NOTICE
    assert await manage.press_care_button(services, press(CARER, CareAction.ACCEPT, 999)) == (
        invite_views.INVITE_USED_NOTICE
    )
    assert (
        await manage.press_care_button(services, press(CARER, CareAction.ACCEPT, invite_id)) is None
    )
    notice = await manage.press_care_button(services, press(CARER, CareAction.ACCEPT, invite_id))
    assert notice == invite_views.ALREADY_LINKED_NOTICE

    [link] = await all_links(services)
    assert (link.kind, link.user_id, link.display_name, link.may_answer) == (
        CareLinkKind.USER,
        CARER,
        "Bob",
        False,
    )
    assert all(row.used_at == clock.now() for row in await all_invites(services))
    edit = (await outbox(services, CARER))[-1]
    assert (edit.method, edit.payload["message_id"]) == ("edit", 77)
    assert "now a caregiver for Ann" in edit.payload["text"]
    assert "Bob accepted your invitation" in (await texts_to(services, PATIENT))[-1]

    again = await invites.create_invite(services, PATIENT, PATIENT)
    assert again is not None
    outcome = await invites.open_invite(services, opening(again.code))
    assert outcome is invites.InviteOutcome.ALREADY_LINKED
    assert all(row.used_by is None for row in (await all_invites(services))[2:])


async def test_a_group_is_linked_at_once_and_uses_up_both_secrets(services: Services) -> None:
    await make_patient(services, user_id=PATIENT, display_name="Ann")
    created = await invites.create_invite(services, PATIENT, PATIENT)
    assert created is not None
    group = opening(created.code, PATIENT, chat_id=GROUP, group=True, title="Smiths")
    assert await invites.open_invite(services, group) is invites.InviteOutcome.LINKED

    [link] = await all_links(services)
    assert (link.kind, link.chat_id, link.user_id, link.display_name) == (
        CareLinkKind.GROUP,
        GROUP,
        None,
        "Smiths",
    )
    assert all(row.used_by == PATIENT for row in await all_invites(services))
    assert "This group is now linked" in (await texts_to(services, GROUP))[0]
    assert "“Smiths” is now linked" in (await texts_to(services, PATIENT))[-1]
    token = created.link.rsplit("=", 1)[1]
    assert await invites.open_invite(services, opening(token)) is invites.InviteOutcome.USED


async def test_removing_a_link_deletes_only_its_pending_messages(services: Services) -> None:
    patient = await make_patient(services, user_id=PATIENT)
    removed = await make_care_link(services, patient, user_id=CARER, display_name="Bob")
    kept = await make_care_link(services, patient, user_id=STRANGER)
    async with services.transaction() as session:
        for link_id, chat in ((removed, CARER), (removed, CARER), (kept, STRANGER)):
            enqueue(
                session,
                chat,
                Message("x"),
                now=services.now(),
                purpose="missed",
                care_link_id=link_id,
            )
    async with services.transaction() as session:
        first = await session.get_one(Outbox, 1)
        first.status = OutboxStatus.SENT

    assert await manage.press_care_button(services, press(CARER, CareAction.REMOVE, removed)) == (
        care_views.NOT_YOUR_CAREGIVER
    )
    assert (
        await manage.press_care_button(services, press(PATIENT, CareAction.REMOVE, removed)) is None
    )
    left = [(row.care_link_id, row.status) for row in await outbox(services) if row.care_link_id]
    assert left == [(removed, OutboxStatus.SENT), (kept, OutboxStatus.PENDING)]
    links = await all_links(services)
    assert [link.revoked_at is not None for link in links] == [True, False]
    edit = (await outbox(services, PATIENT))[-1]
    assert edit.method == "edit"
    assert "Bob" not in edit.payload["text"]


async def test_answering_and_summary_toggles(services: Services) -> None:
    patient = await make_patient(services, user_id=PATIENT, display_name="Ann")
    person = await make_care_link(services, patient, user_id=CARER, may_answer=False)
    group = await make_care_link(
        services, patient, user_id=None, chat_id=GROUP, kind=CareLinkKind.GROUP, may_answer=False
    )
    assert (
        await manage.press_care_button(services, press(PATIENT, CareAction.ANSWER_ON, person))
        is None
    )
    assert "Ann now lets you answer" in (await texts_to(services, CARER))[0]
    notice = await manage.press_care_button(services, press(PATIENT, CareAction.ANSWER_ON, group))
    assert notice == texts.STALE_BUTTON  # groups answer through their members
    assert (
        await manage.press_care_button(services, press(PATIENT, CareAction.SUMMARY_ON, group))
        is None
    )
    assert [(link.may_answer, link.receives_summary) for link in await all_links(services)] == [
        (True, False),
        (False, True),
    ]
    await manage.press_care_button(services, press(PATIENT, CareAction.ANSWER_OFF, person))
    await manage.press_care_button(services, press(PATIENT, CareAction.SUMMARY_OFF, group))
    assert [(link.may_answer, link.receives_summary) for link in await all_links(services)] == [
        (False, False),
        (False, False),
    ]


async def test_caregiver_of_two_patients_picks_one(services: Services) -> None:
    ann = await make_patient(services, user_id=PATIENT, display_name="Ann")
    cleo = await make_patient(services, user_id=502, display_name="Cleo")
    other = await make_patient(services, user_id=503, display_name="Dan")
    ann_link = await make_care_link(services, ann, user_id=CARER)
    await make_care_link(services, cleo, user_id=CARER)
    await make_care_link(services, other, user_id=CARER, may_answer=False)
    await asking.start_checkin(services, PATIENT, PATIENT)

    request = proxy.ProxyRequest(CARER, "Bob", CARER, group=False)
    assert await proxy.request_questions(services, request) is proxy.ProxyOutcome.PICK
    choice = (await outbox(services, CARER))[-1].payload
    assert [row[0]["text"] for row in choice["keyboard"]] == ["Ann", "Cleo"]

    assert await manage.press_care_button(services, press(STRANGER, CareAction.PICK, ann_link)) == (
        texts.NOT_YOURS
    )
    assert await manage.press_care_button(services, press(CARER, CareAction.PICK, ann_link)) is None
    question = (await outbox(services, CARER))[-1]
    assert question.payload["text"].startswith("Answering for Ann:\nDaily check-in, day 10")
    assert question.care_link_id == ann_link
    assert "Bob asked for today's check-in" in (await texts_to(services, PATIENT))[-1]


async def test_group_answering_is_for_the_patient_and_allowed_caregivers(
    services: Services,
) -> None:
    patient = await make_patient(services, user_id=PATIENT, display_name="Ann")
    await make_care_link(services, patient, user_id=None, chat_id=GROUP, kind=CareLinkKind.GROUP)
    await make_care_link(services, patient, user_id=CARER, may_answer=False)

    def request_by(user: int, chat: int = GROUP) -> proxy.ProxyRequest:
        return proxy.ProxyRequest(user, "X", chat, group=True)

    assert await proxy.request_questions(services, request_by(STRANGER)) is (
        proxy.ProxyOutcome.NOT_ALLOWED
    )
    assert (
        await proxy.request_questions(services, request_by(CARER)) is proxy.ProxyOutcome.NOT_ALLOWED
    )
    assert (
        await proxy.request_questions(services, request_by(PATIENT))
        is proxy.ProxyOutcome.NO_CHECKIN
    )
    assert await proxy.request_questions(services, request_by(PATIENT, -1)) is (
        proxy.ProxyOutcome.UNLINKED
    )
    await asking.start_checkin(services, PATIENT, PATIENT)
    assert await proxy.request_questions(services, request_by(PATIENT)) is proxy.ProxyOutcome.SENT
    sent = await texts_to(services, GROUP)
    assert sent[:2] == [proxy_views.NOT_ALLOWED_HERE, proxy_views.NOT_ALLOWED_HERE]
    assert "Ann" not in " ".join(sent[:2])
    assert sent[-1].startswith("Answering for Ann:")


async def test_bot_leaving_a_group_revokes_only_that_groups_links(services: Services) -> None:
    ann = await make_patient(services, user_id=PATIENT)
    cleo = await make_patient(services, user_id=502)
    for patient in (ann, cleo):
        await make_care_link(
            services, patient, user_id=None, chat_id=GROUP, kind=CareLinkKind.GROUP
        )
    await make_care_link(services, ann, user_id=None, chat_id=-5, kind=CareLinkKind.GROUP)
    await make_care_link(services, ann, user_id=CARER)

    assert await manage.group_membership(services, GROUP, "Family", member=True) == 0
    assert await texts_to(services, GROUP) == [invite_views.GROUP_HELLO]
    assert await manage.group_membership(services, GROUP, "Family", member=False) == 2
    assert [link.revoked_at is not None for link in await all_links(services)] == [
        True,
        True,
        False,
        False,
    ]
    assert "removed from the group" in (await texts_to(services, 502))[-1]


async def test_daily_summary_once_per_checkin_for_links_that_chose_it(
    services: Services, clock: FakeClock
) -> None:
    patient = await make_patient(services, user_id=PATIENT, display_name="Ann")
    chosen = await make_care_link(
        services,
        patient,
        user_id=None,
        chat_id=GROUP,
        kind=CareLinkKind.GROUP,
        receives_summary=True,
    )
    await make_care_link(services, patient, user_id=CARER)  # not chosen
    await make_checkin(  # yesterday's: too old for a summary now
        services, patient, date(2026, 3, 1), 9, answers={"pain": 2}, level=Level.OK
    )
    assert await summaries.send_daily_summaries(services) == 0

    clock.set(datetime(2026, 3, 2, 22, 0, tzinfo=UTC))  # 22:00 in London: quiet hours
    await make_checkin(
        services, patient, TODAY, 10, answers={"pain": 4, "fever": "no"}, level=Level.ATTENTION
    )
    assert await summaries.send_daily_summaries(services) == 1
    assert await summaries.send_daily_summaries(services) == 0
    [summary] = await outbox(services, GROUP)
    assert summary.method == "photo"  # the line is the caption of the pain chart
    assert base64.b64decode(summary.payload["png"]).startswith(b"\x89PNG")
    assert summary.payload["caption"] == (
        "📋 Ann, day 10 of recovery: check-in done, pain 4/10, they were advised to contact "
        "their care team soon."
    )
    assert summary.not_before == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert (summary.care_link_id, summary.priority) == (chosen, 5)
    assert await outbox(services, CARER) == []


async def test_a_missed_checkin_is_summarised_and_revoked_links_get_nothing(
    services: Services,
) -> None:
    patient = await make_patient(services, user_id=PATIENT, display_name=None)
    for chat in (GROUP, -5):
        await make_care_link(
            services,
            patient,
            user_id=None,
            chat_id=chat,
            kind=CareLinkKind.GROUP,
            receives_summary=True,
        )
    await manage.press_care_button(services, press(PATIENT, CareAction.REMOVE, 2))
    await make_checkin(services, patient, TODAY, 10, answers={}, status=CheckInStatus.MISSED)
    assert await summaries.send_daily_summaries(services) == 1
    assert await texts_to(services, GROUP) == [
        "📋 The patient, day 10 of recovery: check-in missed."
    ]
    assert await outbox(services, -5) == []
