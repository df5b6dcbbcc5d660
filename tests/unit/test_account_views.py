"""Self-service messages (/status, /resume, /delete...), opt-out words and the /mydata export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from models import (
    Alert,
    AlertStatus,
    Answer,
    CareLink,
    CareLinkKind,
    CheckIn,
    CheckInStatus,
    Invite,
    Patient,
    PatientStatus,
)
from recovery import Level, Procedure, ProtocolSet
from services.account.data_copy import EXPORT_FORMAT, build_patient_export
from views.account import (
    CheckInLine,
    StatusView,
    delete_question,
    export_filename,
    is_opt_out_word,
    pain_trend,
    resumed_message,
    status_message,
)
from views.callbacks import ConfirmAction, ConfirmCb, ConfirmChoice
from views.i18n import translator

EN = translator("en")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([7, 6, 4], "Pain over your last check-ins: 7 → 6 → 4 (easing)."),
        ([3, 5, 6], "Pain over your last check-ins: 3 → 5 → 6 (rising)."),
        ([5, 4, 5, 6], "Pain over your last check-ins: 5 → 4 → 5 → 6 (steady)."),
        ([4, 2], "Pain over your last check-ins: 4 → 2 (easing)."),
        ([4, 3], "Pain over your last check-ins: 4 → 3 (steady)."),
        ([6], "Pain at your last check-in: 6."),
        ([], "No pain scores yet."),
    ],
)
def test_pain_trend(values: list[int], expected: str) -> None:
    assert pain_trend(values, EN) == expected


@pytest.mark.parametrize(
    "text", ["stop", "STOP", "Stop", " stop ", "stop.", "Stop!", "unsubscribe", "UNSUBSCRIBE"]
)
def test_opt_out_words(text: str) -> None:
    assert is_opt_out_word(text)


@pytest.mark.parametrize(
    "text", [None, "", "/stop", "stop it", "don't stop", "stopped", "please unsubscribe me", "s"]
)
def test_not_opt_out_words(text: str | None) -> None:
    assert not is_opt_out_word(text)


def _view(**changes: object) -> StatusView:
    values: dict[str, object] = {
        "patient_status": "active",
        "procedure": "fusion",
        "surgery_date": date(2026, 2, 20),
        "post_op_day": 10,
        "in_hospital": False,
        "next_checkin": datetime(2026, 3, 3, 9, 0, tzinfo=LONDON),
        "timezone": "Europe/London",
        "recent": (
            CheckInLine(date(2026, 2, 28), "completed", pain=7, level="attention"),
            CheckInLine(date(2026, 3, 1), "missed"),
            CheckInLine(date(2026, 3, 2), "in_progress", pain=4),
        ),
    }
    values.update(changes)
    return StatusView(**values)  # type: ignore[arg-type]


def test_status_message_shows_day_history_trend_and_next() -> None:
    text = status_message(_view(), EN).text
    assert text.startswith("Day 10 of your recovery after spinal fusion.")
    assert "• Sat 28 Feb: done, pain 7, needs attention\n• Sun 1 Mar: missed\n" in text
    assert "• Mon 2 Mar: started, pain 4" in text
    assert "Pain over your last check-ins: 7 → 4 (easing)." in text
    assert text.endswith("Next check-in: Tuesday 3 March at 09:00 (Europe/London).")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"patient_status": "paused"}, "Check-ins are paused. Send /resume"),
        ({"patient_status": "withdrawn"}, "Check-ins are stopped. Send /resume"),
        ({"patient_status": "finished"}, "programme has finished"),
        ({"in_hospital": True, "next_checkin": None}, "after you get home from hospital"),
        ({"next_checkin": None}, "No more check-ins are planned."),
    ],
)
def test_status_message_next_checkin_variants(changes: dict[str, object], expected: str) -> None:
    text = status_message(_view(**changes), EN).text
    assert expected in text
    assert "Next check-in" not in text


def test_status_message_without_history_and_before_surgery() -> None:
    text = status_message(_view(recent=(), post_op_day=-3, surgery_date=date(2026, 3, 5)), EN).text
    assert "Your operation (spinal fusion) is planned for Thursday 5 March 2026." in text
    assert "No check-ins yet." in text
    assert "Pain" not in text


def test_resumed_message() -> None:
    when = datetime(2026, 3, 3, 9, 30, tzinfo=LONDON)
    text = resumed_message(
        next_checkin=when, timezone="Europe/London", in_hospital=False, already=False, tr=EN
    ).text
    assert text == "Check-ins are back on. Next check-in: Tuesday 3 March at 09:30 (Europe/London)."
    again = resumed_message(
        next_checkin=when, timezone="Europe/London", in_hospital=False, already=True, tr=EN
    )
    assert again.text.startswith("Check-ins are already on.")
    hospital = resumed_message(
        next_checkin=None, timezone="UTC", in_hospital=True, already=False, tr=EN
    )
    assert "after you get home from hospital" in hospital.text


def test_delete_question_has_yes_and_cancel_buttons() -> None:
    (row,) = delete_question(EN).keyboard
    assert [b.label for b in row] == ["Yes, erase everything", "Cancel"]
    assert [ConfirmCb.unpack(b.data or "") for b in row] == [
        ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.YES),
        ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.NO),
    ]


def test_export_filename() -> None:
    assert export_filename("P-0001") == "my-recovery-data-P-0001.json"


# --- the /mydata document ---

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _rows() -> dict[str, object]:
    patient = Patient(
        id=1,
        telegram_user_id=501,
        chat_id=501,
        display_name="Pat",
        status=PatientStatus.ACTIVE,
        procedure=Procedure.KYPHOPLASTY,
        surgery_date=date(2026, 2, 20),
        in_hospital=False,
        timezone="Europe/London",
        checkin_time=time(9),
        consent_at=T0,
        created_at=T0,
        updated_at=T0,
    )
    checkin = CheckIn(
        id=7,
        patient_id=1,
        local_date=date(2026, 3, 1),
        post_op_day=9,
        status=CheckInStatus.COMPLETED,
        trigger="scheduled",
        question_keys=["pain", "fever"],
        level=Level.URGENT,
        created_at=T0,
        sent_at=T0,
    )
    answers = [
        Answer(
            id=2,
            checkin_id=7,
            question_key="pain",
            value="4",
            answered_by=601,
            answered_at=T0.replace(minute=2),
        ),
        Answer(
            id=1,
            checkin_id=7,
            question_key="pain",
            value="5",
            answered_by=501,
            answered_at=T0.replace(minute=1),
            superseded_at=T0.replace(minute=2),
        ),
        Answer(
            id=3,
            checkin_id=7,
            question_key="fever",
            value="yes",
            answered_by=777,
            answered_at=T0.replace(minute=3),
        ),
    ]
    alert = Alert(
        id=4,
        patient_id=1,
        checkin_id=7,
        level=Level.URGENT,
        reasons=["fever"],
        reason_texts=["a fever"],
        status=AlertStatus.ACKNOWLEDGED,
        created_at=T0,
        acknowledged_by=900,
        acknowledged_at=T0,
    )
    link = CareLink(
        id=5,
        patient_id=1,
        kind=CareLinkKind.USER,
        chat_id=601,
        user_id=601,
        display_name="Sam",
        may_answer=True,
        receives_summary=False,
        created_at=T0,
    )
    invite = Invite(
        id=6,
        patient_id=1,
        token_hash="f" * 64,
        purpose="caregiver",
        created_at=T0,
        expires_at=T0,
        used_at=T0,
        used_by=601,
    )
    return {
        "patient": patient,
        "checkins": [checkin],
        "answers": answers,
        "alerts": [alert],
        "care_links": [link],
        "invites": [invite],
    }


def test_export_has_every_answer_with_who_and_when(protocols: ProtocolSet) -> None:
    rows = _rows()
    patient = rows.pop("patient")
    assert isinstance(patient, Patient)
    protocol = protocols.for_procedure(Procedure.KYPHOPLASTY)
    doc = build_patient_export(patient, protocol=protocol, exported_at=T0, **rows)  # type: ignore[arg-type]
    assert json.loads(json.dumps(doc)) == doc  # JSON-ready as it is
    assert doc["format"] == EXPORT_FORMAT
    assert doc["patient"]["ref"] == "P-0001"
    assert doc["patient"]["surgery_date"] == "2026-02-20"
    (checkin,) = doc["checkins"]
    assert checkin["outcome_level"] == "urgent"
    answers = [
        (a["question_key"], a["value"], a["answered_by"], a["current"]) for a in checkin["answers"]
    ]
    assert answers == [
        ("pain", "5", {"role": "patient"}, False),
        ("pain", "4", {"role": "caregiver", "name": "Sam"}, True),
        ("fever", "yes", {"role": "someone else"}, True),
    ]
    assert checkin["answers"][0]["superseded_at"] == "2026-03-01T09:02:00+00:00"
    assert checkin["answers"][0]["question"].startswith("How bad is your back")
    assert doc["alerts"][0]["checkin_local_date"] == "2026-03-01"
    assert doc["caregivers"] == [
        {
            "kind": "user",
            "display_name": "Sam",
            "language": None,
            "may_answer": True,
            "receives_summary": False,
            "created_at": T0.isoformat(),
            "revoked_at": None,
        }
    ]
    assert doc["invitations"][0]["used_at"] == T0.isoformat()


def test_export_leaves_out_other_peoples_ids_and_token_hashes() -> None:
    rows = _rows()
    patient = rows.pop("patient")
    assert isinstance(patient, Patient)
    text = json.dumps(build_patient_export(patient, protocol=None, exported_at=T0, **rows))  # type: ignore[arg-type]
    assert "601" not in text  # the caregiver's Telegram id
    assert "777" not in text
    assert "900" not in text  # the operator who acknowledged
    assert "f" * 64 not in text
    assert "token" not in text
