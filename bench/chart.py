"""The pain chart: time to draw one (p50, p95) and PNG size, for both protocols' full windows.

Pure: no database, no Bot API. Usage: python -m bench.chart --charts 50
"""

from __future__ import annotations

import argparse
import statistics
import time

from recovery import Procedure, load_protocols
from views.pain_chart import DayPoint, PainBand, pain_chart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=50)
    args = parser.parse_args()
    protocols = load_protocols()
    for procedure in (Procedure.KYPHOPLASTY, Procedure.FUSION):
        protocol = protocols.for_procedure(procedure)
        window = protocol.recovery_window_days
        band = [
            PainBand(day, usual.low, usual.high)
            for day in range(window + 1)
            if (usual := protocol.expected_pain_on(day)) is not None
        ]
        days = [d for d in range(1, window + 1) if protocol.is_checkin_day(d)]
        points = [
            DayPoint(d, max(0, 7 - d // 4) if i % 6 else None, missed=i % 6 == 0, alert=i == 3)
            for i, d in enumerate(days)
        ]
        pain_chart(points, band, today=window, window=window)  # warm up (fonts, imports)
        times, sizes = [], []
        for _ in range(args.charts):
            started = time.perf_counter()
            png = pain_chart(points, band, today=window, window=window)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(len(png))
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
        print(
            f"{protocol.family}: {len(points)} check-ins, draw p50 {p50:.0f} ms,"
            f" p95 {p95:.0f} ms, PNG {max(sizes) / 1024:.0f} KiB (limits: 200 ms, 100 KiB)"
        )


if __name__ == "__main__":
    main()
