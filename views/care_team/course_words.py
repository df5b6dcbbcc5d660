"""The words of a pain course chart (:mod:`views.care_team.course_svg`): its labels in the
reader's language and the sentence that says in words what the chart shows (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from views.pain_chart import DayPoint

__all__ = ["SvgLabels", "course_summary"]


@dataclass(frozen=True)
class SvgLabels:
    """The chart's words, in the reader's language (``{...}`` fields are filled in)."""

    title: str = "Pain by day since the operation"
    day_axis: str = "Days since the operation"
    pain_axis: str = "Pain (0-10)"
    score: str = "pain score"
    usual: str = "usual range"
    today: str = "today"
    missed: str = "missed"
    alert: str = "warning sign"
    point: str = "Day {day}: pain {score}"
    missed_point: str = "Day {day}: missed"
    alert_point: str = "Day {day}: warning sign reported"
    no_checkins: str = "No check-ins yet"
    span: str = "{count} check-ins from day {first} to day {last}"
    span_one: str = "1 check-in on day {first}"
    latest: str = "latest pain {score} on day {day}"
    no_score: str = "no pain score yet"
    missed_count: str = "{count} missed"
    alert_count: str = "{count} with a warning sign"
    today_is: str = "today is day {day}"


def course_summary(points: Sequence[DayPoint], *, today: int, labels: SvgLabels) -> str:
    """The chart in one sentence, e.g. "12 check-ins from day 0 to day 14; latest pain 4 on
    day 14; 1 missed; 2 with a warning sign; today is day 14." (unescaped)."""
    parts: list[str] = []
    if not points:
        parts.append(labels.no_checkins)
    else:
        days = sorted(p.day for p in points)
        if len(days) == 1:
            parts.append(labels.span_one.format(first=days[0]))
        else:
            parts.append(labels.span.format(count=len(days), first=days[0], last=days[-1]))
        scored = [p for p in points if p.score is not None]
        if scored:
            latest = max(scored, key=lambda p: p.day)
            parts.append(labels.latest.format(score=latest.score, day=latest.day))
        else:
            parts.append(labels.no_score)
        parts.append(labels.missed_count.format(count=sum(p.missed for p in points)))
        parts.append(labels.alert_count.format(count=sum(p.alert for p in points)))
    parts.append(labels.today_is.format(day=today))
    return "; ".join(parts) + "."
