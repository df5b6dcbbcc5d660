"""Patient self-service end to end: /status, /pause, /resume, /stop and "stop", /mydata, /delete."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import func, select

from app.runtime import Runtime
from models import (
    Alert,
    Answer,
    AuditEvent,
    CareLink,
    CheckIn,
    CheckInStatus,
    Invite,
    Outbox,
    Patient,
    PatientStatus,
)
from recovery import Level, Procedure
from services.context import Services
from services.outbox import Priority, enqueue
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.factories import (
    make_alert,
    make_answer,
    make_care_link,
    make_checkin,
    make_invite,
    make_patient,
)
from tests.support.idle import settled
from views.account import DELETE_EXPIRED_NOTICE, PDF_CAPTION
from views.message import Message

PATIENT = 501
CAREGIVER = 601
STRANGER = 777
TOMORROW_9 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # 09:00 in London (GMT in March)


async def patient_row(services: Services, user_id: int = PATIENT) -> Patient | None:
    async with services.session_factory() as session:
        return await session.scalar(select(Patient).where(Patient.telegram_user_id == user_id))


async def count(services: Services, model: type[Any], *where: Any) -> int:
    async with services.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def command(api: FakeBotApi, text: str, contains: str, user: int = PATIENT) -> SentMessage:
    """Send ``text`` and wait for the bot's reply containing ``contains``."""
    after = len(api.messages(user))
    api.send_text(user, text)
    return await api.wait_for_message(user, contains=contains, after=after)


