"""A patient's pain course as server-rendered SVG for the care team's console (pure).

The same picture as :mod:`views.pain_chart` draws for Telegram (scores by post-operative day
over the protocol's usual range), as markup a page can inline: it scales with its ``viewBox``,
names itself to screen readers (``role="img"``, a ``<title>`` and a ``<desc>`` that says in
words what the chart shows), and never relies on colour alone: missed days carry an "×" at the
bottom, days with a warning sign a downward triangle, today a dashed line with its label, and
a legend names each. No script and no ``style=`` attribute (the console's Content Security
Policy forbids inline style): colours are presentation attributes, ``class=`` names let a
stylesheet override them. Every text is XML-escaped. Deterministic: the same input gives the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from views.care_team.course_words import SvgLabels, course_summary
from views.pain_chart import DayPoint, PainBand

__all__ = ["SvgLabels", "course_summary", "course_svg"]

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 48, 52  # margins around the plot area
MIN_DAYS = 7  # a short course still spans a week (unless the protocol is shorter)
SCORE, BAND, MISSED, ALERT, TODAY, GRID, INK = (
    "#1f4e9c", "#cfe3cf", "#5f5f5f", "#c0392b", "#444444", "#e3e3e3", "#222222",
)  # fmt: skip
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def course_svg(
    points: Sequence[DayPoint],
    band: Sequence[PainBand],
    *,
    today: int,
    window: int,
    labels: SvgLabels = SvgLabels(),  # noqa: B008  (frozen: a shared default is safe)
    chart_id: str = "course",
) -> str:
    """Render the course as an SVG element (no XML declaration: ready to inline in HTML).

    The day axis runs from 0 to the later of today and the last check-in, cut at the
    protocol's window (a finished patient's chart does not stretch to today), and spans at
    least a week; a check-in after the window is still shown. When today lies beyond the
    axis, its label sits at the right edge with an arrow.

    Args:
        points: check-in days, any order.
        band: the protocol's usual range per day (may be empty); drawn inside the axis only.
        today: today's post-operative day.
        window: the protocol's last check-in day.
        labels: the words to use; English by default.
        chart_id: prefix of the element ids (``aria-labelledby``); unique within the page.

    Returns:
        The ``<svg>`` markup.

    Raises:
        ValueError: ``chart_id`` is not a plain id (a letter, then letters, digits, - or _).
    """
    if not _ID.fullmatch(chart_id):
        raise ValueError("chart_id must be a letter followed by letters, digits, - or _")
    first = min([0, *(p.day for p in points)])
    latest = max([today, *(p.day for p in points)])
    last = max([min(latest, window), min(first + MIN_DAYS, max(window, first + 1))])
    last = max([last, *(p.day for p in points)])
    axis = _Axis(first, last)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' class="course-chart" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{_text(labels.title)}</title>',
        f'<desc id="{chart_id}-desc">'
        f"{_text(course_summary(points, today=today, labels=labels))}</desc>",
    ]
    out += _band(band, axis)
    out += _grid(axis, labels)
    out += _today(today, axis, labels)
    out += _scores(points, axis, labels)
    out += _marks(points, axis, labels)
    out += _legend(labels)
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class _Axis:
    """Days ``first``..``last`` and pain 0..10 onto the plot area (half a day of margin)."""

    first: int
    last: int

    def x(self, day: float) -> float:
        span = self.last - self.first + 1
        return LEFT + (day - self.first + 0.5) * (WIDTH - LEFT - RIGHT) / span

    @staticmethod
    def y(pain: float) -> float:
        return HEIGHT - BOTTOM - pain * (HEIGHT - TOP - BOTTOM) / 11

    def holds(self, day: int) -> bool:
        return self.first <= day <= self.last


def _band(band: Sequence[PainBand], axis: _Axis) -> list[str]:
    """One stepped polygon per run of consecutive days: each day's range spans its column."""
    shown = sorted((b for b in band if axis.holds(b.day)), key=lambda b: b.day)
    runs: list[list[PainBand]] = []
    for b in shown:
        if runs and runs[-1][-1].day == b.day - 1:
            runs[-1].append(b)
        elif not runs or runs[-1][-1].day != b.day:  # a repeated day keeps its first range
            runs.append([b])
    out = []
    for run in runs:
        upper = _steps(axis, [(b.day, b.high) for b in run])
        lower = _steps(axis, [(b.day, b.low) for b in reversed(run)], backwards=True)
        points = " ".join(upper + lower)
        out.append(
            f'<polygon class="usual-band" points="{points}" fill="{BAND}" stroke="#8fbf8f"'
            ' stroke-width="1"/>'
        )
    return out


def _steps(axis: _Axis, values: list[tuple[int, int]], *, backwards: bool = False) -> list[str]:
    """The corners of a step line through each day's column: two per run of equal values."""
    side = -0.5 if backwards else 0.5
    corners: list[str] = []
    for n, (day, value) in enumerate(values):
        if n == 0 or values[n - 1][1] != value:
            corners.append(f"{_n(axis.x(day - side))},{_n(axis.y(value))}")
        if n == len(values) - 1 or values[n + 1][1] != value:
            corners.append(f"{_n(axis.x(day + side))},{_n(axis.y(value))}")
    return corners


