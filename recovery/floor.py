"""The safety floor: the seed's red flags that no protocol file may drop or downgrade.

The red flags are data (``recovery/floor.yaml``): per procedure, each names the question and
the answers (option values, or a 0-10 threshold) that must make a check-in at least URGENT.
``check_floor`` runs after the other whole-file checks and yields one problem per red flag that
is not asked, or not at least URGENT, on some check-in day of the file's schedule.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from recovery.checks import options_of
from recovery.schema import ProtocolModel, QuestionModel, WhenModel
from recovery.texts import Problem
from recovery.types import Level, Procedure, Source

__all__ = ["FLOOR_FILE", "FloorItem", "check_floor", "floor_items", "floor_source"]

FLOOR_FILE = Path(__file__).parent / "floor.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FloorTrigger(_Model):
    """The answers to one question that must raise the red flag."""

    question: str
    in_: tuple[str, ...] | None = Field(default=None, alias="in", min_length=1)
    gte: int | None = Field(default=None, ge=0, le=10)

    def values(self) -> tuple[str, ...]:
        """The option values that must fire: the listed ones, or every score from ``gte``."""
        if self.in_ is not None:
            return self.in_
        return tuple(str(n) for n in range(self.gte if self.gte is not None else 11, 11))


class FloorItem(_Model):
    """One red flag of the seed."""

    key: str
    sign: str
    source: str
    fires: tuple[FloorTrigger, ...] = Field(min_length=1)


class FloorSource(_Model):
    """Where the red flags come from."""

    title: str
    url: str | None = None
    citation: str


class FloorModel(_Model):
    """The whole floor file."""

    sources: dict[str, FloorSource]
    procedures: dict[Procedure, tuple[FloorItem, ...]]


@cache
def _floor() -> FloorModel:
    data = yaml.safe_load(FLOOR_FILE.read_text(encoding="utf-8"))
    model = FloorModel.model_validate(data)
    for items in model.procedures.values():
        for item in items:
            if item.source not in model.sources:
                raise ValueError(f"floor.yaml: red flag '{item.key}' cites unknown source")
    missing = [p for p in Procedure if p not in model.procedures]
    if missing:
        raise ValueError(f"floor.yaml: no red flags for {', '.join(missing)}")
    return model


def floor_items(procedures: tuple[Procedure, ...]) -> tuple[FloorItem, ...]:
    """Return the red flags a protocol covering these procedures must ask (each once).

    Args:
        procedures: The procedures a protocol file covers.

    Returns:
        The red flags, in the order of ``floor.yaml``, without repeats.
    """
    seen: dict[str, FloorItem] = {}
    for procedure in procedures:
        for item in _floor().procedures[procedure]:
            seen.setdefault(item.key, item)
    return tuple(seen.values())


def floor_source(source_id: str) -> Source:
    """Return a source the red flags cite (``floor.yaml`` checks every cited id exists).

    Args:
        source_id: The ``source`` of a :class:`FloorItem`.

    Returns:
        The source, ``supports`` saying what the floor takes from it.

    Raises:
        KeyError: No such source in ``floor.yaml``.
    """
    found = _floor().sources[source_id]
    supports = "the red flags every protocol file must ask (recovery/floor.yaml)"
    return Source(source_id, found.title, found.url, found.citation, supports)


def check_floor(model: ProtocolModel) -> list[Problem]:
    """Check that every red flag of the file's procedures is asked and urgent on every day.

    Args:
        model: A protocol that passed every other check.

    Returns:
        One problem per red flag that fails, naming it and the first day it fails.
    """
    days = [
        day
        for block in model.checkin_schedule
        for day in range(block.start, min(block.end, model.recovery_window_days) + 1, block.every)
    ]
    items = floor_items(model.procedures)
    return [problem for item in items for problem in _item(model, item, days)]


def _item(model: ProtocolModel, item: FloorItem, days: list[int]) -> Iterator[Problem]:
    name = f"red flag '{item.key}' ({item.sign}, from the seed)"
    for trigger in item.fires:
        found = [(i, q) for i, q in enumerate(model.questions) if q.key == trigger.question]
        if not found:
            yield ("questions",), f"{name} needs the question '{trigger.question}'"
            return
        i, question = found[0]
        off = [d for d in days if not _asks(question, d)]
        if off:
            yield ("questions", i, "days"), f"{name} is not asked on day {off[0]}"
            return
        options = {o.value for o in options_of(question)}
        for value in trigger.values():
            if value not in options:
                reason = f"{name} needs the option '{value}' of '{question.key}'"
                yield ("questions", i, "options"), reason
                return
            for day in days:
                firing = _firing(model, question.key, value, day)
                level = Level.max(*(model.rules[j].level for j in firing))
                if level < Level.URGENT:
                    reason = (
                        f"{name}: the answer '{value}' to '{question.key}' must be urgent or "
                        f"higher on day {day}, but is {level}"
                    )
                    yield (("rules", firing[0], "level") if firing else ("rules",)), reason
                    return


def _asks(question: QuestionModel, day: int) -> bool:
    return question.days.start <= day and (question.days.end is None or day <= question.days.end)


def _firing(model: ProtocolModel, key: str, value: str, day: int) -> list[int]:
    return [
        j
        for j, rule in enumerate(model.rules)
        if rule.when.question == key
        and (rule.when.after_day is None or day > rule.when.after_day)
        and _fires(rule.when, value)
    ]


def _fires(when: WhenModel, value: str) -> bool:
    if when.in_ is not None:
        return value in when.in_
    if not value.isdigit():
        return False
    score = int(value)
    if when.gte is not None:
        return score >= when.gte
    return when.lte is not None and score <= when.lte
