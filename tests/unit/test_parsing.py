"""The enrollment parsers: table-driven cases and properties (they never raise)."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import Procedure
from views.enrollment.parsing import (
    MAX_NAME,
    ParseProblem,
    Problem,
    parse_date,
    parse_name,
    parse_procedure,
    parse_time,
    parse_zone,
)

TODAY = date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("1 March 2026", date(2026, 3, 1)),
        ("1st of March 2026", date(2026, 3, 1)),
        ("  1   MARCH   2026 ", date(2026, 3, 1)),
        ("March 1", date(2026, 3, 1)),
        ("March 1, 2026", date(2026, 3, 1)),
        ("Mar. 1st", date(2026, 3, 1)),
        ("1 Mar", date(2026, 3, 1)),
        ("28 sept", date(2025, 9, 28)),
        ("1.3.2026", date(2026, 3, 1)),
        ("1.3.26", date(2026, 3, 1)),
        ("1.3", date(2026, 3, 1)),
        ("28/02/2026", date(2026, 2, 28)),  # month-first impossible
        ("02/28/2026", date(2026, 2, 28)),  # day-first impossible
        ("03/03/2026", date(2026, 3, 3)),  # both readings agree
        ("20/2", date(2026, 2, 20)),
        ("02/05/2026", date(2026, 2, 5)),  # 2 May is over 4 weeks ahead: only 5 Feb fits
        ("today", TODAY),
        ("Yesterday", date(2026, 3, 1)),
        ("3 days ago", date(2026, 2, 27)),
        ("25 March", date(2026, 3, 25)),  # planned, within 4 weeks
        ("30 March", date(2026, 3, 30)),  # exactly 28 days ahead
        ("2 March 2025", date(2025, 3, 2)),  # exactly a year ago
        ("1 April", date(2025, 4, 1)),  # without a year: the latest date not too far ahead
    ],
)
def test_dates_in_common_formats(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("01/03/2026", Problem.AMBIGUOUS),
        ("2/1/2026", Problem.AMBIGUOUS),
        ("31 March 2026", Problem.TOO_FAR_AHEAD),
        ("2026-05-01", Problem.TOO_FAR_AHEAD),
        ("1 March 2025", Problem.TOO_LONG_AGO),
        ("2024-03-01", Problem.TOO_LONG_AGO),
        ("400 days ago", Problem.TOO_LONG_AGO),
        ("31 February 2026", Problem.NO_SUCH_DATE),
        ("2026-13-01", Problem.NO_SUCH_DATE),
        ("13/13/2026", Problem.NO_SUCH_DATE),
        ("0000-01-01", Problem.NO_SUCH_DATE),
        ("last week", Problem.UNREADABLE),
        ("", Problem.UNREADABLE),
        ("1 Smarch 2026", Problem.UNREADABLE),
        ("March", Problem.UNREADABLE),
        ("١/٣/٢٠٢٦", Problem.UNREADABLE),  # non-ASCII digits are not guessed at
    ],
)
def test_dates_that_are_reasked(text: str, problem: Problem) -> None:
    result = parse_date(text, TODAY)
    assert isinstance(result, ParseProblem)
    assert result.problem is problem


def test_an_ambiguous_date_names_both_readings() -> None:
    assert parse_date("01/03/2026", TODAY) == ParseProblem(
        Problem.AMBIGUOUS, (date(2026, 1, 3), date(2026, 3, 1))
    )


def test_a_leap_day_without_a_year_takes_the_last_leap_year() -> None:
    assert parse_date("29 Feb", date(2029, 3, 1)) == ParseProblem(Problem.TOO_LONG_AGO)
    assert parse_date("29 Feb", date(2028, 3, 1)) == date(2028, 2, 29)


def test_a_year_end_date_without_a_year_is_next_january_when_close() -> None:
    assert parse_date("2 Jan", date(2026, 12, 30)) == date(2027, 1, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", time(18, 0)),
        ("9:30", time(9, 30)),
        ("09:05", time(9, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("6:30 pm", time(18, 30)),
        ("6.30pm", time(18, 30)),
        ("12 am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("7 p.m.", time(19, 0)),
        ("18.30", time(18, 30)),
        ("18h30", time(18, 30)),
        ("9", time(9, 0)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "25:00", "9:60", "13pm", "0am", "half past nine", "", "9:5", "noonish"]
)
def test_times_that_are_reasked(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("  paris ", "Europe/Paris"),
        ("los angeles", "America/Los_Angeles"),
        ("utc", "UTC"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Singapore", "Asia/Singapore"),
    ],
)
def test_zones(text: str, expected: str) -> None:
    assert parse_zone(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Europe/", "../etc/passwd", "New"])
def test_unknown_zones(text: str) -> None:
    assert parse_zone(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna", "Anna"),
        ("  Anna   K. \n", "Anna K."),
        ("x" * MAX_NAME, "x" * MAX_NAME),
        ("Zoë\tMüller", "Zoë Müller"),
        ("Zoe\u0308", "Zoë"),  # NFC: one character, as the care team would type it
        ("An\u200bna\u202e", "Anna"),  # zero-width space and a right-to-left override
        ("\u2067Anna\u2069 K.", "Anna K."),  # a bidi isolate around the name
    ],
)
def test_names(text: str, expected: str) -> None:
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", Problem.EMPTY),
        ("   \n", Problem.EMPTY),
        ("/settings", Problem.EMPTY),
        ("\u200b\u200b", Problem.EMPTY),  # two zero-width spaces
        ("\u200d\u2066\ufeff \u0007", Problem.EMPTY),
        ("x" * (MAX_NAME + 1), Problem.TOO_LONG),
    ],
)
def test_names_that_are_reasked(text: str, problem: Problem) -> None:
    assert parse_name(text) == ParseProblem(problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyphoplasty", Procedure.KYPHOPLASTY),
        ("vertebroplasty ", Procedure.VERTEBROPLASTY),
        ("Spinal fusion", Procedure.FUSION),
        ("fusion", Procedure.FUSION),
        ("surgery", None),
    ],
)
def test_procedures(text: str, expected: Procedure | None) -> None:
    assert parse_procedure(text) == expected


@given(st.text(max_size=60), st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)))
def test_parse_date_never_raises(text: str, today: date) -> None:
    result = parse_date(text, today)
    assert isinstance(result, date | ParseProblem)


@given(st.from_regex(r"[0-9]{1,4}[ ./-][0-9]{1,2}[ ./-][0-9]{1,4}", fullmatch=True))
def test_numeric_dates_never_raise_and_stay_in_range(text: str) -> None:
    result = parse_date(text, TODAY)
    if isinstance(result, date):
        assert date(2025, 3, 2) <= result <= date(2026, 3, 30)


@given(st.text(max_size=40))
def test_other_parsers_never_raise(text: str) -> None:
    assert parse_time(text) is None or isinstance(parse_time(text), time)
    zone = parse_zone(text)
    assert zone is None or isinstance(zone, str)
    assert isinstance(parse_name(text), str | ParseProblem)
    parse_procedure(text)


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_24_hour_time_reads_back(hour: int, minute: int) -> None:
    assert parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)


def test_every_enrollment_prompt_names_only_buttons_it_shows() -> None:
    import re

    from views.enrollment.questions import NAME, ask
    from views.i18n import translator

    for editing in (False, True):
        message = ask(NAME, default_zone="UTC", tr=translator("en"), editing=editing)
        labels = {b.label for row in message.keyboard for b in row}
        for named in re.findall(r'press "?([A-Z][a-z]+(?: [a-z]+)?)"?', message.text):
            assert named in labels, (editing, named, labels)
