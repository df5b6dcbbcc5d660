"""Caregiver copy and keyboards, the CareCb codec and invitation codes (pure, no database)."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import Level
from services.caregivers.secrets import CODE_ALPHABET, hash_secret, normalize_code
from views.callbacks import AnswerCb, CallbackDataError, CareAction, CareCb, unpack_any
from views.caregivers import invites as invite_views
from views.caregivers import manage as care_views
from views.caregivers import names as name_views
from views.caregivers import proxy as proxy_views
from views.caregivers import summary as summary_views
from views.i18n import translator
from views.keyboard import Button
from views.message import Message

EN = translator("en")
ACTIONS = [
    CareAction.ACCEPT,
    CareAction.REMOVE,
    CareAction.ANSWER_ON,
    CareAction.ANSWER_OFF,
    CareAction.SUMMARY_ON,
    CareAction.SUMMARY_OFF,
    CareAction.PICK,
]


@given(action=st.sampled_from(ACTIONS), target=st.integers(min_value=0, max_value=2**31 - 1))
def test_care_buttons_round_trip_within_64_bytes(action: str, target: int) -> None:
    packed = CareCb(action, target).pack()
    assert len(packed.encode()) <= 64
    assert CareCb.unpack(packed) == CareCb(action, target)
    assert unpack_any(packed) == CareCb(action, target)


@pytest.mark.parametrize("forged", ["cg", "cg:rm", "cg:rm:x", "cg:rm:1:2", "a:1:2:3"])
def test_forged_care_data_does_not_decode(forged: str) -> None:
    with pytest.raises(CallbackDataError):
        CareCb.unpack(forged)
    assert not CareCb.matches(forged)
    assert not AnswerCb.matches(CareCb(CareAction.REMOVE, 1).pack())


def _data(button: Button) -> CareCb:
    assert button.data is not None
    return CareCb.unpack(button.data)


def test_caregivers_list_has_one_row_of_buttons_per_link() -> None:
    rows = [
        care_views.CaregiverRow(
            1, "Bob", group=False, may_answer=False, receives_summary=False, unreachable=False
        ),
        care_views.CaregiverRow(
            2, "Cleo", group=False, may_answer=True, receives_summary=False, unreachable=True
        ),
        care_views.CaregiverRow(
            3, "Family", group=True, may_answer=False, receives_summary=True, unreachable=False
        ),
    ]
    message = care_views.caregivers_message(rows, EN)
    labels = [[b.label for b in row] for row in message.keyboard]
    assert labels == [
        ["Remove Bob", "Allow answering"],
        ["Remove Cleo", "Stop answering"],
        ["Remove Family", "Stop daily summary"],
    ]
    actions = [[(_data(b).action, _data(b).target) for b in row] for row in message.keyboard]
    assert actions == [
        [(CareAction.REMOVE, 1), (CareAction.ANSWER_ON, 1)],
        [(CareAction.REMOVE, 2), (CareAction.ANSWER_OFF, 2)],
        [(CareAction.REMOVE, 3), (CareAction.SUMMARY_OFF, 3)],
    ]
    assert "• Bob: alerts, missed check-ins; cannot answer check-ins" in message.text
    assert "Cleo: alerts, missed check-ins; may answer check-ins (unreachable" in message.text
    assert "• Family (group): alerts, missed check-ins, daily summary" in message.text


def test_empty_caregivers_list_points_to_invite() -> None:
    message = care_views.caregivers_message([], EN)
    assert message.keyboard == ()
    assert "/invite" in message.text


def test_long_names_are_shortened_in_buttons() -> None:
    row = care_views.CaregiverRow(
        1, "B" * 60, group=False, may_answer=False, receives_summary=False, unreachable=False
    )
    [[remove, _]] = care_views.caregivers_message([row], EN).keyboard
    assert len(remove.label) <= name_views.BUTTON_CHARS
    assert remove.label.endswith("…")


def test_invite_message_offers_link_join_and_group_code() -> None:
    message = invite_views.invite_message(
        link="https://t.me/bot?start=abc", code="ABCD-EFGH", valid_until="Wed 4 Mar 09:00", tr=EN
    )
    assert "https://t.me/bot?start=abc" in message.text
    assert "/join ABCD-EFGH" in message.text
    assert "/linkgroup ABCD-EFGH" in message.text
    assert "Wed 4 Mar 09:00" in message.text
    assert "only if you allow it" in message.text


@pytest.mark.parametrize(("name", "opening"), [("Ann", "Ann invites you"), (None, "A patient")])
def test_preview_names_the_patient_or_says_a_patient(name: str | None, opening: str) -> None:
    message = invite_views.invite_preview(name, 17, EN)
    assert message.text.startswith(opening)
    assert "urgent and emergency alerts" in message.text
    assert "missed" in message.text
    [[accept]] = message.keyboard
    assert (accept.label, _data(accept)) == ("Accept", CareCb(CareAction.ACCEPT, 17))


def test_answering_for_keeps_the_question_buttons() -> None:
    question = Message("Q?", ((Button("Yes", data=AnswerCb(1, 0, 0).pack()),),))
    message = proxy_views.answering_for("Ann", question, EN)
    assert message.text == "Answering for Ann:\nQ?"
    assert message.keyboard == question.keyboard


def test_pick_patient_lists_each_choice() -> None:
    message = proxy_views.pick_patient([(4, "Ann"), (9, "Patient 2")], EN)
    assert [_data(row[0]) for row in message.keyboard] == [
        CareCb(CareAction.PICK, 4),
        CareCb(CareAction.PICK, 9),
    ]


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        (
            {"completed": True, "pain": 3, "level": Level.OK},
            "📋 Ann, day 5 of recovery: check-in done, pain 3/10, nothing of concern reported.",
        ),
        (
            {"completed": True, "pain": 8, "level": Level.URGENT},
            "📋 Ann, day 5 of recovery: check-in done, pain 8/10, they reported something "
            "urgent and were told to call their doctor.",
        ),
        (
            {"completed": False, "pain": None, "level": None},
            "📋 Ann, day 5 of recovery: check-in missed.",
        ),
    ],
)
def test_daily_summary_is_one_line(kwargs: dict[str, object], text: str) -> None:
    assert summary_views.daily_summary("Ann", day=5, tr=EN, **kwargs).text == text  # type: ignore[arg-type]


@pytest.mark.parametrize("level", list(Level))
def test_every_level_has_words(level: Level) -> None:
    text = summary_views.daily_summary(
        None, day=1, completed=True, pain=None, level=level, tr=EN
    ).text
    assert text.startswith("📋 The patient, day 1")
    assert "\n" not in text


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abcd-efgh", "ABCDEFGH"), (" ABCD EFGH ", "ABCDEFGH"), ("AbCdEfGh", "ABCDEFGH")],
)
def test_typed_codes_are_normalised(typed: str, code: str) -> None:
    assert normalize_code(typed) == code


def test_code_alphabet_has_no_look_alikes() -> None:
    assert not set("01OI") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 32


def test_secrets_are_stored_as_sha256() -> None:
    assert hash_secret("abc") == hashlib.sha256(b"abc").hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", hash_secret("x"))
