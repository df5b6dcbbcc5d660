"""Caregivers and family groups end to end: the real bot, polling the fake Telegram."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from app.runtime import Runtime
from models import Answer, CareLink, CareLinkKind, CheckIn, Invite, Outbox, OutboxStatus
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_patient
from tests.support.idle import settled
from tests.support.waiting import eventually

CAREGIVER = 5151
STRANGER = 7070
GROUP = -2020
BOT = "recovery_test_bot"


@pytest.fixture(autouse=True)
def _early_morning(clock: FakeClock) -> None:
    """Each test starts on Monday 2 March 2026 at 08:00 UTC (08:00 in London)."""
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def enroll(runtime: Runtime, *, at: time = time(9, 0)) -> int:
    """An active patient, Ann, two days after kyphoplasty (enrollment is tested elsewhere)."""
    return await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        surgery_date=date(2026, 2, 28),
        checkin_time=at,
    )


async def invite(api: FakeBotApi) -> tuple[str, str]:
    """The patient sends /invite; returns the deep-link token and the short code."""
    after = len(api.messages(PATIENT))
    api.send_text(PATIENT, "/invite")
    message = await api.wait_for_message(PATIENT, contains="Invite a caregiver", after=after)
    link = re.search(rf"https://t\.me/{BOT}\?start=([A-Za-z0-9_-]+)", message.text or "")
    code = re.search(r"/join ([A-Z0-9]{4}-[A-Z0-9]{4})", message.text or "")
    assert link is not None, message.text
    assert code is not None, message.text
    return link.group(1), code.group(1)


async def accept(api: FakeBotApi, text: str, *, user: int = CAREGIVER, name: str = "Bob") -> None:
    """``user`` opens an invitation with ``text`` and presses Accept."""
    after = len(api.messages(user))
    api.send_text(user, text, first_name=name)
    preview = await api.wait_for_message(user, contains="invites you", after=after)
    api.press_button(user, preview, "Accept")
    await api.wait_for(lambda: "now a caregiver" in (preview.text or ""))
    await api.wait_for_message(PATIENT, contains=f"{name} accepted your invitation")


async def link_group(api: FakeBotApi, *, by: int = CAREGIVER) -> None:
    """The bot is added to the family group and linked there with a fresh code."""
    api.add_bot_to_group(GROUP, by_user_id=by, title="Family")
    await api.wait_for_message(GROUP, contains="/linkgroup CODE")
    _, code = await invite(api)
    api.send_text(by, f"/linkgroup@{BOT} {code}", chat_id=GROUP, chat_type="group")
    await api.wait_for_message(GROUP, contains="This group is now linked")
    await api.wait_for_message(PATIENT, contains="The group “Family” is now linked")


async def caregivers_list(api: FakeBotApi) -> SentMessage:
    after = len(api.messages(PATIENT))
    api.send_text(PATIENT, "/caregivers")
    return await api.wait_for_message(PATIENT, contains="caregivers", after=after)


async def press_in_list(api: FakeBotApi, listing: SentMessage, label: str) -> None:
    edits = len(listing.edits)
    api.press_button(PATIENT, listing, label)
    await api.wait_for(lambda: len(listing.edits) > edits)


async def count(runtime: Runtime, stmt: object) -> int:
    async with runtime.services.session_factory() as session:
        return int(await session.scalar(stmt) or 0)  # type: ignore[call-overload]


async def links(runtime: Runtime) -> list[CareLink]:
    async with runtime.services.session_factory() as session:
        return list((await session.scalars(select(CareLink).order_by(CareLink.id))).all())


async def test_invite_by_deep_link_shows_whose_recovery_and_links_on_accept(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime)
    token, code = await invite(api)
    assert len(token) <= 64
    assert "valid" not in token

    api.send_text(CAREGIVER, f"/start {token}", first_name="Bob")
    preview = await api.wait_for_message(CAREGIVER, contains="Ann invites you")
    assert "urgent and emergency alerts" in preview.text
    assert "missed" in preview.text
    assert "only if they allow it" in preview.text
    assert preview.button_labels == ["Accept"]
    assert await links(runtime) == []  # nothing before Accept

    api.press_button(CAREGIVER, preview, "Accept")
    told = await api.wait_for_message(PATIENT, contains="Bob accepted your invitation")
    assert "/caregivers" in told.text
    await api.wait_for(lambda: "You are now a caregiver for Ann" in (preview.text or ""))
    assert preview.button_labels == ["Español", "Русский", "العربية"]  # Accept gone; languages
    [link] = await links(runtime)
    assert (link.kind, link.user_id, link.chat_id) == (CareLinkKind.USER, CAREGIVER, CAREGIVER)
    assert (link.display_name, link.may_answer, link.receives_summary) == ("Bob", False, False)

    async with runtime.services.session_factory() as session:
        invites = (await session.scalars(select(Invite))).all()
    stored = {i.token_hash for i in invites}
    assert stored == {
        hashlib.sha256(token.encode()).hexdigest(),
        hashlib.sha256(code.replace("-", "").encode()).hexdigest(),
    }
    assert all(i.used_at is not None and i.used_by == CAREGIVER for i in invites)


async def test_invite_by_code_with_join(api: FakeBotApi, runtime: Runtime) -> None:
    await enroll(runtime)
    _, code = await invite(api)
    await accept(api, f"/join {code.lower().replace('-', ' ')}")
    [link] = await links(runtime)
    assert link.user_id == CAREGIVER


async def test_used_expired_guessed_and_own_invitations_are_refused(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    token, code = await invite(api)

    api.send_text(PATIENT, f"/start {token}")
    await api.wait_for_message(PATIENT, contains="This is your own invitation")

    api.send_text(STRANGER, "/start " + "A" * 43)
    await api.wait_for_message(STRANGER, contains="not valid")
    api.send_text(STRANGER, "/join ABCD-EFGH")
    await api.wait_for_message(STRANGER, contains="not valid", after=1)

    await accept(api, f"/start {token}")
    api.send_text(STRANGER, f"/join {code}")  # the sibling code is used up too
    await api.wait_for_message(STRANGER, contains="already been used")
    api.send_text(STRANGER, f"/start {token}")
    await api.wait_for_message(STRANGER, contains="already been used", after=3)

    later_token, _ = await invite(api)
    clock.advance(hours=48, seconds=1)
    api.send_text(STRANGER, f"/start {later_token}")
    await api.wait_for_message(STRANGER, contains="has expired")
    assert [link.user_id for link in await links(runtime)] == [CAREGIVER]


async def test_only_the_person_who_opened_an_invitation_can_accept_it(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    api.send_text(CAREGIVER, f"/start {token}", first_name="Bob")
    preview = await api.wait_for_message(CAREGIVER, contains="Ann invites you")
    forged = api.press(STRANGER, preview, preview.find_button("Accept")["callback_data"])
    answer = await api.wait_callback_answer(forged)
    assert answer["show_alert"]
    assert "no longer valid" in answer["text"]
    api.send_text(STRANGER, f"/start {token}")  # opened by someone else already
    await api.wait_for_message(STRANGER, contains="already been used")
    assert await links(runtime) == []


async def test_the_link_and_the_code_are_one_claim(api: FakeBotApi, runtime: Runtime) -> None:
    await enroll(runtime)
    token, code = await invite(api)
    api.send_text(CAREGIVER, f"/start {token}", first_name="Bob")
    await api.wait_for_message(CAREGIVER, contains="Ann invites you")
    api.send_text(STRANGER, f"/join {code}")  # the code of the invitation Bob opened
    await api.wait_for_message(STRANGER, contains="already been used")
    assert [m for m in api.messages(STRANGER) if m.buttons] == []  # no Accept for them
    await accept(api, f"/start {token}")
    assert [link.user_id for link in await links(runtime)] == [CAREGIVER]


async def test_the_invitation_secrets_leave_the_outbox_once_delivered(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime)
    token, code = await invite(api)
    await settled(api, runtime)
    async with runtime.services.session_factory() as session:
        payloads = [str(p) for p in (await session.scalars(select(Outbox.payload))).all()]
    assert payloads
    assert not [p for p in payloads if token in p or code in p or code.replace("-", "") in p]


async def test_group_linked_by_command_gets_urgent_alerts_with_patient_and_caregiver(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    await link_group(api)
    group_link = (await links(runtime))[-1]
    assert (group_link.kind, group_link.chat_id, group_link.user_id) == (
        CareLinkKind.GROUP,
        GROUP,
        None,
    )
    assert group_link.display_name == "Family"

    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")

    await api.wait_for_message(PATIENT, contains="You reported: a fever")
    await api.wait_for_message(CAREGIVER, contains="Ann reported: a fever")
    await api.wait_for_message(GROUP, contains="Ann reported: a fever")
    await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")


async def test_stranger_in_the_group_can_neither_answer_nor_read(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    await link_group(api)
    await press_in_list(api, await caregivers_list(api), "Allow answering")
    await api.wait_for_message(CAREGIVER, contains="now lets you answer")
    await first_question(api, runtime, clock)

    api.send_text(CAREGIVER, f"/answer@{BOT}", chat_id=GROUP, chat_type="group")
    question = await api.wait_for_message(GROUP, contains="Answering for Ann")
    assert "None of these" in question.button_labels

    pressed = api.press_button(STRANGER, question, "None of these")
    refusal = await api.wait_callback_answer(pressed)
    assert refusal["show_alert"]
    assert refusal["text"] == (
        "Only the patient, or a caregiver they allowed, can answer this check-in."
    )
    assert await count(runtime, select(func.count()).select_from(Answer)) == 0

    before = len(api.messages(GROUP))
    api.send_text(STRANGER, f"/answer@{BOT}", chat_id=GROUP, chat_type="group")
    await api.wait_for_message(GROUP, contains="Only the patient", after=before)
    for command in ("/status", "/caregivers", "/invite", "/checkin"):
        api.send_text(STRANGER, f"{command}@{BOT}", chat_id=GROUP, chat_type="group")
    api.send_text(STRANGER, "/answer")  # privately: linked to nobody
    await api.wait_for_message(STRANGER, contains="cannot answer check-ins for anyone")
    await api.wait_for_message(GROUP, contains="Only the patient", after=before + 1)
    texts = [m.text or "" for m in api.messages(GROUP)[before:]]
    await settled(api, runtime)
    assert all("Ann" not in text and "day 2" not in text for text in texts)

    api.press_button(CAREGIVER, question, "None of these")  # the allowed caregiver may
    await api.wait_for(lambda: "✓ None of these" in (question.text or ""))
    async with runtime.services.session_factory() as session:
        [stored] = (await session.scalars(select(Answer))).all()
    assert stored.answered_by == CAREGIVER


async def test_proxy_answers_in_private_are_recorded_with_who_answered(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    await first_question(api, runtime, clock)

    api.send_text(CAREGIVER, "/answer")  # not allowed yet
    await api.wait_for_message(CAREGIVER, contains="cannot answer check-ins for anyone")
    await press_in_list(api, await caregivers_list(api), "Allow answering")

    api.send_text(CAREGIVER, "/answer")
    await api.wait_for_message(CAREGIVER, contains="Answering for Ann")
    await api.wait_for_message(PATIENT, contains="Bob asked for today's check-in questions")
    await answer_all(api, BENIGN, chat=CAREGIVER, user=CAREGIVER)
    await api.wait_for_message(PATIENT, contains="Check-in done")

    async with runtime.services.session_factory() as session:
        stored = (await session.scalars(select(Answer))).all()
        checkin = await session.scalar(select(CheckIn))
    assert checkin is not None
    assert len(stored) == len(checkin.question_keys)
    assert {a.answered_by for a in stored} == {CAREGIVER}

    api.send_text(CAREGIVER, "/answer")  # nothing open any more
    await api.wait_for_message(CAREGIVER, contains="no check-in waiting")


async def test_revoking_a_caregiver_stops_every_message_at_once(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, at=time(16, 0))
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    clock.set(datetime(2026, 3, 2, 16, 0, tzinfo=UTC))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    clock.set(datetime(2026, 3, 2, 22, 1, tzinfo=UTC))  # missed, in quiet hours: held back
    await runtime.tick()
    [link] = await links(runtime)
    pending = select(func.count()).where(
        Outbox.care_link_id == link.id, Outbox.status == OutboxStatus.PENDING
    )
    assert await count(runtime, pending) == 1

    heard = len(api.messages(CAREGIVER))
    listing = await caregivers_list(api)
    assert "Bob" in listing.text
    await press_in_list(api, listing, "Remove Bob")
    assert "no caregivers" in (listing.text or "")
    [link] = await links(runtime)
    assert link.revoked_at is not None
    assert await count(runtime, pending) == 0

    clock.set(datetime(2026, 3, 3, 8, 5, tzinfo=UTC))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="gentle reminder")
    api.send_text(PATIENT, "/checkin")
    await api.wait_for_message(PATIENT, contains="Do you have any of these now", after=4)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")
    await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    assert len(api.messages(CAREGIVER)) == heard


async def test_removing_the_bot_from_the_group_revokes_its_link(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await link_group(api, by=PATIENT)
    api.remove_bot_from_group(GROUP, by_user_id=PATIENT, kicked=True)
    await api.wait_for_message(PATIENT, contains="I was removed from the group “Family”")
    [link] = await links(runtime)
    assert link.revoked_at is not None

    sent = len(api.messages(GROUP))
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")
    await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    assert len(api.messages(GROUP)) == sent
    to_group = select(func.count()).where(Outbox.chat_id == GROUP, Outbox.alert_id.is_not(None))
    assert await count(runtime, to_group) == 0


async def test_daily_summary_goes_once_a_day_only_where_chosen(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    await link_group(api)
    await first_question(api, runtime, clock)
    await answer_all(api, BENIGN)
    await api.wait_for_message(PATIENT, contains="Check-in done")
    await runtime.tick()
    await settled(api, runtime)
    assert not any(m.contains("📋") for m in api.messages(GROUP))  # not chosen yet

    listing = await caregivers_list(api)
    await press_in_list(api, listing, "Send daily summary")
    assert "Stop daily summary" in listing.button_labels
    await runtime.tick()
    summary = await api.wait_for_message(GROUP, contains="📋")
    assert summary.photo is not None  # the pain chart, with the day's line as its caption
    assert summary.caption == (
        "📋 Ann, day 2 of recovery: check-in done, pain 3/10, nothing of concern reported."
    )
    clock.advance(hours=3)
    await runtime.tick()
    await runtime.tick()
    await settled(api, runtime)
    assert sum(m.contains("📋") for m in api.messages(GROUP)) == 1
    assert not any(m.contains("📋") for m in api.messages(CAREGIVER))

    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # the next day nobody answers
    await runtime.tick()
    clock.set(datetime(2026, 3, 3, 15, 1, tzinfo=UTC))
    await runtime.tick()
    missed = await api.wait_for_message(
        GROUP, contains="📋", after=api.messages(GROUP).index(summary) + 1
    )
    assert missed.caption == "📋 Ann, day 3 of recovery: check-in missed."
    await api.wait_for_message(CAREGIVER, contains="has not completed today's")


async def test_delete_removes_caregiver_links_and_invitations(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime)
    token, _ = await invite(api)
    await accept(api, f"/start {token}")
    await link_group(api)
    await invite(api)  # one left unused
    assert len(await links(runtime)) == 2
    assert await count(runtime, select(func.count()).select_from(Invite)) == 6

    api.send_text(PATIENT, "/delete")
    question = await api.wait_for_message(PATIENT, predicate=lambda m: "Cancel" in m.button_labels)
    api.press_button(PATIENT, question, "Yes, erase everything")

    async def erased() -> bool:
        return await links(runtime) == [] and (
            await count(runtime, select(func.count()).select_from(Invite)) == 0
        )

    await eventually(erased)
    api.send_text(CAREGIVER, "/answer")
    await api.wait_for_message(CAREGIVER, contains="cannot answer check-ins for anyone")
