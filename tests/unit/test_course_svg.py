"""The care team's course chart as SVG: markers, the usual band, words for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from recovery import Procedure, load_protocols
from views.care_team.course_svg import SvgLabels, course_svg
from views.pain_chart import DayPoint, PainBand

NS = {"s": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output, parsed to check it is well formed)


def day_x(root: ET.Element) -> tuple[float, float]:
    """The day axis as (x of day 0, pixels per day), read from two tick labels."""
    ticks = {
        int(t.text or ""): float(t.get("x", "0"))
        for t in root.iterfind("s:g[@class='axis']/s:text[@text-anchor='middle']", NS)
        if (t.text or "").isdigit()
    }
    first, last = min(ticks), max(ticks)
    per_day = (ticks[last] - ticks[first]) / (last - first)
    return ticks[first] - first * per_day, per_day


def pain_y(root: ET.Element) -> tuple[float, float]:
    """The pain axis as (y of pain 0, pixels per point), read from the 0 and 10 labels."""
    labels = {
        int(t.text or ""): float(t.get("y", "0")) - 4
        for t in root.iterfind("s:g[@class='axis']/s:text[@text-anchor='end']", NS)
    }
    return labels[0], (labels[10] - labels[0]) / 10


def two_weeks() -> list[DayPoint]:
    """12 check-ins, days 0 to 14 (days 4, 9 and 11 not asked): day 5 missed, alerts on 2 and
    13 (13 without a pain score)."""
    days = [0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14]
    return [
        DayPoint(
            d,
            None if d in (5, 13) else max(0, 8 - d // 2),
            missed=d == 5,
            alert=d in (2, 13),
        )
        for d in days
    ]


def inside(polygon: list[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting: is (x, y) inside the polygon?"""
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def test_the_svg_names_itself_for_screen_readers_and_scales() -> None:
    svg = course_svg(two_weeks(), [], today=14, window=42, chart_id="p-0042")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 360"
    assert root.get("width") is None  # the viewBox lets the page size it
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id") == "p-0042-title"
    assert desc.text == (
        "12 check-ins from day 0 to day 14; latest pain 1 on day 14; 1 missed;"
        " 2 with a warning sign; today is day 14."
    )
    legend = [t.text for t in root.iterfind("s:g[@class='legend']/s:text", NS)]
    assert legend == ["pain score", "usual range", "missed", "warning sign"]
    marks = root.find("s:g[@class='legend']", NS)
    assert marks is not None
    assert marks.findtext("s:g/s:text", namespaces=NS) == "×"  # shapes, not only colours
    assert marks.find("s:g/s:polygon", NS) is not None


def test_no_inline_style_and_no_script() -> None:
    svg = course_svg(two_weeks(), [PainBand(d, 1, 5) for d in range(43)], today=9, window=42)
    root = parse(svg)
    assert all("style" not in element.attrib for element in root.iter())
    assert root.find(".//s:script", NS) is None
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrib)


def test_missed_days_get_a_cross_at_the_bottom_and_alerts_a_triangle() -> None:
    root = parse(course_svg(two_weeks(), [], today=14, window=42))
    x0, per_day = day_x(root)
    y0, _ = pain_y(root)
    crosses = root.findall(".//s:text[@class='missed']", NS)
    assert [c.text for c in crosses] == ["×"]
    assert float(crosses[0].get("x", "0")) == pytest.approx(x0 + 5 * per_day, abs=0.1)
    assert float(crosses[0].get("y", "0")) == pytest.approx(y0, abs=8)  # at the bottom
    triangles = root.findall(".//s:polygon[@class='alert']", NS)
    assert len(triangles) == 2
    centres = [
        sum(float(p.split(",")[0]) for p in t.get("points", "").split()) / 3 for t in triangles
    ]
    assert centres == pytest.approx([x0 + 2 * per_day, x0 + 13 * per_day], abs=0.1)
    words = [t.findtext("s:title", namespaces=NS) for t in triangles]
    assert words == ["Day 2: warning sign reported", "Day 13: warning sign reported"]
    scores = root.findall(".//s:circle[@class='score']", NS)
    assert len(scores) == 10  # the missed day and day 13 have no score


