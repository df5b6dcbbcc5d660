"""The care team end to end: the alert path with escalation and acknowledgement, the role
checks, the review commands with paging, /export, the digest and the command-line tools."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from app.cli import main
from app.runtime import Runtime
from models import Alert, AlertStatus, AuditEvent, CheckInStatus
from recovery import Level, Procedure
from services.care_team import operators
from tests.e2e.test_checkin import enroll
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_care_link, make_checkin, make_patient
from tests.support.idle import settled
from views import texts
from views.callbacks import AckCb
from views.care_team import common as views
from views.i18n import translator

COLLEAGUE = 901
STRANGER = 777
ACKED = "Acknowledged by"


@pytest.fixture(autouse=True)
def _morning(clock: FakeClock) -> None:
    """Monday 2 March 2026, 08:00 UTC."""
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def tick(runtime: Runtime) -> dict[str, int]:
    results = await runtime.tick()
    assert -1 not in results.values(), results
    return results


async def command(
    api: FakeBotApi, user: int, text: str, chat: int | None = None, contains: str | None = None
) -> SentMessage:
    """Send ``text`` and return the bot's next message in that chat (containing ``contains``:
    the team chat may get a digest in between)."""
    where = user if chat is None else chat
    after = len(api.messages(where))
    api.send_text(user, text, chat_id=chat)
    return await api.wait_for_message(where, after=after, contains=contains)


async def red_flag(api: FakeBotApi, runtime: Runtime, clock: FakeClock) -> SentMessage:
    """An enrolled patient reports a fever; returns the care-team post.

    An operator then lists the open alerts in the team chat, as a person reads before
    pressing: the reply comes after the post's delivery is recorded (one send per chat at a
    time), so presses find the post's message id (posts still in flight are covered by the
    edit_late_posts sweep, tested in tests/services/test_operators.py).
    """
    await enroll(runtime)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    listing = await command(api, OPERATOR_ID, "/alerts", CARE_TEAM_CHAT)
    assert "Open alerts: 1" in listing.text
    return post


def press_ack(api: FakeBotApi, user: int, message: SentMessage, name: str | None = None) -> str:
    """``user`` (with Telegram first name ``name``) presses Acknowledge under ``message``."""
    data = message.find_button("Acknowledge")["callback_data"]
    return api.press(user, message, data, first_name=name)


def acknowledged(message: SentMessage) -> bool:
    return ACKED in (message.text or "") and "Acknowledge" not in message.button_labels


OUTCOMES = [
    "Called the patient",
    "Advised urgent care / ED",
    "Arranged a visit",
    "No action needed",
    "Could not reach",
]


async def test_after_acknowledging_the_operator_records_what_was_done_on_every_post(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    team_post = await red_flag(api, runtime, clock)
    clock.advance(minutes=5)
    query = press_ack(api, OPERATOR_ID, team_post, "Dr Ann")
    assert (await api.wait_callback_answer(query))["text"] == views.ACKNOWLEDGED
    await api.wait_for(lambda: acknowledged(team_post))
    assert team_post.button_labels == OUTCOMES

    stranger = api.press(
        STRANGER, team_post, team_post.find_button("Arranged a visit")["callback_data"]
    )
    assert (await api.wait_callback_answer(stranger))["text"] == views.NOT_OPERATOR
    clock.advance(minutes=4)
    data = team_post.find_button("Called the patient")["callback_data"]
    query = api.press(OPERATOR_ID, team_post, data, first_name="Dr Ann")
    assert (await api.wait_callback_answer(query))["text"] == views.OUTCOME_RECORDED
    await api.wait_for(lambda: "Outcome: called the patient" in (team_post.text or ""))
    assert "✔ Outcome: called the patient (Dr Ann, 09:09 UTC)" in team_post.text
    assert team_post.button_labels == []
    again = api.press(COLLEAGUE, team_post, data)
    assert (await api.wait_callback_answer(again))["text"] in (
        views.OUTCOME_ALREADY,
        views.NOT_OPERATOR,
    )

    async with runtime.services.session_factory() as session:
        (alert,) = (await session.scalars(select(Alert))).all()
        events = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "alert_outcome"))
        ).all()
    assert (alert.outcome, alert.outcome_by) == ("called", OPERATOR_ID)
    assert [e.detail["outcome"] for e in events] == ["called"]
    detail = await command(api, OPERATOR_ID, "/patient P-0001")
    assert "a fever → called the patient" in detail.text


async def test_alert_escalates_until_an_operator_acknowledges_then_every_post_shows_who(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    team_post = await red_flag(api, runtime, clock)
    assert team_post.button_labels == ["Acknowledge"]
    await settled(api, runtime)
    assert api.messages(OPERATOR_ID) == []

    clock.advance(minutes=31)  # nobody acknowledged: re-posted to the team and each operator
    assert (await tick(runtime))["escalate_due"] == 1
    team_again = await api.wait_for_message(CARE_TEAM_CHAT, contains="reminder 1")
    private = await api.wait_for_message(OPERATOR_ID, contains="reminder 1")
    assert "P-0001 (Ann)" in private.text
    assert "• fever: Yes" in private.text

    # the operator reads the queue first (here and in the team chat), then acknowledges
    assert "Open alerts: 1" in (await command(api, OPERATOR_ID, "/alerts")).text
    listing = await command(api, OPERATOR_ID, "/alerts", CARE_TEAM_CHAT, contains="Open alerts")
    assert "Open alerts: 1" in listing.text
    query = press_ack(api, OPERATOR_ID, private, "Dr Ann")
    assert (await api.wait_callback_answer(query))["text"] == views.ACKNOWLEDGED
    for post in (team_post, team_again, private):
        await api.wait_for(lambda p=post: acknowledged(p))
        assert "✔ Acknowledged by Dr Ann at 09:31 UTC" in post.text
        assert "reminder" not in post.text
    await settled(api, runtime)
    assert not any(ACKED in (m.text or "") for m in api.messages(PATIENT))

    sent = len(api.messages(CARE_TEAM_CHAT)), len(api.messages(OPERATOR_ID))
    for _ in range(3):  # escalation has stopped
        clock.advance(minutes=31)
        assert (await tick(runtime))["escalate_due"] == 0
    assert (len(api.messages(CARE_TEAM_CHAT)), len(api.messages(OPERATOR_ID))) == sent

    # a second operator presses later: told who acknowledged, nothing changes
    await operators.add_operator(runtime.services, COLLEAGUE, display_name=None, actor="cli:t")
    async with runtime.services.session_factory() as session:
        alert_id = await session.scalar(select(Alert.id))
    assert alert_id is not None
    second = api.press(COLLEAGUE, team_post, AckCb(alert_id).pack())  # a stale copy's button
    answer = await api.wait_callback_answer(second)
    assert answer["text"] == "Already acknowledged by Dr Ann at 09:31 UTC."
    async with runtime.services.session_factory() as session:
        alert = await session.scalar(select(Alert))
        events = (await session.scalars(select(AuditEvent))).all()
    assert alert is not None
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, OPERATOR_ID)
    assert [(e.action, e.actor) for e in events if e.action == "alert_acknowledged"] == [
        ("alert_acknowledged", "operator:900")
    ]


async def test_two_operators_press_at_once_and_both_learn_who_won(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    team_post = await red_flag(api, runtime, clock)
    await operators.add_operator(runtime.services, COLLEAGUE, display_name="Dr Lee", actor="cli:t")
    first = press_ack(api, OPERATOR_ID, team_post, "Dr Ann")
    second = press_ack(api, COLLEAGUE, team_post)
    answers = [
        (await api.wait_callback_answer(first))["text"],
        (await api.wait_callback_answer(second))["text"],
    ]
    assert views.ACKNOWLEDGED in answers  # updates of different users run concurrently
    winner = "Dr Ann" if answers[0] == views.ACKNOWLEDGED else "Dr Lee"
    assert f"Already acknowledged by {winner} at 09:00 UTC." in answers
    await api.wait_for(lambda: acknowledged(team_post))
    assert f"✔ Acknowledged by {winner} at 09:00 UTC" in team_post.text


async def test_non_operators_get_the_unknown_reply_and_cannot_acknowledge(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    team_post = await red_flag(api, runtime, clock)
    for text in ("/alerts", "/patients", "/patient P-0001", "/export"):
        reply = await command(api, STRANGER, text)
        assert reply.text == texts.unknown(translator(None)).text
    await settled(api, runtime)
    assert api.documents(STRANGER) == []

    refused = press_ack(api, STRANGER, team_post)
    answer = await api.wait_callback_answer(refused)
    assert (answer["text"], answer["show_alert"]) == (views.NOT_OPERATOR, True)
    async with runtime.services.session_factory() as session:
        alert = await session.scalar(select(Alert))
    assert alert is not None
    assert alert.status == AlertStatus.OPEN
    assert team_post.buttons

    # in the care-team chat a stranger's command is ignored; an operator's is answered there
    api.send_text(STRANGER, "/alerts", chat_id=CARE_TEAM_CHAT)
    listing = await command(api, OPERATOR_ID, "/alerts", chat=CARE_TEAM_CHAT)
    assert "Open alerts: 1" in listing.text
    assert sum("Open alerts" in (m.text or "") for m in api.messages(CARE_TEAM_CHAT)) == 2


async def test_review_commands_show_alerts_patients_by_risk_and_one_patient(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    services = runtime.services
    calm = await make_patient(services, user_id=501, display_name="Cal", schedule=False)
    risky = await make_patient(services, user_id=502, display_name="Rae", schedule=False)
    await make_care_link(services, risky, user_id=602, display_name="Sam")
    await make_checkin(services, calm, date(2026, 3, 1), 9, answers={"pain": 3})
    await make_checkin(services, risky, date(2026, 2, 28), 8, answers={"pain": 3})
    await make_checkin(
        services, risky, date(2026, 3, 1), 9, answers={"pain": 7, "fever": "yes"}, answered_by=602
    )
    await make_alert(services, risky, reason_texts=("a fever",))

    alerts = await command(api, OPERATOR_ID, "/alerts")
    assert "P-0002 (Rae)" in alerts.text
    assert alerts.button_labels == ["Ack P-0002 · fever"]

    patients = await command(api, OPERATOR_ID, "/patients")
    assert patients.text.index("P-0002 (Rae)") < patients.text.index("P-0001 (Cal)")
    assert patients.button_labels == ["P-0002", "P-0001"]

    detail = await command(api, OPERATOR_ID, "/patient P-0002")
    assert "answered by Sam (caregiver)" in detail.text
    assert "pain 3 → 7 (rising)" in detail.text
    assert "Open alerts (1, acknowledge in /alerts)" in detail.text
    (chart,) = await api.wait_for(lambda: api.photos(OPERATOR_ID))  # the pain course
    assert chart.photo is not None
    assert chart.photo["content"].startswith(b"\x89PNG")

    unknown = await command(api, OPERATOR_ID, "/patient P-0404")
    assert unknown.text == views.unknown_patient("P-0404", translator("en")).text
    await settled(api, runtime)
    assert len(api.photos(OPERATOR_ID)) == 1  # no chart for an unknown reference

    # a patient button on the list opens the patient in place, and back
    api.press_button(OPERATOR_ID, patients, "P-0001")
    await api.wait_for(lambda: "👤 P-0001 (Cal)" in patients.text)
    api.press_button(OPERATOR_ID, patients, "☰ All patients")
    await api.wait_for(lambda: "Patients by risk" in patients.text)

    # acknowledging from the list refreshes it
    api.press_button(OPERATOR_ID, alerts, "Ack P-0002 · fever")
    await api.wait_for(lambda: alerts.text == "✅ No open alerts.")

    async with services.session_factory() as session:
        viewed = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "patient_viewed"))
        ).all()
    assert [e.patient_ref for e in viewed] == ["P-0002", "P-0001"]


async def test_patients_are_listed_by_risk_open_alerts_first_then_missed_streaks(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    """Issue 14: a kyphoplasty patient with pain 3 and no alert was listed above a fusion
    patient with an open fever + wound alert."""
    services = runtime.services
    calm = await make_patient(services, user_id=501, display_name="Abe", schedule=False)
    fusion = await make_patient(
        services, user_id=502, display_name="Zed", procedure=Procedure.FUSION, schedule=False
    )
    absent = await make_patient(services, user_id=503, display_name="Bea", schedule=False)
    later = await make_patient(services, user_id=504, display_name="Cy", schedule=False)
    await make_checkin(services, calm, date(2026, 3, 1), 9, answers={"pain": 3})
    await make_checkin(services, fusion, date(2026, 3, 1), 9, answers={"pain": 3})
    await make_alert(
        services, fusion, reasons=("fever", "wound_fluid"), reason_texts=("a fever", "fluid")
    )
    for day in (date(2026, 2, 28), date(2026, 3, 1)):
        await make_checkin(services, absent, day, 8, status=CheckInStatus.MISSED)
    clock.advance(minutes=5)
    await make_alert(services, later, level=Level.URGENT)  # urgent too, raised later

    patients = await command(api, OPERATOR_ID, "/patients")
    assert patients.button_labels == ["P-0002", "P-0004", "P-0003", "P-0001"]

    clock.advance(minutes=5)
    await make_alert(services, later, level=Level.EMERGENCY)
    patients = await command(api, OPERATOR_ID, "/patients")
    assert patients.button_labels == ["P-0004", "P-0002", "P-0003", "P-0001"]


async def test_long_lists_page_in_place(api: FakeBotApi, runtime: Runtime) -> None:
    """Pages follow the position of their first and last patient (no count of the list)."""
    for number in range(22):
        await make_patient(
            runtime.services, user_id=800 + number, display_name=f"N{number:02d}", schedule=False
        )
    listing = await command(api, OPERATOR_ID, "/patients")
    assert "Page 1" in listing.text
    assert "(N10)" not in listing.text
    assert listing.button_labels[-1:] == ["Next ▶"]
    api.press_button(OPERATOR_ID, listing, "Next ▶")
    await api.wait_for(lambda: "Page 2" in listing.text)
    assert "11. P-0011 (N10)" in listing.text
    assert "(N20)" not in listing.text
    api.press_button(OPERATOR_ID, listing, "Next ▶")
    await api.wait_for(lambda: "Page 3" in listing.text)
    assert "21. P-0021 (N20)" in listing.text
    assert "(N21)" in listing.text
    assert listing.button_labels[-1:] == ["◀ Prev"]  # the last page
    api.press_button(OPERATOR_ID, listing, "◀ Prev")
    await api.wait_for(lambda: "Page 2" in listing.text)
    assert "11. P-0011 (N10)" in listing.text
    api.press_button(OPERATOR_ID, listing, "◀ Prev")
    await api.wait_for(lambda: "Page 1" in listing.text and "1. P-0001 (N00)" in listing.text)
    assert "◀ Prev" not in listing.button_labels
    assert all(len(m.text or "") < 4096 for m in api.messages(OPERATOR_ID))


async def test_export_command_sends_a_csv_document(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    pid = await make_patient(runtime.services, schedule=False)
    await make_checkin(runtime.services, pid, date(2026, 3, 1), 9, answers={"pain": 4})
    note = await command(api, OPERATOR_ID, "/export", chat=CARE_TEAM_CHAT)
    assert "private chat" in note.text
    document = await api.wait_for_message(OPERATOR_ID, predicate=lambda m: m.document is not None)
    assert document.document is not None
    rows = list(csv.DictReader(io.StringIO(document.document["content"].decode())))
    assert [(r["patient_ref"], r["question_key"], r["value"]) for r in rows] == [
        ("P-0001", "pain", "4")
    ]
    await settled(api, runtime)
    assert api.documents(CARE_TEAM_CHAT) == []


async def test_the_digest_reaches_the_care_team_once_a_day(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    pid = await make_patient(runtime.services, display_name="Ann", schedule=False)
    await make_checkin(runtime.services, pid, date(2026, 3, 1), 9, status=CheckInStatus.MISSED)
    await make_checkin(
        runtime.services, pid, date(2026, 2, 28), 8, answers={"pain": 6}, level=Level.ATTENTION
    )
    clock.set(datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
    assert (await tick(runtime))["send_daily_digest"] == 0
    clock.set(datetime(2026, 3, 2, 8, 5, tzinfo=UTC))
    assert (await tick(runtime))["send_daily_digest"] == 1
    digest = await api.wait_for_message(CARE_TEAM_CHAT, contains="Daily digest for Sun 1 Mar")
    assert "Missed check-ins (1):\n• P-0001 (Ann) · day 9" in digest.text
    clock.advance(hours=3)
    assert (await tick(runtime))["send_daily_digest"] == 0
    await settled(api, runtime)
    assert sum(m.contains("Daily digest") for m in api.messages(CARE_TEAM_CHAT)) == 1


# --- the command line ---


def cli(tmp_path: Path, *argv: str) -> int:
    return main(["--env-file", str(tmp_path / "none.env"), *argv])


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPERATOR_IDS", "900")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


@pytest.mark.usefixtures("cli_env")
async def test_cli_manages_operators_and_prints_the_audit_trail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = datetime.now(UTC).date()
    assert await asyncio.to_thread(cli, tmp_path, "operator", "add", "901", "--name", "Dr Lee") == 0
    assert await asyncio.to_thread(cli, tmp_path, "operator", "list") == 0
    assert await asyncio.to_thread(cli, tmp_path, "operator", "remove", "901") == 0
    assert await asyncio.to_thread(cli, tmp_path, "operator", "remove", "900") == 1
    out = capsys.readouterr()
    assert "operator 901 added" in out.out
    assert "900  -  OPERATOR_IDS" in out.out
    assert "901  Dr Lee  table  added" in out.out
    assert "operator 901 removed" in out.out
    assert "operator 900 is set in OPERATOR_IDS" in out.err

    assert await asyncio.to_thread(cli, tmp_path, "audit", "--since", today.isoformat()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].split("  ")[1].startswith("cli")
    assert lines[0].split("  ")[2:] == ["operator_added", "-", "user_id=901"]
    assert lines[1].split("  ")[2:] == ["operator_removed", "-", "user_id=901"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert await asyncio.to_thread(cli, tmp_path, "audit", "--since", tomorrow) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.usefixtures("cli_env")
async def test_cli_exports_every_format_to_a_file_or_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    assert (
        await asyncio.to_thread(
            cli,
            tmp_path,
            "export",
            "--format",
            "fhir",
            "--since",
            "2026-01-01",
            "--out",
            str(target),
        )
        == 0
    )
    assert Bundle.model_validate_json(target.read_text()).entry is None
    assert await asyncio.to_thread(cli, tmp_path, "export", "--since", "2026-01-01") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("patient_ref,procedure,")
    assert "exported 0 check-ins" in captured.err
    assert (
        await asyncio.to_thread(
            cli,
            tmp_path,
            "export",
            "--since",
            "2026-01-01",
            "--patient",
            "P-0404",
            "--out",
            str(target),
        )
        == 1
    )
    assert not target.exists()
    assert "no patient with the reference P-0404" in capsys.readouterr().err
    assert await asyncio.to_thread(cli, tmp_path, "audit", "--since", "2026-01-01") == 0
    audit = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[2] for line in audit] == ["export", "export"]
    assert 'format="fhir"' in audit[0]
    assert 'channel="cli"' in audit[0]
