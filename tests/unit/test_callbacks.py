"""Callback data codecs: round trips, size and tamper checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from views.callbacks import (
    AckCb,
    AlertOutcome,
    AnswerCb,
    CallbackDataError,
    CareAction,
    CareCb,
    EnrollCb,
    FollowupCb,
    FollowupChoice,
    OutcomeCb,
    PageCb,
    PageView,
    unpack_any,
)

ids = st.integers(min_value=0, max_value=2**31 - 1)  # the id columns are int32


@given(checkin=ids, question=st.integers(0, 50), option=st.integers(0, 20))
def test_answer_round_trips(checkin: int, question: int, option: int) -> None:
    data = AnswerCb(checkin, question, option)
    packed = data.pack()
    assert len(packed.encode()) <= 64
    assert AnswerCb.unpack(packed) == data
    assert unpack_any(packed) == data


def test_pack_rejects_separator_and_empty_values() -> None:
    with pytest.raises(ValueError, match="':'"):
        EnrollCb("tz", "a:b").pack()
    with pytest.raises(ValueError, match="empty"):
        EnrollCb("tz", "").pack()


def test_pack_rejects_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        PageCb("patients", 1, "x" * 60).pack()


@pytest.mark.parametrize(
    "forged",
    ["", "a", "a:1:2", "a:1:2:3:4", "a:x:2:3", "ak:1", "zz:1", "a:1:2:3 ", "ak:1.5"],
)
def test_forged_data_does_not_decode_as_an_answer(forged: str) -> None:
    with pytest.raises(CallbackDataError):
        AnswerCb.unpack(forged)
    assert not AnswerCb.matches(forged)


@pytest.mark.parametrize(
    "forged",
    [
        "ak:²",
        "ak:١٢",
        "ak:--1",
        "ak:-",
        "ak:+1",
        "ak:2147483648",
        "ak:-2147483649",
        "ak:1" + "0" * 30,
    ],
)
def test_non_ascii_digits_and_out_of_range_ids_are_refused(forged: str) -> None:
    with pytest.raises(CallbackDataError):
        unpack_any(forged)
    assert not AckCb.matches(forged)


def test_ids_at_the_int32_edges_still_decode() -> None:
    assert AckCb.unpack("ak:2147483647") == AckCb(2**31 - 1)
    assert AckCb.unpack("ak:-1") == AckCb(-1)


def test_families_are_told_apart() -> None:
    assert AckCb.matches(AckCb(7).pack())
    assert not AnswerCb.matches(AckCb(7).pack())
    assert not AckCb.matches(None)


@pytest.mark.parametrize(
    "data", ["cg:zap:1", "fu:7:maybe", "cf:delete:perhaps", "cf:wipe:yes", "pg:zz:0:-"]
)
def test_an_unknown_action_does_not_decode(data: str) -> None:
    with pytest.raises(CallbackDataError):
        unpack_any(data)


def test_actions_decode_to_their_named_constants() -> None:
    assert CareCb.unpack("cg:rm:4") == CareCb(CareAction.REMOVE, 4)
    assert FollowupCb.unpack("fu:7:need").choice is FollowupChoice.NEED
    assert PageCb.unpack("pg:pd:0:P-0001").view is PageView.PATIENT


@given(alert=ids, outcome=st.sampled_from(list(AlertOutcome)))
def test_outcome_buttons_round_trip_within_64_bytes(alert: int, outcome: AlertOutcome) -> None:
    packed = OutcomeCb(alert, outcome).pack()
    assert len(packed.encode()) <= 64
    assert unpack_any(packed) == OutcomeCb(alert, outcome)


def test_an_unknown_outcome_does_not_decode() -> None:
    with pytest.raises(CallbackDataError):
        OutcomeCb.unpack("oc:3:cured")
