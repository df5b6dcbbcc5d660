"""Surgery dates and check-in times typed in Spanish, Russian and Arabic, by today's rules."""

from __future__ import annotations

from datetime import date, time

import pytest

from views.enrollment.parsing import ParseProblem, Problem, parse_date, parse_time

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "3 de marzo", date(2026, 3, 3)),
        ("es", "el 3 de marzo de 2026", date(2026, 3, 3)),
        ("es", "ayer", date(2026, 12, 1)),
        ("es", "hace 3 días", date(2026, 11, 29)),
        ("es", "20 de diciembre", date(2026, 12, 20)),  # ahead, within 4 weeks
        ("ru", "вчера", date(2026, 12, 1)),
        ("ru", "12 марта", date(2026, 3, 12)),
        ("ru", "1 сентября 2026 г", date(2026, 9, 1)),
        ("ru", "3 дня назад", date(2026, 11, 29)),
        ("ar", "٣ مارس", date(2026, 3, 3)),  # Arabic-Indic digits, Egyptian month name
        ("ar", "3 آذار", date(2026, 3, 3)),  # Levantine month name
        ("ar", "أمس", date(2026, 12, 1)),
        ("ar", "٢٠٢٦-١١-٣٠", date(2026, 11, 30)),
    ],
)
def test_a_date_in_the_patients_language_is_read(language: str, text: str, expected: date) -> None:
    assert parse_date(text, TODAY, language) == expected


@pytest.mark.parametrize(("language", "text"), [("es", "03/04"), ("ru", "03/04"), ("ar", "٠٣/٠٤")])
def test_an_ambiguous_slash_date_is_asked_in_every_language(language: str, text: str) -> None:
    result = parse_date(text, TODAY, language)
    assert isinstance(result, ParseProblem)
    assert result.problem is Problem.AMBIGUOUS
    assert result.candidates == (date(2026, 3, 4), date(2026, 4, 3))


@pytest.mark.parametrize(
    ("language", "text", "problem"),
    [
        ("ru", "12 марта 2020", Problem.TOO_LONG_AGO),
        ("es", "3 de marzo de 2027", Problem.TOO_FAR_AHEAD),
        ("es", "hola", Problem.UNREADABLE),
        ("es", "8", Problem.UNREADABLE),  # a bare number is not a date
    ],
)
def test_the_range_checks_stay(language: str, text: str, problem: Problem) -> None:
    assert parse_date(text, TODAY, language) == ParseProblem(problem)


def test_words_of_another_language_are_not_read() -> None:
    assert parse_date("12 марта", TODAY, "es") == ParseProblem(Problem.UNREADABLE)
    assert parse_date("12 марта", TODAY) == ParseProblem(Problem.UNREADABLE)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "8:30", time(8, 30)),
        ("ru", "8 утра", time(8)),
        ("ru", "8 вечера", time(20)),
        ("ru", "20 ч", time(20)),
        ("es", "8 de la tarde", time(20)),
        ("es", "8:30 de la mañana", time(8, 30)),
        ("es", "20h", time(20)),
        ("ar", "٨ مساءً", time(20)),
        ("ar", "٨:٣٠", time(8, 30)),
        ("ar", "9 صباحا", time(9)),
    ],
)
def test_a_time_in_the_patients_language_is_read(language: str, text: str, expected: time) -> None:
    assert parse_time(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"), [("ru", "13 вечера"), ("ru", "10 ночи"), ("es", "8 de la cosa")]
)
def test_a_time_that_does_not_fit_is_refused(language: str, text: str) -> None:
    assert parse_time(text, language) is None
