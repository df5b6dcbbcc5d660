"""The programme figures as CSV: header, rows per procedure and week, order, counts only."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime

import pytest

from recovery import Level, Procedure
from views.care_team.programme import (
    CSV_HEADER,
    ProcedureFigures,
    ProgrammeFigures,
    WeekCompletion,
    programme_csv,
)

AS_OF = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def figures() -> ProgrammeFigures:
    kypho = ProcedureFigures(
        Procedure.KYPHOPLASTY,
        weeks=(  # given out of order: the CSV sorts
            WeekCompletion(week=1, sent=10, completed=6, missed=2, open_past=0),
            WeekCompletion(week=0, sent=20, completed=15, missed=3, open_past=1),
        ),
        attention=3,
        urgent=2,
        emergency=1,
        acknowledged=5,
        ack_median_minutes=12.25,
        ack_p90_minutes=41.0,
        outcomes=(("called", 3), ("urgent", 1), ("visit", 0), ("none", 1), ("unreached", 0)),
    )
    fusion = ProcedureFigures(
        Procedure.FUSION,
        weeks=(WeekCompletion(week=0, sent=4, completed=4, missed=0, open_past=0),),
    )
    total = ProcedureFigures(
        None,
        weeks=(
            WeekCompletion(week=0, sent=24, completed=19, missed=3, open_past=1),
            WeekCompletion(week=1, sent=10, completed=6, missed=2, open_past=0),
        ),
        attention=3,
        urgent=2,
        emergency=1,
        acknowledged=5,
        ack_median_minutes=12.25,
        ack_p90_minutes=41.0,
        outcomes=kypho.outcomes,
    )
    empty = ProcedureFigures(Procedure.VERTEBROPLASTY, weeks=())
    return ProgrammeFigures(as_of=AS_OF, procedures=(empty, kypho, fusion), total=total)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_header_names_every_column_once() -> None:
    text = programme_csv(figures())
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == CSV_HEADER
    assert len(set(header)) == len(header)
    assert header[:3] == ["procedure", "week", "first_day"]
    assert {"alerts_urgent", "urgent_per_100_checkins", "ack_p90_minutes", "outcome_called"} <= (
        set(header)
    )


def test_one_row_per_procedure_and_week_then_all_weeks_then_the_total() -> None:
    order = [(r["procedure"], r["week"]) for r in rows(programme_csv(figures()))]
    assert order == [
        ("vertebroplasty", "all"),
        ("kyphoplasty", "0"),
        ("kyphoplasty", "1"),
        ("kyphoplasty", "all"),
        ("fusion", "0"),
        ("fusion", "all"),
        ("all", "0"),
        ("all", "1"),
        ("all", "all"),
    ]


def test_the_figures_in_the_rows() -> None:
    by_key = {(r["procedure"], r["week"]): r for r in rows(programme_csv(figures()))}
    week0 = by_key["kyphoplasty", "0"]
    assert (week0["first_day"], week0["last_day"]) == ("0", "6")
    assert (week0["checkins_due"], week0["checkins_completed"]) == ("19", "15")
    assert week0["completion_pct"] == "78.9"  # 15 / 19
    assert week0["alerts_urgent"] == ""  # alerts are per procedure, on the "all" row
    whole = by_key["kyphoplasty", "all"]
    assert (whole["checkins_sent"], whole["checkins_due"], whole["checkins_missed"]) == (
        "30", "27", "5",
    )  # fmt: skip
    assert whole["completion_pct"] == "77.8"  # 21 / 27
    assert whole["alerts_attention"] == "3"
    assert whole["attention_per_100_checkins"] == "10.00"  # 3 per 30 check-ins
    assert whole["emergency_per_100_checkins"] == "3.33"
    assert (whole["ack_median_minutes"], whole["ack_p90_minutes"]) == ("12.2", "41.0")
    assert (whole["outcome_called"], whole["outcome_none"]) == ("3", "1")
    empty = by_key["vertebroplasty", "all"]
    assert empty["completion_pct"] == empty["urgent_per_100_checkins"] == ""
    assert empty["acknowledged"] == "0"
    assert {r["as_of"] for r in by_key.values()} == {"2026-03-02T09:00:00+00:00"}


def test_stable_same_figures_same_text() -> None:
    assert programme_csv(figures()) == programme_csv(figures())


def test_only_counts_rates_and_minutes_no_patient_data() -> None:
    text = programme_csv(figures())
    for row in rows(text):
        for column, value in row.items():
            if column in ("procedure", "week", "as_of"):
                continue
            if value:
                float(value)  # every other cell is a number (or empty)
    assert "P-" not in text


def test_a_procedure_figures_object_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures().total.urgent = 9  # type: ignore[misc]
    assert figures().total.alerts(Level.OK) == 0