def test_the_band_polygon_covers_the_protocols_usual_range() -> None:
    protocol = load_protocols().for_procedure(Procedure.FUSION)
    window = protocol.recovery_window_days
    band = [
        PainBand(day, usual.low, usual.high)
        for day in range(window + 1)
        if (usual := protocol.expected_pain_on(day)) is not None
    ]
    assert len(band) > 20
    root = parse(course_svg([DayPoint(1, 6)], band, today=window, window=window))
    x0, per_day = day_x(root)
    y0, per_point = pain_y(root)
    polygons = [
        [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]
        for poly in root.iterfind(".//s:polygon[@class='usual-band']", NS)
    ]
    assert polygons

    def covered(day: float, pain: float) -> bool:
        x, y = x0 + day * per_day, y0 + pain * per_point
        return any(inside(polygon, x, y) for polygon in polygons)  # type: ignore[arg-type]

    for b in band:
        for offset in (-0.3, 0.0, 0.3):  # the whole day's column, not only its centre
            assert covered(b.day + offset, (b.low + b.high) / 2), b
            assert covered(b.day + offset, b.low + 0.1), b
            assert covered(b.day + offset, b.high - 0.1), b
            assert not covered(b.day + offset, b.high + 0.2), b
            if b.low > 0:
                assert not covered(b.day + offset, b.low - 0.2), b


def test_every_text_is_escaped() -> None:
    nasty = "<script>alert(\"x\")</script> & 'quoted' \x07"
    labels = SvgLabels(title=nasty, usual=nasty, today=nasty, point=nasty + " {day}")
    svg = course_svg([DayPoint(1, 3)], [PainBand(1, 1, 4)], today=1, window=7, labels=labels)
    assert "<script>" not in svg
    root = parse(svg)  # well-formed XML despite the label
    assert root.find(".//s:script", NS) is None
    clean = nasty.replace("\x07", "")
    assert root.findtext("s:title", namespaces=NS) == clean
    assert clean in [t.text for t in root.iter(f"{SVG}text")]
    assert root.findtext(".//s:circle/s:title", namespaces=NS) == clean + " 1"


def test_an_empty_history_draws_the_band_and_says_so() -> None:
    svg = course_svg([], [PainBand(d, 2, 6) for d in range(43)], today=0, window=42)
    root = parse(svg)
    assert root.findtext("s:desc", namespaces=NS) == "No check-ins yet; today is day 0."
    assert root.find(".//s:polyline", NS) is None
    assert root.find(".//s:circle[@class='score']", NS) is None
    assert root.find(".//s:text[@class='missed']", NS) is None
    assert root.find(".//s:polygon[@class='usual-band']", NS) is not None
    ticks = [
        int(t.text or "")
        for t in root.iterfind("s:g[@class='axis']/s:text[@text-anchor='middle']", NS)
        if (t.text or "").isdigit()
    ]
    assert max(ticks) == 7  # a week, not the whole window


def test_the_axis_stops_at_the_window_when_today_is_long_after() -> None:
    points = [DayPoint(d, 3) for d in range(0, 43, 3)]
    root = parse(course_svg(points, [], today=200, window=42))
    ticks = [
        int(t.text or "")
        for t in root.iterfind("s:g[@class='axis']/s:text[@text-anchor='middle']", NS)
        if (t.text or "").isdigit()
    ]
    assert max(ticks) == 42
    today = root.find("s:g[@class='today']", NS)
    assert today is not None
    assert today.find("s:line", NS) is None  # no line off the axis
    assert today.findtext("s:text", namespaces=NS) == "today (200) →"
    assert "today is day 200" in (root.findtext("s:desc", namespaces=NS) or "")


def test_a_check_in_after_the_window_is_still_drawn() -> None:
    root = parse(course_svg([DayPoint(50, 2)], [], today=50, window=42))
    x0, per_day = day_x(root)
    circle = root.find(".//s:circle[@class='score']", NS)
    assert circle is not None
    assert float(circle.get("cx", "0")) == pytest.approx(x0 + 50 * per_day, abs=0.1)
    assert float(circle.get("cx", "0")) <= 640


def test_same_input_same_bytes_for_90_days() -> None:  # its speed: bench.course_svg
    points = [DayPoint(d, d % 11, missed=d % 9 == 0, alert=d % 17 == 0) for d in range(91)]
    band = [PainBand(d, max(0, 5 - d // 10), 8 - d // 20) for d in range(91)]
    first = course_svg(points, band, today=90, window=90)
    assert course_svg(list(reversed(points)), band, today=90, window=90) == first


def test_a_score_out_of_range_stays_on_the_chart() -> None:
    root = parse(course_svg([DayPoint(1, 99, alert=True)], [], today=1, window=42))
    y0, per_point = pain_y(root)
    circle = root.find(".//s:circle[@class='score']", NS)
    assert circle is not None
    assert float(circle.get("cy", "0")) == pytest.approx(y0 + 10 * per_point, abs=0.1)
    triangle = root.find(".//s:polygon[@class='alert']", NS)
    assert triangle is not None
    assert min(float(p.split(",")[1]) for p in triangle.get("points", "").split()) > 0


def test_a_chart_id_that_is_not_a_plain_id_is_refused() -> None:
    with pytest.raises(ValueError, match="chart_id"):
        course_svg([], [], today=0, window=42, chart_id='x" onload="alert(1)')
