"""The care team's course chart as SVG: time to render one (p50, p95) and its size.

Pure: no database, no browser. Each protocol's full window (every day a check-in, so a
90-day course has 85-91 points), plus a 90-day daily course. Usage:
python -m bench.course_svg --charts 500 (wall time and this process's CPU time: on
a shared machine the wall p95 includes waiting for a core).
"""

from __future__ import annotations

import argparse
import statistics
import time

from recovery import Procedure, load_protocols
from views.care_team.course_svg import course_svg
from views.pain_chart import DayPoint, PainBand


def _course(days: int, band: list[PainBand]) -> tuple[list[DayPoint], list[PainBand]]:
    points = [
        DayPoint(d, max(0, 7 - d // 6) if d % 6 else None, missed=d % 6 == 0, alert=d % 15 == 3)
        for d in range(days + 1)
    ]
    return points, band


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=500)
    args = parser.parse_args()
    protocols = load_protocols()
    cases = {}
    for procedure in (Procedure.KYPHOPLASTY, Procedure.FUSION):
        protocol = protocols.for_procedure(procedure)
        window = protocol.recovery_window_days
        band = [
            PainBand(day, usual.low, usual.high)
            for day in range(window + 1)
            if (usual := protocol.expected_pain_on(day)) is not None
        ]
        cases[f"{protocol.family} ({window} days)"] = (*_course(window, band), window)
    band90 = [PainBand(d, max(0, 5 - d // 15), 8 - d // 30) for d in range(91)]
    cases["daily, 90 days"] = (*_course(90, band90), 90)
    for name, (points, band, window) in cases.items():
        course_svg(points, band, today=window, window=window)  # warm up
        wall, cpu = [], []
        for _ in range(args.charts):
            started, used = time.perf_counter(), time.process_time()
            svg = course_svg(points, band, today=window, window=window)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        print(
            f"{name}: {len(points)} points, {len(svg.encode()) / 1024:.1f} KiB;"
            f" wall p50 {statistics.median(wall):.2f} ms, p95 {_p95(wall):.2f} ms;"
            f" CPU p50 {statistics.median(cpu):.2f} ms, p95 {_p95(cpu):.2f} ms (limit 5 ms)"
        )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    main()