async def test_status_shows_day_history_trend_and_next_checkin(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(
        services, user_id=PATIENT, procedure=Procedure.KYPHOPLASTY, surgery_date=date(2026, 2, 20)
    )
    history = [
        (date(2026, 2, 25), {"pain": 9}, CheckInStatus.COMPLETED, Level.ATTENTION),
        (date(2026, 2, 26), {"pain": 7}, CheckInStatus.COMPLETED, Level.OK),
        (date(2026, 2, 27), {"pain": 6}, CheckInStatus.COMPLETED, Level.OK),
        (date(2026, 2, 28), {}, CheckInStatus.MISSED, None),
        (date(2026, 3, 1), {"pain": 5, "fever": "no"}, CheckInStatus.COMPLETED, Level.OK),
        (date(2026, 3, 2), {"pain": 6}, CheckInStatus.IN_PROGRESS, None),
    ]
    ids = [
        await make_checkin(
            services,
            pid,
            day,
            (day - date(2026, 2, 20)).days,
            answers=answers,
            status=status,
            level=level,
        )
        for day, answers, status, level in history
    ]
    await make_answer(services, ids[-1], "pain", 4, answered_by=PATIENT)  # changed 6 -> 4

    reply = await command(api, "/status", "Day 10 of your recovery")
    text = reply.text or ""
    assert "after kyphoplasty" in text
    assert "Wed 25 Feb" not in text  # only the last five
    assert "• Thu 26 Feb: done, pain 7, all fine" in text
    assert "• Sat 28 Feb: missed" in text
    assert "• Mon 2 Mar: started, pain 4" in text
    assert "Pain over your last check-ins: 7 → 6 → 5 → 4 (easing)." in text
    assert "Next check-in: Tuesday 3 March at 09:00 (Europe/London)." in text


async def test_pause_and_resume_change_the_next_checkin(api: FakeBotApi, runtime: Runtime) -> None:
    services = runtime.services
    await make_patient(services, user_id=PATIENT)
    before = await patient_row(services)
    assert before is not None
    assert before.next_checkin_at == TOMORROW_9

    await command(api, "/pause", "Check-ins are paused")
    paused = await patient_row(services)
    assert paused is not None
    assert (paused.status, paused.next_checkin_at) == (PatientStatus.PAUSED, None)
    await command(api, "/pause", "already paused")
    await command(api, "/status", "Check-ins are paused. Send /resume")

    reply = await command(api, "/resume", "Check-ins are back on")
    assert "Next check-in: Tuesday 3 March at 09:00" in (reply.text or "")
    resumed = await patient_row(services)
    assert resumed is not None
    assert (resumed.status, resumed.next_checkin_at) == (PatientStatus.ACTIVE, TOMORROW_9)
    await command(api, "/resume", "Check-ins are already on. Next check-in: Tuesday 3 March")


async def test_pause_drops_questions_held_back_but_not_alerts(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    later = services.now() + timedelta(hours=3)  # e.g. held back by quiet hours
    async with services.transaction() as session:
        for purpose, priority in [("question", Priority.QUESTION), ("alert", Priority.ALERT)]:
            enqueue(
                session,
                CAREGIVER,
                Message(purpose),
                now=services.now(),
                purpose=purpose,
                priority=priority,
                not_before=later,
                patient_id=pid,
            )

    await command(api, "/pause", "Check-ins are paused")
    async with services.session_factory() as session:
        kept = await session.scalars(select(Outbox.purpose).where(Outbox.chat_id == CAREGIVER))
        assert kept.all() == ["alert"]


async def test_resume_in_hospital_says_checkins_start_at_home(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await make_patient(
        runtime.services,
        user_id=PATIENT,
        procedure=Procedure.FUSION,
        status=PatientStatus.PAUSED,
        in_hospital=True,
    )
    await command(api, "/resume", "start after you get home from hospital")
    await command(api, "/status", "Check-ins start after you get home from hospital")


async def test_stop_command_and_the_word_stop_end_checkins_and_keep_data(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    await make_checkin(services, pid, date(2026, 3, 1), 9, answers={"pain": 3})

    reply = await command(api, "/stop", "Check-ins have ended")
    assert "data is kept" in (reply.text or "")
    assert "/resume" in (reply.text or "")
    assert "/delete" in (reply.text or "")
    stopped = await patient_row(services)
    assert stopped is not None
    assert (stopped.status, stopped.next_checkin_at) == (PatientStatus.WITHDRAWN, None)
    assert await count(services, CheckIn, CheckIn.patient_id == pid) == 1
    await command(api, "stop", "already stopped")

    await command(api, "/resume", "Check-ins are back on")
    await command(api, "STOP", "Check-ins have ended")
    await command(api, "/resume", "Check-ins are back on")
    await command(api, "Unsubscribe", "Check-ins have ended")
    final = await patient_row(services)
    assert final is not None
    assert (final.status, final.next_checkin_at) == (PatientStatus.WITHDRAWN, None)


async def test_mydata_sends_json_with_every_answer_and_who_gave_it(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    await make_care_link(services, pid, user_id=CAREGIVER, display_name="Sam")
    checkin = await make_checkin(
        services, pid, date(2026, 3, 1), 9, answers={"pain": 5, "fever": "no"}
    )
    await make_answer(
        services,
        checkin,
        "pain",
        3,
        answered_by=CAREGIVER,
        at=services.now() + timedelta(minutes=5),
    )
    await make_alert(services, pid, checkin_id=checkin)
    await make_invite(services, pid)

    api.send_text(PATIENT, "/mydata")
    sent = await api.wait_for_message(PATIENT, predicate=lambda m: m.document is not None)
    assert sent.document is not None
    assert sent.document["file_name"] == "my-recovery-data-P-0001.json"
    data = json.loads(sent.document["content"])
    assert data["patient"]["ref"] == "P-0001"
    (exported,) = data["checkins"]
    pains = [
        (a["value"], a["answered_by"], a["current"])
        for a in exported["answers"]
        if a["question_key"] == "pain"
    ]
    assert pains == [
        ("5", {"role": "patient"}, False),
        ("3", {"role": "caregiver", "name": "Sam"}, True),
    ]
    assert {a["question_key"] for a in exported["answers"]} == {"pain", "fever"}
    assert len(data["alerts"]) == 1
    assert data["caregivers"][0]["display_name"] == "Sam"
    assert len(data["invitations"]) == 1
    assert str(CAREGIVER) not in sent.document["content"].decode()
    async with services.session_factory() as session:
        (event,) = (await session.scalars(select(AuditEvent))).all()
    assert (event.action, event.patient_ref, event.detail) == ("patient_export", "P-0001", {})


async def test_mydata_also_sends_a_pdf_a_person_can_read(api: FakeBotApi, runtime: Runtime) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT, display_name="Zoë Ωmega")
    await make_checkin(services, pid, date(2026, 2, 28), 8, answers={"pain": 6, "fever": "yes"})
    api.send_text(PATIENT, "/mydata")
    sent = await api.wait_for_message(
        PATIENT, predicate=lambda m: m.document is not None and m.caption == PDF_CAPTION
    )
    assert sent.document is not None
    assert sent.document["file_name"] == "my-recovery-data-P-0001.pdf"
    assert sent.document["content"].startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(sent.document["content"]))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Zoë Ωmega" in text
    assert "2026-02-28" in text
    assert "How bad is your back" in text
    assert "the worst you can imagine. 6" in text  # question and answer
    assert "Your pain by day" in text  # the chart is in it


async def ask_delete(api: FakeBotApi) -> SentMessage:
    question = await command(api, "/delete", "Erase all your data?")
    assert question.button_labels == ["Yes, erase everything", "Cancel"]
    return question


async def test_delete_cancel_keeps_everything(api: FakeBotApi, runtime: Runtime) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    await make_checkin(services, pid, date(2026, 3, 1), 9, answers={"pain": 3})
    question = await ask_delete(api)

    after = len(api.messages(PATIENT))
    query = api.press_button(PATIENT, question, "Cancel")
    await api.wait_for_message(PATIENT, contains="Nothing was deleted", after=after)
    assert (await api.wait_callback_answer(query)).get("text") in (None, "")
    await api.wait_for(lambda: not question.buttons)  # the choice replaced the buttons
    assert await patient_row(services) is not None
    assert await count(services, CheckIn, CheckIn.patient_id == pid) == 1
    assert await count(services, AuditEvent) == 0


async def test_delete_yes_erases_every_row_of_the_patient(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    other = await make_patient(services, user_id=STRANGER)
    await make_care_link(services, pid, user_id=CAREGIVER)
    checkin = await make_checkin(services, pid, date(2026, 3, 1), 9, answers={"pain": 3})
    await make_answer(services, checkin, "pain", 2, answered_by=CAREGIVER)
    await make_alert(services, pid, checkin_id=checkin)
    await make_invite(services, pid)
    await make_checkin(services, other, date(2026, 3, 1), 9, answers={"pain": 1})
    async with services.transaction() as session:  # a reminder still waiting for the morning
        enqueue(
            session,
            CAREGIVER,
            Message("later"),
            now=services.now(),
            purpose="reminder",
            not_before=services.now() + timedelta(hours=3),
            patient_id=pid,
        )
    question = await ask_delete(api)

    after = len(api.messages(PATIENT))
    api.press_button(PATIENT, question, "Yes, erase everything")
    reply = await api.wait_for_message(PATIENT, contains="has been erased", after=after)
    assert "/start" in (reply.text or "")

    assert await patient_row(services) is None
    for model, where in [
        (CheckIn, CheckIn.patient_id == pid),
        (Answer, Answer.checkin_id == checkin),
        (Alert, Alert.patient_id == pid),
        (CareLink, CareLink.patient_id == pid),
        (Invite, Invite.patient_id == pid),
        (Outbox, Outbox.patient_id == pid),
    ]:
        assert await count(services, model, where) == 0, model.__name__
    assert await count(services, Outbox, Outbox.chat_id == CAREGIVER) == 0
    assert await count(services, CheckIn, CheckIn.patient_id == other) == 1  # others untouched
    async with services.session_factory() as session:
        (event,) = (await session.scalars(select(AuditEvent))).all()
    assert (event.action, event.actor, event.patient_ref) == (
        "patient_deleted",
        "patient",
        "P-0001",
    )

    # a second press on the old question erases nothing and gets a polite notice
    query = api.press(PATIENT, question, "cf:delete:yes")
    assert (await api.wait_callback_answer(query))["text"] == DELETE_EXPIRED_NOTICE
    assert await count(services, Patient) == 1


async def test_old_delete_question_cannot_erase_a_new_enrollment(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    await make_patient(services, user_id=PATIENT)
    old_question = await ask_delete(api)
    after = len(api.messages(PATIENT))
    api.press_button(PATIENT, old_question, "Yes, erase everything")
    await api.wait_for_message(PATIENT, contains="has been erased", after=after)

    await make_patient(services, user_id=PATIENT)  # enrolled again
    query = api.press(PATIENT, old_question, "cf:delete:yes")
    assert (await api.wait_callback_answer(query))["text"] == DELETE_EXPIRED_NOTICE
    assert await patient_row(services) is not None


async def test_a_stranger_is_pointed_to_start(api: FakeBotApi, runtime: Runtime) -> None:
    for text, expected in [
        ("/status", "Send /start to begin"),
        ("/pause", "Send /start to begin"),
        ("/resume", "Send /start to begin"),
        ("/stop", "Send /start to begin"),
        ("stop", "Send /start to begin"),
        ("/mydata", "I have no data stored about you. Send /start"),
        ("/delete", "I have no data stored about you. Send /start"),
    ]:
        reply = await command(api, text, expected, user=STRANGER)
        assert not reply.buttons
    await settled(api, runtime)
    assert api.documents(STRANGER) == []


async def test_a_patient_still_enrolling_is_sent_back_to_start(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await make_patient(runtime.services, user_id=PATIENT, status=PatientStatus.ENROLLING)
    await command(api, "/status", "not finished signing up yet. Send /start to continue")
    await command(api, "/pause", "not finished signing up yet")
    await command(api, "stop", "I will not send you check-ins")
    row = await patient_row(runtime.services)
    assert row is not None
    assert row.status == PatientStatus.ENROLLING


async def test_a_caregiver_gets_their_own_copy_and_erasure(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    pid = await make_patient(services, user_id=PATIENT)
    await make_care_link(services, pid, user_id=CAREGIVER, display_name="Sam")
    checkin = await make_checkin(services, pid, date(2026, 3, 1), 9, answers={"pain": 5})
    await make_answer(services, checkin, "pain", 3, answered_by=CAREGIVER)

    api.send_text(CAREGIVER, "/mydata")
    sent = await api.wait_for_message(CAREGIVER, predicate=lambda m: m.document is not None)
    assert sent.document is not None
    copy = json.loads(sent.document["content"])
    assert [
        (link["patient"], link["your_name_as_the_patient_sees_it"]) for link in copy["links"]
    ] == [("P-0001", "Sam")]
    assert copy["answer_count"] == 1
    assert copy["answers_given"][0]["value"] == "3"

    after = len(api.messages(CAREGIVER))
    api.send_text(CAREGIVER, "/delete")
    question = await api.wait_for_message(CAREGIVER, contains="Erase all your data?", after=after)
    after = len(api.messages(CAREGIVER))
    api.press_button(CAREGIVER, question, "Yes, erase everything")
    await api.wait_for_message(CAREGIVER, contains="has been erased", after=after)

    assert await count(services, CareLink, CareLink.user_id == CAREGIVER) == 0
    assert await count(services, Answer, Answer.answered_by == CAREGIVER) == 0
    assert await count(services, Answer, Answer.checkin_id == checkin) == 2  # the answer stays
    api.send_text(PATIENT, "/mydata")
    mine = await api.wait_for_message(PATIENT, predicate=lambda m: m.document is not None)
    assert mine.document is not None
    answers = json.loads(mine.document["content"])["checkins"][0]["answers"]
    assert [a["answered_by"] for a in answers] == [{"role": "patient"}, {"role": "caregiver"}]
    after = len(api.messages(CAREGIVER))
    api.send_text(CAREGIVER, "/mydata")
    await api.wait_for_message(CAREGIVER, contains="no data stored about you", after=after)
