"""Chart of /patients against history size, before and after #19 (matplotlib, Agg).

Reads the figures ``python -m bench.patients_view --record bench/patients_view_results.json``
appended (label ``before``: the code of main before #19, ``after``: this code) and writes
docs/perf-patients-view.png: page 1 of /patients in milliseconds against the answers stored,
one line per code and database, both axes logarithmic, each point labelled with its patients.

Usage: python -m bench.report [--results FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

ROOT = Path(__file__).resolve().parents[1]
STYLE = {"before": "--", "after": "-"}
COLOUR = {"sqlite": "tab:blue", "postgresql": "tab:orange"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, default=ROOT / "bench/patients_view_results.json")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/perf-patients-view.png")
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    lines: dict[tuple[str, str], dict[int, tuple[float, int]]] = defaultdict(dict)
    for r in results:  # the latest figure of each point wins
        lines[(r["label"], r["database"])][r["answers"]] = (r["page1_ms"], r["patients"])
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for (label, database), points in sorted(lines.items(), reverse=True):
        xs = sorted(points)
        ys = [points[x][0] for x in xs]
        for x, y in zip(xs, ys, strict=True):
            axes.annotate(
                f"{points[x][1]:,}", (x, y), fontsize=6, xytext=(3, 3), textcoords="offset points"
            )
        axes.plot(
            xs,
            ys,
            STYLE.get(label, ":"),
            marker="o",
            color=COLOUR.get(database, "tab:grey"),
            label=f"{label} #19, {database}",
        )
    axes.axhline(50, color="tab:red", linewidth=0.8, linestyle=":", label="target 50 ms")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("answers stored (points labelled with the patients they belong to)")
    axes.set_ylabel("/patients page 1, ms (median)")
    axes.set_title("Operators' /patients against history size")
    axes.grid(True, which="both", linewidth=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
