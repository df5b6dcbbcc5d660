"""The pain chart for a right-to-left reader (issue #16): matplotlib's own text layout joins
the Arabic letters and runs them from the right, so the chart passes its words as written; the
legend's markers stand after the words, on their right."""

from __future__ import annotations

import pytest

from views.i18n import translator
from views.pain_chart import DayPoint, PainBand, chart_figure, chart_labels


def figure(lang: str):  # type: ignore[no-untyped-def]
    return chart_figure(
        [DayPoint(1, 6), DayPoint(2, None, missed=True), DayPoint(3, 5, alert=True)],
        [PainBand(day, 3, 7) for day in range(5)],
        today=3,
        window=4,
        labels=chart_labels(translator(lang)),
    )


def test_matplotlib_joins_arabic_letters_and_lays_them_out_right_to_left() -> None:
    from matplotlib.font_manager import FontProperties, findfont, get_font
    from matplotlib.textpath import TextToPath

    font = get_font(findfont(FontProperties(family="DejaVu Sans")))
    glyphs, *_ = TextToPath().get_glyphs_with_font(font, "بيت")
    drawn = sorted(glyphs, key=lambda glyph: glyph[1])  # (glyph id, x, y, size), left to right
    names = [font.get_glyph_name(int(glyph[0].rsplit("-", 1)[1], 16)) for glyph in drawn]
    assert names == ["uniFE96", "uniFEF4", "uniFE91"]  # teh final, yeh medial, beh initial


def test_the_arabic_chart_draws_its_words_as_written() -> None:
    axes = figure("ar").axes[0]
    labels = chart_labels(translator("ar"))
    assert axes.get_title() == labels.title  # not reshaped nor reversed: matplotlib does that
    assert axes.get_xlabel() == labels.day_axis
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        labels.usual,
        labels.missed,
        labels.alert,
    ]


@pytest.mark.parametrize(("lang", "markers_right"), [("ar", True), ("en", False), ("ru", False)])
def test_legend_markers_stand_where_the_reader_starts_reading(
    lang: str, markers_right: bool
) -> None:
    fig = figure(lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = fig.axes[0].get_legend()
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        marker, words = handle.get_window_extent(renderer), text.get_window_extent(renderer)
        if markers_right:
            assert marker.x0 >= words.x1
        else:
            assert marker.x1 <= words.x0
