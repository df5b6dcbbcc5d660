"""The pain course as a picture (pure): scores by post-operative day over the usual range.

Drawn with matplotlib's object API on the Agg canvas (no display, no global pyplot state, so
two charts may be drawn at once). Colour is never the only signal: missed days are marked
with an "×" on the axis, alerts with a triangle, today with a dashed line and a label.

The words are in the reader's language (:func:`chart_labels`). They are set in DejaVu Sans,
matplotlib's default, which has Latin, Cyrillic and Arabic glyphs. Matplotlib 3.11 lays text
out with libraqm (HarfBuzz shaping, SheenBidi ordering), which joins Arabic letters and runs
right-to-left text from the right, so a label is passed as it is written: reshaping it first
(arabic-reshaper, python-bidi) would draw it backwards. For a right-to-left reader the legend's
markers stand to the right of their words (``tests/unit/test_pain_chart_rtl.py`` checks both).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from views.i18n import N_, Translator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ChartLabels", "DayPoint", "PainBand", "chart_figure", "chart_labels", "pain_chart"]

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 3.6, 100  # 640 x 360 pixels
SCORE, BAND, MISSED, ALERT = "#1f4e9c", "#cfe3cf", "#8a8a8a", "#c0392b"


@dataclass(frozen=True)
class DayPoint:
    """One check-in day: the pain score (None when not answered), missed, with an alert."""

    day: int
    score: int | None
    missed: bool = False
    alert: bool = False


@dataclass(frozen=True)
class PainBand:
    """The usual pain range on a day (from the protocol)."""

    day: int
    low: int
    high: int


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words, in the reader's language, and the direction it is read in."""

    title: str = N_("Your back pain")
    day_axis: str = N_("Days since your operation")
    pain_axis: str = N_("Pain (0 to 10)")
    usual: str = N_("usual range")
    today: str = N_("today")
    missed: str = N_("missed")
    alert: str = N_("reported a warning sign")
    right_to_left: bool = False


def chart_labels(tr: Translator) -> ChartLabels:
    """The chart's words in the reader's language."""
    return replace(tr.words(ChartLabels()), right_to_left=tr.rtl)


def pain_chart(
    points: Sequence[DayPoint],
    band: Sequence[PainBand],
    *,
    today: int,
    window: int,
    labels: ChartLabels | None = None,
) -> bytes:
    """Render the chart as a PNG.

    Args:
        points: check-in days, any order.
        band: the usual range per day (may be empty).
        today: today's post-operative day (marked).
        window: the protocol's last day (the axis ends at the later of this and today).
        labels: the words to use; English by default.

    Returns:
        PNG bytes (640 x 360 pixels, well under 100 KB).
    """
    figure = chart_figure(points, band, today=today, window=window, labels=labels)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_figure(
    points: Sequence[DayPoint],
    band: Sequence[PainBand],
    *,
    today: int,
    window: int,
    labels: ChartLabels | None = None,
) -> Figure:
    """The chart as a matplotlib figure on the Agg canvas (arguments as :func:`pain_chart`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: only when drawing
    from matplotlib.figure import Figure

    words = labels or ChartLabels()
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    last = max(window, today, *(p.day for p in points)) if points else max(window, today)
    if band:
        ordered = sorted(band, key=lambda b: b.day)
        axes.fill_between(
            [b.day for b in ordered],
            [b.low for b in ordered],
            [b.high for b in ordered],
            color=BAND,
            step="mid",
            label=words.usual,
        )
    scored = sorted((p for p in points if p.score is not None), key=lambda p: p.day)
    if scored:
        axes.plot(
            [p.day for p in scored],
            [float(p.score) for p in scored if p.score is not None],
            color=SCORE,
            marker="o",
            linewidth=2,
        )
    missed = [p.day for p in points if p.missed]
    if missed:
        axes.scatter(missed, [0.2] * len(missed), marker="x", color=MISSED, label=words.missed)
    alerts = [p for p in points if p.alert]
    if alerts:
        axes.scatter(
            [p.day for p in alerts],
            [(p.score if p.score is not None else 9.5) + 0.6 for p in alerts],
            marker="v",
            color=ALERT,
            s=60,
            label=words.alert,
        )
    axes.axvline(today, color="#444444", linestyle="--", linewidth=1)
    axes.annotate(words.today, (today, 10.2), ha="center", fontsize=8, color="#444444")
    axes.set_xlim(-0.5, last + 0.5)
    axes.set_ylim(0, 11)
    axes.set_yticks(range(0, 11, 2))
    axes.set_xlabel(words.day_axis)
    axes.set_ylabel(words.pain_axis)
    axes.set_title(words.title)
    axes.grid(axis="y", alpha=0.3)
    if band or missed or alerts:
        rtl = words.right_to_left  # markers after the words, read from the right
        axes.legend(
            loc="upper right",
            fontsize=8,
            frameon=False,
            markerfirst=not rtl,
            alignment="right" if rtl else "left",
        )
    figure.tight_layout()
    return figure
