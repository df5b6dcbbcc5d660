"""The words of a pain course chart (:mod:`views.care_team.course_svg`): its labels in the
reader's language and the sentence that says in words what the chart shows (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from views.i18n import N_, Translator
from views.pain_chart import DayPoint

__all__ = ["SvgLabels", "course_summary", "svg_labels"]


@dataclass(frozen=True)
class SvgLabels:
    """The chart's words, in the reader's language (``{...}`` fields are filled in)."""

    title: str = N_("Pain by day since the operation")
    day_axis: str = N_("Days since the operation")
    pain_axis: str = N_("Pain (0-10)")
    score: str = N_("pain score")
    usual: str = N_("usual range")
    today: str = N_("today")
    missed: str = N_("missed")
    alert: str = N_("warning sign")
    point: str = N_("Day {day}: pain {score}")
    missed_point: str = N_("Day {day}: missed")
    alert_point: str = N_("Day {day}: warning sign reported")
    no_checkins: str = N_("No check-ins yet")
    span: str = N_("{count} check-ins from day {first} to day {last}")
    span_one: str = N_("1 check-in on day {first}")
    latest: str = N_("latest pain {score} on day {day}")
    no_score: str = N_("no pain score yet")
    missed_count: str = N_("{count} missed")
    alert_count: str = N_("{count} with a warning sign")
    today_is: str = N_("today is day {day}")


def svg_labels(tr: Translator) -> SvgLabels:
    """The chart's words in the reader's language (their ``{...}`` fields kept for filling)."""
    return tr.words(SvgLabels())


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