def _grid(axis: _Axis, labels: SvgLabels) -> list[str]:
    left, right, bottom = LEFT, WIDTH - RIGHT, axis.y(0)
    out = ['<g class="grid" stroke="' + GRID + '" stroke-width="1">']
    out += [
        f'<line x1="{left}" y1="{_n(axis.y(p))}" x2="{right}" y2="{_n(axis.y(p))}"/>'
        for p in range(0, 11, 2)
    ]
    out.append("</g>")
    out.append(f'<g class="axis" fill="{INK}">')
    out += [
        f'<text x="{left - 6}" y="{_n(axis.y(p) + 4)}" text-anchor="end">{p}</text>'
        for p in range(0, 11, 2)
    ]
    step = next(s for s in (1, 2, 7, 14, 28, 56, 112, 10**9) if (axis.last - axis.first) / s <= 12)
    start = -(-axis.first // step) * step
    out += [
        f'<text x="{_n(axis.x(d))}" y="{_n(bottom + 18)}" text-anchor="middle">{d}</text>'
        for d in range(start, axis.last + 1, step)
    ]
    out.append(
        f'<line x1="{left}" y1="{_n(bottom)}" x2="{right}" y2="{_n(bottom)}" stroke="{INK}"/>'
    )
    out.append(
        f'<text x="{_n((left + right) / 2)}" y="{HEIGHT - 10}" text-anchor="middle">'
        f"{_text(labels.day_axis)}</text>"
    )
    middle = _n((TOP + bottom) / 2)
    out.append(
        f'<text x="14" y="{middle}" text-anchor="middle" transform="rotate(-90 14 {middle})">'
        f"{_text(labels.pain_axis)}</text>"
    )
    out.append("</g>")
    return out


def _today(today: int, axis: _Axis, labels: SvgLabels) -> list[str]:
    """A dashed line labelled "today"; past the axis, the label alone at the right edge."""
    if today < axis.first:
        return []
    out = [f'<g class="today" fill="{TODAY}">']
    if today <= axis.last:
        x = _n(axis.x(today))
        out.append(
            f'<line x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{_n(axis.y(0))}" stroke="{TODAY}"'
            ' stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x}" y="{TOP - 10}" text-anchor="middle">{_text(labels.today)}</text>'
        )
    else:
        out.append(
            f'<text x="{WIDTH - RIGHT}" y="{TOP - 10}" text-anchor="end">'
            f"{_text(labels.today)} ({today}) →</text>"
        )
    out.append("</g>")
    return out


def _scores(points: Sequence[DayPoint], axis: _Axis, labels: SvgLabels) -> list[str]:
    scored = sorted((p for p in points if p.score is not None), key=lambda p: p.day)
    if not scored:
        return []
    at = [(_n(axis.x(p.day)), _n(axis.y(min(10, max(0, p.score or 0))))) for p in scored]
    out = [
        f'<g class="scores" stroke="{SCORE}" fill="{SCORE}">',
        f'<polyline points="{" ".join(f"{x},{y}" for x, y in at)}" fill="none" stroke-width="2"/>',
    ]
    out += [
        f'<circle class="score" cx="{x}" cy="{y}" r="3.5">'
        f"<title>{_text(labels.point.format(day=p.day, score=p.score))}</title></circle>"
        for p, (x, y) in zip(scored, at, strict=True)
    ]
    out.append("</g>")
    return out


def _marks(points: Sequence[DayPoint], axis: _Axis, labels: SvgLabels) -> list[str]:
    out = [f'<g class="missed-days" fill="{MISSED}" font-size="16" text-anchor="middle">']
    out += [
        f'<text class="missed" x="{_n(axis.x(p.day))}" y="{_n(axis.y(0) - 4)}">×'
        f"<title>{_text(labels.missed_point.format(day=p.day))}</title></text>"
        for p in sorted(points, key=lambda p: p.day)
        if p.missed
    ]
    out.append("</g>")
    out.append(f'<g class="alert-days" fill="{ALERT}" stroke="#7a1f15" stroke-width="1">')
    for p in sorted(points, key=lambda p: p.day):
        if p.alert:
            pain = min(10, max(0, p.score)) if p.score is not None else 9.5
            x, y = axis.x(p.day), axis.y(pain + 0.8)
            out.append(
                f'<polygon class="alert" points="{_triangle(x, y)}">'
                f"<title>{_text(labels.alert_point.format(day=p.day))}</title></polygon>"
            )
    out.append("</g>")
    return out


def _legend(labels: SvgLabels) -> list[str]:
    """One row above the plot: each mark beside its word, left to right."""
    y, x = 18, LEFT
    marks = (
        f'<line x1="0" y1="0" x2="18" y2="0" stroke="{SCORE}" stroke-width="2"/>'
        f'<circle cx="9" cy="0" r="3.5" fill="{SCORE}"/>',
        f'<rect x="0" y="-6" width="18" height="12" fill="{BAND}"/>',
        f'<text x="9" y="5" text-anchor="middle" font-size="16" fill="{MISSED}">×</text>',
        f'<polygon points="{_triangle(9, 0)}" fill="{ALERT}"/>',
    )
    out = [f'<g class="legend" fill="{INK}">']
    for word, mark in zip(
        (labels.score, labels.usual, labels.missed, labels.alert), marks, strict=True
    ):
        out.append(f'<g transform="translate({x} {y})">{mark}</g>')
        out.append(f'<text x="{x + 24}" y="{y + 4}">{_text(word)}</text>')
        x += 44 + 7 * len(word)  # a rough width of the word at 12 px
    out.append("</g>")
    return out


def _triangle(x: float, y: float) -> str:
    """A downward triangle (▼) centred on ``x``, ``y``."""
    return f"{_n(x - 6)},{_n(y - 5)} {_n(x + 6)},{_n(y - 5)} {_n(x)},{_n(y + 5)}"


def _n(value: float) -> str:
    """A coordinate with one decimal at most (deterministic, short)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(value: str) -> str:
    """XML-escaped text (quotes too, so it is also safe inside an attribute)."""
    return escape(_NOT_XML.sub("", value), quote=True)
