"""The programme's figures (per procedure, no patient in sight) and their CSV (pure).

:func:`services.care_team.programme_figures` fills these from SQL aggregates; the console
shows them and offers :func:`programme_csv` for download. Every figure is a count, a rate or
a duration over many patients: nothing here names, numbers or dates a patient.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from recovery import Level, Procedure
from views.callbacks import AlertOutcome

__all__ = [
    "ALERT_LEVELS",
    "CSV_HEADER",
    "ProcedureFigures",
    "ProgrammeFigures",
    "WeekCompletion",
    "programme_csv",
]

ALERT_LEVELS = (Level.ATTENTION, Level.URGENT, Level.EMERGENCY)
ALL = "all"  # the procedure or week column of a total


@dataclass(frozen=True)
class WeekCompletion:
    """Check-ins of one post-operative week (days ``7 * week`` to ``7 * week + 6``).

    ``sent`` counts every check-in; ``open_past`` those still sent or in progress after
    their local day (in the patient's time zone) ended; today's open ones are not due yet.
    """

    week: int
    sent: int
    completed: int
    missed: int
    open_past: int

    @property
    def first_day(self) -> int:
        """The week's first post-operative day."""
        return 7 * self.week

    @property
    def last_day(self) -> int:
        """The week's last post-operative day."""
        return 7 * self.week + 6

    @property
    def due(self) -> int:
        """Check-ins that should have been done: completed + missed + open past their day."""
        return self.completed + self.missed + self.open_past

    @property
    def completion(self) -> float | None:
        """Completed / due (None when none was due)."""
        return self.completed / self.due if self.due else None


@dataclass(frozen=True)
class ProcedureFigures:
    """One procedure's figures (``procedure`` None: all procedures together).

    Alerts count every alert of the procedure's patients by its level now (an alert raised
    again at a higher level counts once, at that level); rates are per 100 check-ins sent.
    Times to acknowledge are minutes from the alert to its acknowledgement, over the
    acknowledged alerts (percentiles interpolated, like SQL ``percentile_cont``).
    """

    procedure: Procedure | None
    weeks: tuple[WeekCompletion, ...]
    attention: int = 0
    urgent: int = 0
    emergency: int = 0
    acknowledged: int = 0
    ack_median_minutes: float | None = None
    ack_p90_minutes: float | None = None
    outcomes: tuple[tuple[str, int], ...] = ()  # AlertOutcome values in order, then others

    @property
    def sent(self) -> int:
        """Check-ins sent, every week."""
        return sum(w.sent for w in self.weeks)

    @property
    def due(self) -> int:
        """Check-ins due, every week."""
        return sum(w.due for w in self.weeks)

    @property
    def completed(self) -> int:
        """Check-ins completed, every week."""
        return sum(w.completed for w in self.weeks)

    @property
    def completion(self) -> float | None:
        """Completed / due over every week (None when none was due)."""
        return self.completed / self.due if self.due else None

    def alerts(self, level: Level) -> int:
        """Alerts at ``level`` (attention, urgent or emergency)."""
        counts = {Level.ATTENTION: self.attention, Level.URGENT: self.urgent}
        counts[Level.EMERGENCY] = self.emergency
        return counts.get(level, 0)

    def alerts_per_100(self, level: Level) -> float | None:
        """Alerts at ``level`` per 100 check-ins sent (None before any check-in)."""
        return 100 * self.alerts(level) / self.sent if self.sent else None

    def outcome(self, value: str) -> int:
        """How many alerts have the outcome ``value`` recorded."""
        return dict(self.outcomes).get(value, 0)


@dataclass(frozen=True)
class ProgrammeFigures:
    """Every procedure (in :class:`Procedure` order, even without patients) and the total.

    ``as_of`` is when the figures were read (they may come from a short cache).
    """

    as_of: datetime
    procedures: tuple[ProcedureFigures, ...]
    total: ProcedureFigures


CSV_HEADER = (
    "procedure",
    "week",
    "first_day",
    "last_day",
    "checkins_sent",
    "checkins_due",
    "checkins_completed",
    "checkins_missed",
    "checkins_open_past_day",
    "completion_pct",
    *(f"alerts_{level}" for level in ALERT_LEVELS),
    *(f"{level}_per_100_checkins" for level in ALERT_LEVELS),
    "acknowledged",
    "ack_median_minutes",
    "ack_p90_minutes",
    *(f"outcome_{outcome.value}" for outcome in AlertOutcome),
    "as_of",
)


def programme_csv(figures: ProgrammeFigures) -> str:
    """The figures as CSV: for each procedure (then the total), one row per post-operative
    week (completion only) and a row for all weeks (with alerts, acknowledgement times and
    outcomes). Fixed column and row order; counts only, no patient data.

    Args:
        figures: from :func:`services.care_team.programme_figures`.

    Returns:
        CSV text with a header line (``\\r\\n`` line ends, as the csv module writes).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    as_of = figures.as_of.isoformat(timespec="seconds")
    for group in (*figures.procedures, figures.total):
        name = group.procedure.value if group.procedure else ALL
        for week in sorted(group.weeks, key=lambda w: w.week):
            writer.writerow(
                [name, week.week, week.first_day, week.last_day, week.sent, week.due]
                + [week.completed, week.missed, week.open_past, _pct(week.completion)]
                + [""] * (len(CSV_HEADER) - 11)
                + [as_of]
            )
        writer.writerow(
            [name, ALL, "", "", group.sent, group.due, group.completed]
            + [sum(w.missed for w in group.weeks), sum(w.open_past for w in group.weeks)]
            + [_pct(group.completion)]
            + [group.alerts(level) for level in ALERT_LEVELS]
            + [_num(group.alerts_per_100(level), 2) for level in ALERT_LEVELS]
            + [group.acknowledged, _num(group.ack_median_minutes, 1)]
            + [_num(group.ack_p90_minutes, 1)]
            + [group.outcome(outcome.value) for outcome in AlertOutcome]
            + [as_of]
        )
    return buffer.getvalue()


def _pct(fraction: float | None) -> str:
    return "" if fraction is None else f"{100 * fraction:.1f}"


def _num(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"
