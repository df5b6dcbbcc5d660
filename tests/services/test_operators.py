"""Operators: role, operators table, acknowledging alerts, review pages and the daily digest.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, update

from models import Alert, AlertStatus, AuditEvent, CheckInStatus, Outbox, OutboxStatus
from recovery import Level
from services.alerts import ack_posts, acknowledge, escalation
from services.care_team import alert_list, digest, operators, paging, patient_detail, patient_list
from services.context import Services
from services.outbox import Priority, enqueue
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_care_link, make_checkin, make_patient
from views import texts
from views.callbacks import AckCb, PageCb
from views.care_team import common as views
from views.i18n import translator
from views.message import MAX_TEXT, Message

OPERATOR = 900  # in OPERATOR_IDS (see tests/conftest.py)
COLLEAGUE = 901
STRANGER = 777
TEAM = -100
ACTOR = "cli:test"
EN = translator("en")


async def rows(services: Services, model: type[Any], *where: Any) -> list[Any]:
    async with services.session_factory() as session:
        return list((await session.scalars(select(model).where(*where))).all())


async def count(services: Services, model: type[Any], *where: Any) -> int:
    async with services.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def post(
    services: Services, alert_id: int, chat_id: int, purpose: str, message_id: int | None
) -> int:
    """An alert post in the outbox, delivered (with a Telegram message id) or pending."""
    async with services.transaction() as session:
        row = enqueue(
            session,
            chat_id,
            Message("⚠️ URGENT: P-0001"),
            now=services.now(),
            purpose=purpose,
            priority=Priority.ALERT,
            alert_id=alert_id,
        )
        if message_id is not None:
            row.status, row.message_id, row.sent_at = OutboxStatus.SENT, message_id, services.now()
        await session.flush()
        return row.id


async def open_alert(services: Services) -> int:
    """An open urgent alert with delivered team, escalation and caregiver posts."""
    patient = await make_patient(services)
    alert = await make_alert(services, patient)
    async with services.transaction() as session:
        await session.execute(
            update(Alert).where(Alert.id == alert).values(escalate_at=services.now())
        )
    await post(services, alert, TEAM, "alert_team", 11)
    await post(services, alert, TEAM, "alert_escalate", 12)
    await post(services, alert, OPERATOR, "alert_escalate", 13)
    await post(services, alert, 601, "alert_care", 14)
    return alert


def ack(services: Services, user: int, alert: int, chat: int = TEAM, message: int = 11) -> Any:
    return acknowledge.acknowledge_alert(
        services, user, f"User {user}", AckCb(alert), pressed=(chat, message)
    )


# --- the operators table and the role ---


async def test_operators_are_added_listed_and_removed_with_an_audit_trail(
    services: Services,
) -> None:
    assert await operators.add_operator(services, COLLEAGUE, display_name="Dr Lee", actor=ACTOR)
    assert not await operators.add_operator(services, COLLEAGUE, display_name=None, actor=ACTOR)
    listed = await operators.list_operators(services)
    assert [(e.telegram_user_id, e.display_name, e.source) for e in listed] == [
        (OPERATOR, None, "settings"),
        (COLLEAGUE, "Dr Lee", "table"),
    ]
    async with services.transaction() as session:
        assert await operators.check_operator(session, services, COLLEAGUE)
        assert await operators.check_operator(session, services, OPERATOR)
        assert not await operators.check_operator(session, services, STRANGER)

    assert await operators.remove_operator(services, COLLEAGUE, actor=ACTOR)
    assert not await operators.remove_operator(services, COLLEAGUE, actor=ACTOR)
    assert not await operators.remove_operator(services, OPERATOR, actor=ACTOR)  # settings
    events = await rows(services, AuditEvent)
    assert [(e.actor, e.action, e.detail) for e in events] == [
        (ACTOR, "operator_added", {"user_id": COLLEAGUE}),
        (ACTOR, "operator_removed", {"user_id": COLLEAGUE}),
    ]


# --- acknowledgement ---


async def test_acknowledge_records_who_edits_every_team_post_and_stops_escalation(
    services: Services, clock: FakeClock
) -> None:
    alert = await open_alert(services)
    pending = await post(services, alert, COLLEAGUE, "alert_escalate", None)
    unsent_team = await post(services, alert, -200, "alert_team", None)

    assert await ack(services, OPERATOR, alert) == views.ACKNOWLEDGED

    stored = (await rows(services, Alert))[0]
    assert stored.status == AlertStatus.ACKNOWLEDGED
    assert (stored.acknowledged_by, stored.acknowledged_at) == (OPERATOR, clock.now())
    assert stored.escalate_at is None
    edits = await rows(services, Outbox, Outbox.method == "edit")
    assert sorted((e.chat_id, e.payload["message_id"]) for e in edits) == [
        (TEAM, 11),
        (TEAM, 12),
        (OPERATOR, 13),
    ]  # the caregiver's message (14) is left alone: they hear nothing new
    for edit in edits:
        assert "✔ Acknowledged by User 900 at 09:00 UTC" in edit.payload["text"]
        assert "reminder" not in edit.payload["text"]
        assert "ak:" not in str(edit.payload.get("keyboard"))  # outcome choices replace Ack
    assert await count(services, Outbox, Outbox.id == pending) == 0  # reminder dropped
    rewritten = (await rows(services, Outbox, Outbox.id == unsent_team))[0]
    assert "Acknowledged by" in rewritten.payload["text"]
    assert "ak:" not in str(rewritten.payload.get("keyboard"))
    (event,) = await rows(services, AuditEvent)
    assert (event.actor, event.action, event.patient_ref) == (
        "operator:900",
        "alert_acknowledged",
        "P-0001",
    )
    assert event.detail == {"alert_id": alert, "by": "User 900 at 09:00 UTC", "name": "User 900"}

    clock.advance(hours=2)
    assert await escalation.escalate_due(services) == 0


async def test_a_second_press_is_told_who_acknowledged_and_changes_nothing(
    services: Services, clock: FakeClock
) -> None:
    alert = await open_alert(services)
    await operators.add_operator(services, COLLEAGUE, display_name="Dr Lee", actor=ACTOR)
    assert await ack(services, COLLEAGUE, alert) == views.ACKNOWLEDGED
    clock.advance(minutes=3)

    again = await ack(services, OPERATOR, alert, chat=OPERATOR, message=13)
    assert again == "Already acknowledged by Dr Lee at 09:00 UTC."
    assert await ack(services, COLLEAGUE, alert) == again
    assert (await rows(services, Alert))[0].acknowledged_by == COLLEAGUE
    assert await count(services, AuditEvent, AuditEvent.action == "alert_acknowledged") == 1
    assert await count(services, Outbox, Outbox.method == "edit") == 3  # no new edits


async def test_two_operators_at_once_one_wins_and_both_see_who(services: Services) -> None:
    alert = await open_alert(services)
    await operators.add_operator(services, COLLEAGUE, display_name="Dr Lee", actor=ACTOR)

    notices = await asyncio.gather(ack(services, OPERATOR, alert), ack(services, COLLEAGUE, alert))

    winner = OPERATOR if notices[0] == views.ACKNOWLEDGED else COLLEAGUE
    loser_notice = notices[1] if winner == OPERATOR else notices[0]
    name = "User 900" if winner == OPERATOR else "Dr Lee"
    assert loser_notice == f"Already acknowledged by {name} at 09:00 UTC."
    assert (await rows(services, Alert))[0].acknowledged_by == winner
    assert await count(services, AuditEvent, AuditEvent.action == "alert_acknowledged") == 1
    assert await count(services, Outbox, Outbox.method == "edit") == 3


async def test_a_non_operator_press_is_refused_and_stores_nothing(services: Services) -> None:
    alert = await open_alert(services)
    assert await ack(services, STRANGER, alert) == views.NOT_OPERATOR
    stored = (await rows(services, Alert))[0]
    assert stored.status == AlertStatus.OPEN
    assert stored.acknowledged_by is None
    assert await count(services, AuditEvent) == 0
    assert await count(services, Outbox, Outbox.method == "edit") == 0


async def test_a_press_on_a_deleted_alert_is_stale(services: Services) -> None:
    assert await ack(services, OPERATOR, 4242) == views.ALERT_GONE


async def test_a_post_in_flight_during_the_acknowledgement_is_edited_once_delivered(
    services: Services, clock: FakeClock
) -> None:
    alert = await open_alert(services)
    in_flight = await post(services, alert, COLLEAGUE, "alert_escalate", None)
    async with services.transaction() as session:  # claimed by the sender, not yet recorded
        await session.execute(
            update(Outbox)
            .where(Outbox.id == in_flight)
            .values(lease_until=clock.now() + timedelta(seconds=60))
        )
    await ack(services, OPERATOR, alert)
    assert await count(services, Outbox, Outbox.id == in_flight) == 1  # not dropped
    assert await ack_posts.edit_late_posts(services) == 0  # no message id yet

    clock.advance(seconds=2)
    async with services.transaction() as session:  # the sender records the delivery
        await session.execute(
            update(Outbox)
            .where(Outbox.id == in_flight)
            .values(status=OutboxStatus.SENT, message_id=21, sent_at=clock.now())
        )
    assert await ack_posts.edit_late_posts(services) == 1
    assert await ack_posts.edit_late_posts(services) == 0
    await operators.add_operator(services, COLLEAGUE, display_name=None, actor=ACTOR)
    notice = await ack(services, COLLEAGUE, alert, chat=COLLEAGUE, message=21)
    assert notice == "Already acknowledged by User 900 at 09:00 UTC."
    edits = await rows(services, Outbox, Outbox.method == "edit", Outbox.chat_id == COLLEAGUE)
    assert [e.payload["message_id"] for e in edits] == [21]  # once, not again on the press
    assert "Acknowledged by User 900" in edits[0].payload["text"]


async def test_a_press_on_a_post_that_missed_its_edit_fixes_it(
    services: Services, clock: FakeClock
) -> None:
    alert = await open_alert(services)
    await ack(services, OPERATOR, alert)
    late = await post(services, alert, OPERATOR, "alert_escalate", 22)
    assert late
    notice = await ack(services, OPERATOR, alert, chat=OPERATOR, message=22)
    assert notice.startswith("Already acknowledged by User 900")
    edits = await rows(services, Outbox, Outbox.method == "edit", Outbox.chat_id == OPERATOR)
    assert sorted(e.payload["message_id"] for e in edits) == [13, 22]


async def test_acknowledging_from_the_alerts_list_refreshes_the_list(
    services: Services,
) -> None:
    alert = await open_alert(services)
    assert await alert_list.show_alerts(services, OPERATOR, OPERATOR)
    async with services.transaction() as session:
        listing = await session.scalar(select(Outbox).where(Outbox.purpose == "op_alerts"))
        assert listing is not None
        listing.status, listing.message_id = OutboxStatus.SENT, 30
    await ack(services, OPERATOR, alert, chat=OPERATOR, message=30)
    edits = await rows(services, Outbox, Outbox.method == "edit")
    (refresh,) = [e for e in edits if e.payload["message_id"] == 30]
    assert refresh.payload["text"] == "✅ No open alerts."


# --- review pages ---


async def test_non_operators_get_the_unknown_command_reply_in_private_and_silence_in_groups(
    services: Services,
) -> None:
    await make_patient(services)
    assert not await alert_list.show_alerts(services, STRANGER, STRANGER)
    assert not await patient_list.show_patients(services, STRANGER, TEAM)
    assert not await patient_detail.show_patient(services, STRANGER, STRANGER, "P-0001")
    assert not await alert_list.show_alerts(services, OPERATOR, -555)  # a family group: no data
    replies = await rows(services, Outbox)
    assert [(r.chat_id, r.payload["text"]) for r in replies] == [
        (STRANGER, texts.unknown(translator(None)).text),
        (STRANGER, texts.unknown(translator(None)).text),
    ]
    notice = await paging.turn_page(services, STRANGER, STRANGER, 5, PageCb("pl", 1, "-"))
    assert notice == views.NOT_OPERATOR
    assert await count(services, AuditEvent) == 0


async def test_alerts_are_listed_most_severe_first_then_oldest(
    services: Services, clock: FakeClock
) -> None:
    first = await make_patient(services, user_id=501, display_name="Ann")
    second = await make_patient(services, user_id=502, display_name="Bob")
    older = await make_alert(services, first, reason_texts=("a fever",))
    clock.advance(minutes=5)
    await make_alert(services, second, level=Level.EMERGENCY, reason_texts=("chest pain",))
    clock.advance(minutes=5)
    await make_alert(services, second, reason_texts=("numbness",))
    await make_alert(services, first, status=AlertStatus.ACKNOWLEDGED, reason_texts=("done",))
    assert await alert_list.show_alerts(services, OPERATOR, TEAM)
    (listing,) = await rows(services, Outbox)
    text = listing.payload["text"]
    assert text.index("chest pain") < text.index("a fever") < text.index("numbness")
    assert "done" not in text
    assert "Open alerts: 3" in text
    labels = [b["text"] for row in listing.payload["keyboard"] for b in row]
    assert labels == ["Ack P-0002 · chest pain", "Ack P-0001 · fever", "Ack P-0002 · numbness"]
    data = [b["callback_data"] for row in listing.payload["keyboard"] for b in row]
    assert AckCb(older).pack() == data[1]


async def test_patients_are_ordered_by_risk_then_name(services: Services, clock: FakeClock) -> None:
    names = ["Zoe", "Yan", "Xia", "Wes", "Amy"]
    ids = [
        await make_patient(services, user_id=510 + i, display_name=n) for i, n in enumerate(names)
    ]
    zoe, yan, xia, wes, _amy = ids
    await make_alert(services, wes, level=Level.URGENT)
    await make_alert(services, xia, level=Level.EMERGENCY)
    for offset, pain in enumerate((2, 4, 6)):  # Yan's pain rises
        await make_checkin(
            services,
            yan,
            date(2026, 2, 27) + timedelta(days=offset),
            7 + offset,
            answers={"pain": pain},
        )
    for day in (date(2026, 2, 28), date(2026, 3, 1)):  # two missed in a row: above rising pain
        await make_checkin(services, zoe, day, 9, status=CheckInStatus.MISSED)
    assert await patient_list.show_patients(services, OPERATOR, OPERATOR)
    (listing,) = await rows(services, Outbox)
    text = listing.payload["text"]
    order = [text.index(f"({name})") for name in ("Xia", "Wes", "Zoe", "Yan", "Amy")]
    assert order == sorted(order), text
    assert "pain 2 → 4 → 6 (rising)" in text
    assert "2 missed" in text


async def test_patient_detail_shows_who_answered_and_is_audited(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, display_name="Ann")
    await make_care_link(services, pid, user_id=601, display_name="Bob")
    await make_checkin(services, pid, date(2026, 2, 28), 8, answers={"pain": 5, "fever": "no"})
    await make_checkin(
        services,
        pid,
        date(2026, 3, 1),
        9,
        answers={"pain": 7},
        answered_by=601,
        level=Level.ATTENTION,
    )
    await make_alert(services, pid, reason_texts=("a fever",))
    assert await patient_detail.show_patient(services, OPERATOR, OPERATOR, "p-1")
    shown, chart = await rows(services, Outbox)
    assert (chart.method, chart.patient_id) == ("photo", pid)  # the pain course, after the page
    text = shown.payload["text"]
    assert "P-0001 (Ann)" in text
    assert "kyphoplasty on Fri 20 Feb · day 10 · active" in text
    assert "caregivers: Bob (may answer)" in text
    assert "pain 5 → 7 (rising)" in text
    assert "a fever" in text
    assert "answered by Bob (caregiver)" in text
    assert "answered by patient" in text
    assert text.index("Sun 1 Mar") < text.index("Sat 28 Feb")  # newest first
    (event,) = await rows(services, AuditEvent)
    assert (event.actor, event.action, event.patient_ref) == (
        "operator:900",
        "patient_viewed",
        "P-0001",
    )


async def test_unknown_or_missing_patient_reference(services: Services) -> None:
    assert await patient_detail.show_patient(services, OPERATOR, OPERATOR, "P-9999")
    assert await patient_detail.show_patient(services, OPERATOR, OPERATOR, "")
    replies = [r.payload["text"] for r in await rows(services, Outbox)]
    assert replies == [views.unknown_patient("P-9999", EN).text, views.PATIENT_USAGE]
    assert await count(services, AuditEvent) == 0


async def test_paging_edits_in_place_and_every_page_fits_a_phone(
    services: Services, clock: FakeClock
) -> None:
    for number in range(23):
        pid = await make_patient(
            services, user_id=1000 + number, display_name=f"Patient {number:02d}"
        )
        await make_alert(services, pid, reason_texts=("x" * 180,))
    assert await alert_list.show_alerts(services, OPERATOR, OPERATOR)
    first = (await rows(services, Outbox))[0].payload
    nav = [b for b in first["keyboard"][-1]]
    assert [b["text"] for b in nav] == ["Next ▶"]
    assert "Page 1/3" in first["text"]
    assert await paging.turn_page(services, OPERATOR, OPERATOR, 77, PageCb("al", 2, "-")) is None
    last = (await rows(services, Outbox, Outbox.method == "edit"))[0].payload
    assert last["message_id"] == 77
    assert "Page 3/3" in last["text"]
    assert "21. " in last["text"]
    assert "23. " in last["text"]
    assert [b["text"] for b in last["keyboard"][-1]] == ["◀ Prev"]
    # the patients' pages follow a position, not a number: one without (a button from
    # before #19) shows the first page
    assert await paging.turn_page(services, OPERATOR, OPERATOR, 77, PageCb("pl", 9, "-")) is None
    first_patients = (await rows(services, Outbox, Outbox.method == "edit"))[1].payload
    assert "Page 1" in first_patients["text"]
    assert "1. P-0001" in first_patients["text"]
    for row in await rows(services, Outbox):
        assert len(row.payload["text"]) < MAX_TEXT - 500


async def test_patient_detail_pages_through_fourteen_check_ins(services: Services) -> None:
    pid = await make_patient(services)
    for offset in range(16):
        await make_checkin(
            services,
            pid,
            date(2026, 2, 14) + timedelta(days=offset),
            offset,
            answers={"pain": 3, "fever": "no", "numbness": "no"},
        )
    assert await paging.turn_page(services, OPERATOR, TEAM, 5, PageCb("pd", 2, "P-0001")) is None
    (page,) = await rows(services, Outbox)
    text = page.payload["text"]
    assert "Page 3/3" in text
    assert "14 in all" in text
    assert text.count("• ") == 4  # 14 = 5 + 5 + 4
    labels = [b["text"] for b in page.payload["keyboard"][0]]
    assert labels == ["◀ Prev", "☰ All patients"]
    (event,) = await rows(services, AuditEvent)
    assert event.detail == {"page": 2}


def test_references_and_page_counts() -> None:
    assert [views.parse_ref(t) for t in ("P-0042", "p42", " 42 ", "P-0", "Ann", "")] == [
        42,
        42,
        42,
        0,
        None,
        None,
    ]
    assert [views.page_count(n, 10) for n in (0, 1, 10, 11)] == [1, 1, 1, 2]
    assert views.pain_rising([3, 4, 5])
    assert not views.pain_rising([5, 6])
    assert not views.pain_rising([7])


# --- the daily digest ---


async def test_the_digest_goes_out_once_a_day_after_eight(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, display_name="Ann")
    other = await make_patient(services, user_id=502, display_name="Bob")
    await make_checkin(
        services,
        pid,
        date(2026, 3, 1),
        9,
        answers={"emergency": "none", "pain": 6, "pain_eased": "no"},
        level=Level.ATTENTION,
    )
    await make_checkin(services, other, date(2026, 3, 1), 9, status=CheckInStatus.MISSED)
    await make_checkin(services, other, date(2026, 2, 28), 8, status=CheckInStatus.MISSED)

    clock.set(datetime(2026, 3, 2, 7, 59, tzinfo=UTC))
    assert await digest.send_daily_digest(services) == 0
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert await digest.send_daily_digest(services) == 2
    clock.advance(hours=5)
    assert await digest.send_daily_digest(services) == 0

    (post,) = await rows(services, Outbox)
    assert (post.chat_id, post.dedupe_key, post.purpose) == (
        TEAM,
        "digest:2026-03-02",
        "digest",
    )
    text = post.payload["text"]
    assert "Daily digest for Sun 1 Mar" in text
    assert "P-0001 (Ann) · day 9 · " in text
    assert "Missed check-ins (1):\n• P-0002 (Bob) · day 9" in text
    assert "Sat 28 Feb" not in text

    assert "2+ missed in a row (1): P-0002 (Bob)" in text
    assert "Check-ins done, last 7 days: 1/3 (33%)" in text

    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # no finding on 2 March: the figures
    assert await digest.send_daily_digest(services) == 1
    assert await digest.send_daily_digest(services) == 0
    assert await count(services, Outbox, Outbox.purpose == "digest") == 2


async def test_the_digest_goes_out_at_digest_time_in_the_clinics_zone_with_the_weeks_figures(
    services: Services, clock: FakeClock
) -> None:
    services.config = replace(
        services.config, clinic_timezone="America/New_York", digest_time=time(7, 30)
    )
    pid = await make_patient(services, display_name="Ann")
    await make_checkin(services, pid, date(2026, 3, 1), 9, answers={"pain": 2})
    clock.set(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # 06:00 in New York
    slow = await make_alert(services, pid)
    clock.set(datetime(2026, 3, 2, 11, 40, tzinfo=UTC))
    await make_alert(services, pid)  # 70 minutes old at 07:50: overdue
    async with services.session_factory.begin() as session:
        alert = await session.get(Alert, slow)
        assert alert is not None
        alert.status, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, clock.now()  # 40 min
    clock.set(datetime(2026, 3, 2, 12, 29, tzinfo=UTC))  # 07:29 in New York
    assert await digest.send_daily_digest(services) == 0
    await make_alert(services, pid)  # raised 07:29, 21 minutes old at 07:50
    clock.set(datetime(2026, 3, 2, 12, 50, tzinfo=UTC))  # 07:50 in New York
    assert await digest.send_daily_digest(services) == 1

    (post,) = await rows(services, Outbox, Outbox.purpose == "digest")
    assert post.dedupe_key == "digest:2026-03-02"  # the clinic's date
    text = post.payload["text"]
    assert "Check-ins done, last 7 days: 1/1 (100%)" in text
    assert "Open alerts older than 30 min: 1" in text  # the 21-minute one is not
    assert "Median time to acknowledge, last 7 days: 40 min (of 1)" in text


async def test_concurrent_digests_send_one(services: Services, clock: FakeClock) -> None:
    pid = await make_patient(services)
    await make_checkin(services, pid, date(2026, 3, 1), 9, status=CheckInStatus.MISSED)
    results = await asyncio.gather(*(digest.send_daily_digest(services) for _ in range(3)))
    assert sorted(results) == [0, 0, 1]
    assert await count(services, Outbox, Outbox.purpose == "digest") == 1
