"""Simulated pain courses: alerts raised and worsening caught by the old and new pain trend rules.

Not a test and no database: a pure simulation over each protocol's check-in schedule. For every
procedure it simulates a cohort of patients whose pain eases over the first days and then falls
slowly, with day-to-day noise of one point either way; a minority plateau, some worsen slowly
from an onset day, a few have a sudden jump. Some check-ins are missed. Each answered check-in is
triaged by the shipped protocol (``recovery.assess``, with the last 14 check-ins as history as the
bot does), and also by the old rule it replaced (pain higher at each of the last 3 check-ins).

Figures per procedure and rule: alerts per day (mean over the recovery window, per 1,000
patients), those raised for patients whose pain eased or plateaued, alerts raised while
pain was 3 or less, and how many of the slowly worsening patients were caught (an alert on or
after the onset) and how late.

Usage: python -m bench.pain_cohort --patients 1000 --seed 1
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from recovery import PastCheckIn, Procedure, Protocol, assess, load_protocols

HISTORY_LENGTH = 14  # what services/checkin/answers.py gives triage
MISSED = 0.10  # share of check-ins left unanswered
OLD_CHECKINS = 3  # the replaced rule: pain higher at each of the last 3 check-ins
OLD_LEVELS = ("urgent", "attention")  # its level after augmentation, after fusion


class Course(StrEnum):
    """The kind of pain course a simulated patient follows."""

    EASING = "easing"
    PLATEAU = "plateau"
    WORSENING = "worsening"
    JUMP = "jump"


# share of each course in the cohort (the rest ease as expected)
COURSES = ((Course.PLATEAU, 0.10), (Course.WORSENING, 0.07), (Course.JUMP, 0.03))


@dataclass
class Patient:
    """A simulated patient: the course and, for worsening or a jump, the day it starts."""

    course: Course
    onset: int | None
    scores: dict[int, int] = field(default_factory=dict)  # answered check-in day -> pain


def draw_course(rng: random.Random) -> Course:
    roll, total = rng.random(), 0.0
    for course, share in COURSES:
        total += share
        if roll < total:
            return course
    return Course.EASING


def simulate(rng: random.Random, protocol: Protocol, fusion: bool) -> Patient:
    """One patient's pain at each check-in day of the protocol (missed days left out)."""
    course = draw_course(rng)
    window = protocol.recovery_window_days
    start = rng.uniform(6, 8.5) if fusion else rng.uniform(5, 8)
    eased = rng.uniform(2.5, 4.5) if fusion else rng.uniform(1.5, 3.5)
    ease_days = rng.uniform(2, 5) if fusion else rng.uniform(1, 3)
    fall = rng.uniform(0.01, 0.06)
    floor = rng.uniform(0, 1.5)
    if course is Course.PLATEAU:
        eased, fall = rng.uniform(3.5, 5.5), 0.0
    onset = rng.randint(6, window // 2) if course in (Course.WORSENING, Course.JUMP) else None
    rise = rng.uniform(0.15, 0.5)  # points per day once worsening
    jump = rng.uniform(3, 5)
    patient = Patient(course, onset)
    for day in protocol.checkin_days():
        if day <= ease_days:
            level = start + (eased - start) * day / ease_days
        else:
            level = max(floor, eased - fall * (day - ease_days))
        if onset is not None and day >= onset:
            level += rise * (day - onset + 1) if course is Course.WORSENING else jump
        noise = rng.choices((-1, 0, 1), weights=(1, 2, 1))[0]
        if rng.random() >= MISSED:
            patient.scores[day] = min(10, max(0, round(min(level, 9.5)) + noise))
    return patient


def old_rule(day: int, scores: dict[int, int]) -> bool:
    """The replaced ``pain_rising`` rule: higher at each of the last 3 scored check-ins."""
    last = [scores[d] for d in sorted(scores) if d <= day][-OLD_CHECKINS:]
    return len(last) == OLD_CHECKINS and all(a < b for a, b in zip(last, last[1:], strict=False))


def new_rule(protocol: Protocol) -> Callable[[int, dict[int, int]], bool]:
    """The shipped protocol's ``pain_trend`` rule, through the real triage."""
    keys = {r.key for r in protocol.rules if r.condition.kind == "pain_trend"}
    days = protocol.checkin_days()

    def fires(day: int, scores: dict[int, int]) -> bool:
        earlier = [d for d in days if d < day][-HISTORY_LENGTH:]
        history = [PastCheckIn(d, {"pain": str(scores[d])} if d in scores else {}) for d in earlier]
        result = assess(protocol, day, {"pain": str(scores[day])}, history, partial=True)
        return bool(keys & {r.key for r in result.reasons})

    return fires


@dataclass
class Tally:
    """What one rule did over a cohort."""

    alerts: int = 0
    needless: int = 0  # raised for patients whose pain eased or plateaued
    low_alerts: int = 0  # raised while today's pain was 3 or less
    caught_days: list[int] = field(default_factory=list)  # first alert day of caught worseners
    delays: list[int] = field(default_factory=list)


def run_cohort(
    protocol: Protocol, procedure: Procedure, patients: int, seed: int
) -> tuple[int, int, Tally, Tally]:
    """Simulate a cohort; return the window, the number of worsening patients and two tallies."""
    rng = random.Random(f"{seed}-{procedure}")
    old, new = Tally(), Tally()
    rules: tuple[tuple[Tally, Callable[[int, dict[int, int]], bool]], ...] = (
        (old, old_rule),
        (new, new_rule(protocol)),
    )
    worsening = 0
    for _ in range(patients):
        patient = simulate(rng, protocol, fusion=procedure is Procedure.FUSION)
        worse = patient.course is Course.WORSENING
        worsening += worse
        for tally, fires in rules:
            first: int | None = None
            for day, pain in patient.scores.items():
                if not fires(day, patient.scores):
                    continue
                tally.alerts += 1
                tally.needless += patient.course in (Course.EASING, Course.PLATEAU)
                tally.low_alerts += pain <= 3
                onset = patient.onset
                if worse and onset is not None and day >= onset and first is None:
                    first = day
                    tally.caught_days.append(day)
                    tally.delays.append(day - onset)
    return protocol.recovery_window_days + 1, worsening, old, new


def line(name: str, tally: Tally, days: int, patients: int, worsening: int) -> str:
    per_day = tally.alerts / days * 1000 / patients
    needless = tally.needless / days * 1000 / patients
    caught = len(tally.caught_days)
    mean_day = statistics.fmean(tally.caught_days) if caught else float("nan")
    mean_delay = statistics.fmean(tally.delays) if caught else float("nan")
    return (
        f"  {name:<34} {per_day:5.1f} alerts/day per 1,000 ({needless:4.1f} for easing or "
        f"plateau), {tally.low_alerts:3d} at pain<=3; caught {caught}/{worsening} worsening "
        f"({caught / max(worsening, 1):.0%}), first alert day {mean_day:4.1f}, "
        f"{mean_delay:4.1f} days after onset"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000, help="patients per procedure")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"pain cohort: {args.patients} patients per procedure, seed {args.seed}, "
        f"{MISSED:.0%} of check-ins missed; courses: "
        + ", ".join(f"{course} {share:.0%}" for course, share in COURSES)
        + ", the rest easing"
    )
    for procedure in Procedure:
        protocol = load_protocols().for_procedure(procedure)
        days, worsening, old, new = run_cohort(protocol, procedure, args.patients, args.seed)
        level = next(r.level for r in protocol.rules if r.condition.kind == "pain_trend")
        old_level = OLD_LEVELS[procedure.value == "fusion"]
        print(f"{procedure} (window {days} days, {len(protocol.checkin_days())} check-ins):")
        print(line(f"old pain_rising, 3 up ({old_level})", old, days, args.patients, worsening))
        print(line(f"new pain_trend ({level})", new, days, args.patients, worsening))


if __name__ == "__main__":
    main()
