"""What a patient's risk summary says, from that patient's own recent rows (pure).

The facts the operators' lists sort and show, as :mod:`services.risk_summary` stores them:
open alerts (the worst level and the oldest alert of that level), the pain scores of the
last two weeks (the last 5, and whether they rise: :func:`views.care_team.common.pain_rising`),
missed check-ins in the last 7 days and in a row up to the latest (a check-in still open
neither counts nor breaks the streak). "Today" is the UTC date of the refresh; the windows
are counted in check-ins' local dates, as the lists always have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from models import CheckInStatus
from recovery import Level
from views.care_team.common import pain_rising

__all__ = [
    "MISSED_WINDOW",
    "PAIN_KEY",
    "PAIN_SCORES",
    "PAIN_WINDOW",
    "Day",
    "Facts",
    "summary_facts",
]

PAIN_KEY = "pain"
PAIN_SCORES = 5  # the last scores shown and judged for a rise
PAIN_WINDOW = timedelta(days=14)  # check-ins of the last 14 days (local dates) give the scores
MISSED_WINDOW = timedelta(days=7)  # ... and of the last 7 days the missed counts
_OPEN = (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Day:
    """One check-in in the pain window and its current pain score(s)."""

    checkin_id: int
    local_date: date
    status: CheckInStatus
    sent_at: datetime
    scores: tuple[int, ...] = ()

    def with_score(self, score: int) -> Day:
        """The same check-in with one more score."""
        return replace(self, scores=(*self.scores, score))


@dataclass(frozen=True)
class Facts:
    """A patient's summary facts (besides status, name and reach, read from the patient).

    ``refresh_on`` is the first date on which a fact leaves its window (None: none will).
    """

    open_alerts: tuple[tuple[Level, datetime], ...]
    worst_level: Level | None
    oldest_alert_at: datetime | None
    pain_scores: tuple[int, ...]
    pain_worsening: bool
    missed_streak: int
    missed_since: datetime | None
    missed_7d: int
    refresh_on: date | None


def summary_facts(
    alerts: Sequence[tuple[Level, datetime]], days: Sequence[Day], today: date
) -> Facts:
    """The facts of one patient.

    Args:
        alerts: the open alerts, as (level, raised at).
        days: the check-ins with a local date in the pain window, oldest first.
        today: the date the windows are counted back from.

    Returns:
        The facts, with the date the next one leaves its window.
    """
    worst = Level.max(*(level for level, _ in alerts)) if alerts else None
    oldest = min((at for level, at in alerts if level is worst), default=None)
    window = [d for d in days if d.local_date >= today - PAIN_WINDOW]
    scored = [(d.local_date, score) for d in window for score in d.scores][-PAIN_SCORES:]
    scores = tuple(score for _, score in scored)
    recent = [d for d in window if d.local_date >= today - MISSED_WINDOW]
    missed = [d for d in recent if d.status == CheckInStatus.MISSED]
    streak, since = _streak(recent)
    leaving = []
    if missed:  # the oldest missed check-in leaves the 7 days first
        leaving.append(missed[0].local_date + MISSED_WINDOW + timedelta(days=1))
    if scored:  # the oldest score shown leaves the 14 days first
        leaving.append(scored[0][0] + PAIN_WINDOW + timedelta(days=1))
    return Facts(
        open_alerts=tuple(alerts),
        worst_level=worst,
        oldest_alert_at=oldest,
        pain_scores=scores,
        pain_worsening=pain_rising(scores),
        missed_streak=streak,
        missed_since=since,
        missed_7d=len(missed),
        refresh_on=min(leaving, default=None),
    )


def _streak(days: Sequence[Day]) -> tuple[int, datetime | None]:
    """Missed check-ins in a row up to the latest, and when the first of them was sent."""
    count, since = 0, None
    for day in sorted(days, key=lambda d: d.local_date, reverse=True):
        if day.status in _OPEN:
            continue
        if day.status != CheckInStatus.MISSED:
            break
        count, since = count + 1, day.sent_at
    return count, since
