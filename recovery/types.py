"""Value types of the clinical domain: enums and frozen dataclasses.

Nothing here reads files or the clock. The protocol data (``protocols/*.yaml``) is validated by
``recovery.schema`` and turned into these types by ``recovery.loader``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Assessment",
    "Condition",
    "DayRange",
    "GuidanceItem",
    "Level",
    "Milestone",
    "Option",
    "PastCheckIn",
    "Procedure",
    "Question",
    "QuestionKind",
    "Reason",
    "Rule",
    "ScheduleBlock",
    "Source",
]


class Procedure(StrEnum):
    """The operations the bot follows up."""

    VERTEBROPLASTY = "vertebroplasty"
    KYPHOPLASTY = "kyphoplasty"
    FUSION = "fusion"


_RANKS = {"ok": 0, "attention": 1, "urgent": 2, "emergency": 3}


class Level(StrEnum):
    """Triage level, ordered by severity: OK < ATTENTION < URGENT < EMERGENCY.

    Comparison operators (``<``, ``>=``, ``max()``...) use the severity rank, not the alphabetical
    order of the string values. ``Level.max(*levels)`` returns the most severe (OK when empty).
    """

    OK = "ok"
    ATTENTION = "attention"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Severity rank: 0 for OK up to 3 for EMERGENCY."""
        return _RANKS[self.value]

    @classmethod
    def max(cls, *levels: Level) -> Level:
        """Return the most severe of ``levels``, or OK when none are given.

        Args:
            *levels: Levels to compare.

        Returns:
            The level with the highest rank.
        """
        return max(levels, key=lambda level: level.rank, default=cls.OK)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


class QuestionKind(StrEnum):
    """How a question is answered: a 0-10 scale, yes/no(/not sure), or a list of choices."""

    SCALE = "scale"
    YESNO = "yesno"
    CHOICE = "choice"


@dataclass(frozen=True)
class Option:
    """One answer button: ``value`` is stored and used by rules, ``label`` is shown."""

    value: str
    label: str


@dataclass(frozen=True)
class DayRange:
    """Post-operative days ``start``..``end`` inclusive; ``end`` None means no end."""

    start: int
    end: int | None

    def contains(self, day: int) -> bool:
        """Return True when ``day`` lies inside the range."""
        return day >= self.start and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Source:
    """Where a question, rule, guidance text or milestone comes from."""

    id: str
    title: str
    url: str | None
    citation: str | None
    supports: str


@dataclass(frozen=True)
class Question:
    """A check-in question as shown to the patient.

    Scale questions have the options "0".."10"; yes/no questions "yes", "no", "unsure".
    """

    key: str
    text: str
    kind: QuestionKind
    options: tuple[Option, ...]
    source: str
    days: DayRange = field(default=DayRange(0, None), compare=False)
    emergency_screen: bool = False
    short: str = field(default="", compare=False)  # the care team's label, e.g. "wound"

    @property
    def title(self) -> str:
        """The short label the care team reads (the key, spaced, when the file gives none)."""
        return self.short or self.key.replace("_", " ")

    def option(self, value: str) -> Option | None:
        """Return the option with this value, or None when the value is not an option."""
        for candidate in self.options:
            if candidate.value == value:
                return candidate
        return None


@dataclass(frozen=True)
class Condition:
    """The ``when`` part of a rule, flattened. ``kind`` says which fields are used.

    Kinds: ``answer`` (question + values/gte/lte), ``pain_trend`` (question + checkins, points,
    min_slope, gte: see ``recovery.trend``), ``pain_jump`` (question + points),
    ``pain_not_easing`` (question + day + gte),
    ``unclear`` (missing or unsure answers to the day's rule-bearing questions).
    ``after_day`` (optional) limits any kind to post-operative days after that day.
    """

    kind: str
    question: str | None = None
    values: frozenset[str] = frozenset()
    gte: int | None = None
    lte: int | None = None
    checkins: int | None = None
    points: int | None = None
    min_slope: float | None = None
    day: int | None = None
    after_day: int | None = None


@dataclass(frozen=True)
class Rule:
    """A triage rule: when ``condition`` holds, report ``reason`` at ``level``."""

    key: str
    level: Level
    condition: Condition
    reason: str
    source: str


@dataclass(frozen=True)
class Reason:
    """Why an assessment is not OK: the rule that fired and a plain phrase of what was reported."""

    key: str
    level: Level
    text: str
    source: str


@dataclass(frozen=True)
class Assessment:
    """Result of triage.

    ``guidance`` holds the day's guidance texts for OK and ATTENTION; for URGENT the action text
    comes first, then the day's guidance; for EMERGENCY only the action text (with the
    ``{emergency_number}`` placeholder still to be formatted by the caller).
    """

    level: Level
    reasons: tuple[Reason, ...]
    guidance: tuple[str, ...]


@dataclass(frozen=True)
class GuidanceItem:
    """A piece of advice shown on the days in ``days``."""

    key: str
    days: DayRange
    text: str
    source: str


@dataclass(frozen=True)
class ExpectedPain:
    """The usual pain range (0-10) on the days in ``days`` (the chart's band)."""

    days: DayRange
    low: int
    high: int
    source: str


@dataclass(frozen=True)
class Milestone:
    """A dated message: sent on post-operative day ``day``."""

    key: str
    day: int
    text: str
    source: str


@dataclass(frozen=True)
class ScheduleBlock:
    """Check-ins on days ``start``..``end``, every ``every`` days counted from ``start``."""

    start: int
    end: int
    every: int

    def contains(self, day: int) -> bool:
        """Return True when ``day`` is a check-in day of this block."""
        return self.start <= day <= self.end and (day - self.start) % self.every == 0


@dataclass(frozen=True)
class PastCheckIn:
    """An earlier check-in (completed or partial), given to triage as history, oldest first."""

    post_op_day: int
    answers: Mapping[str, str]
