"""Whole-file checks of a protocol, run after the field shapes in ``recovery.schema`` passed.

Each check yields ``(location, reason)`` where location is a tuple path such as
``("rules", 3, "when", "question")``. The safety floor lives here: a protocol without the
emergency screen, without an emergency rule for every emergency group, or without the rule for
missing/unsure answers is rejected, so data cannot switch these off.
"""

from __future__ import annotations

from collections.abc import Iterator

from recovery.schema import HISTORY_KINDS, OptionModel, ProtocolModel, QuestionModel, WhenModel
from recovery.texts import Loc, Problem, check_texts
from recovery.types import Level, QuestionKind

__all__ = [
    "DRAFT_STATUS",
    "EMERGENCY_GROUPS",
    "MAX_QUESTIONS_PER_DAY",
    "Problem",
    "check_protocol",
    "options_of",
    "sign_off_problems",
]

#: Option values the emergency screen must offer, one per sign of CLINICAL.md's emergency list
#: (fainting has its own button); each needs a rule at level emergency.
EMERGENCY_GROUPS = ("chest", "faint", "bladder", "legs", "drowsy")
MAX_QUESTIONS_PER_DAY = 8
DRAFT_STATUS = "draft - needs clinician sign-off"
APPROVED_STATUS = "approved"

_SCALE = tuple(OptionModel(value=str(n), label=str(n)) for n in range(11))
_YESNO = (
    OptionModel(value="yes", label="Yes"),
    OptionModel(value="no", label="No"),
    OptionModel(value="unsure", label="Not sure"),
)


def options_of(question: QuestionModel) -> tuple[OptionModel, ...]:
    """Return the options of a question, filling in the standard scale and yes/no options.

    Args:
        question: A validated question model.

    Returns:
        The given options, or "0".."10" for scales and yes/no/unsure for yes/no questions.
    """
    if question.options is not None:
        return question.options
    if question.kind is QuestionKind.SCALE:
        return _SCALE
    if question.kind is QuestionKind.YESNO:
        return _YESNO
    return ()


def check_protocol(model: ProtocolModel) -> list[Problem]:
    """Run every whole-file check.

    Args:
        model: A protocol whose fields already passed the schema.

    Returns:
        All problems found, in file order of the checks; empty when the protocol is usable.
    """
    checks = (_header, _keys, _sources, _options, _days, _rules, _emergency, _unclear, check_texts)
    return [problem for check in checks for problem in check(model)]


def sign_off_problems(status: str, reviewed_by: str | None, what: str) -> Iterator[Problem]:
    """A reviewed file's status and reviewer agree (``what``: "protocol", "translation")."""
    if status not in (DRAFT_STATUS, APPROVED_STATUS):
        yield ("status",), f"must be '{DRAFT_STATUS}' or '{APPROVED_STATUS}'"
    elif status == APPROVED_STATUS and not reviewed_by:
        yield ("reviewed_by",), f"an approved {what} needs the reviewer's name"
    elif status == DRAFT_STATUS and reviewed_by:
        yield ("status",), "reviewed_by is set: change status to 'approved' or clear reviewed_by"


def _header(model: ProtocolModel) -> Iterator[Problem]:
    yield from sign_off_problems(model.status, model.reviewed_by, "protocol")
    if len(set(model.procedures)) != len(model.procedures):
        yield ("procedures",), "a procedure is listed twice"
    previous_end = -1
    for i, block in enumerate(model.checkin_schedule):
        if block.start <= previous_end:
            yield ("checkin_schedule", i, "from"), "blocks must be in order and not overlap"
        if block.end > model.recovery_window_days:
            yield ("checkin_schedule", i, "to"), "ends after recovery_window_days"
        previous_end = block.end


def _keys(model: ProtocolModel) -> Iterator[Problem]:
    sections: dict[str, list[str]] = {
        "sources": [s.id for s in model.sources],
        "questions": [q.key for q in model.questions],
        "rules": [r.key for r in model.rules],
        "guidance": [g.key for g in model.guidance],
        "milestones": [m.key for m in model.milestones],
    }
    for section, keys in sections.items():
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in seen:
                field = "id" if section == "sources" else "key"
                yield (section, i, field), f"'{key}' is used twice"
            seen.add(key)


def _sources(model: ProtocolModel) -> Iterator[Problem]:
    known = {s.id for s in model.sources}
    cited: list[tuple[str, list[str]]] = [
        ("questions", [q.source for q in model.questions]),
        ("rules", [r.source for r in model.rules]),
        ("guidance", [g.source for g in model.guidance]),
        ("milestones", [m.source for m in model.milestones]),
        ("expected_pain", [e.source for e in model.expected_pain]),
    ]
    for section, sources in cited:
        for i, source in enumerate(sources):
            if source not in known:
                yield (section, i, "source"), f"unknown source '{source}' (not in sources)"


def _options(model: ProtocolModel) -> Iterator[Problem]:
    for i, q in enumerate(model.questions):
        values = [o.value for o in options_of(q)]
        if len(set(values)) != len(values):
            yield ("questions", i, "options"), "an option value is used twice"
        if q.kind is QuestionKind.SCALE and values != [str(n) for n in range(11)]:
            yield ("questions", i, "options"), "a scale question has the options 0..10 (omit them)"
        if q.kind is QuestionKind.YESNO and sorted(values) != ["no", "unsure", "yes"]:
            yield ("questions", i, "options"), "a yes/no question has the values yes, no, unsure"
        if q.kind is QuestionKind.CHOICE and len(values) < 2:
            yield ("questions", i, "options"), "a choice question needs at least two options"


def _days(model: ProtocolModel) -> Iterator[Problem]:
    window = model.recovery_window_days
    starts = [
        ("questions", [q.days.start for q in model.questions]),
        ("guidance", [g.days.start for g in model.guidance]),
    ]
    for section, days in starts:
        for i, start in enumerate(days):
            if start > window:
                yield (section, i, "days", "from"), f"starts after the window (day {window})"
    for i, milestone in enumerate(model.milestones):
        if milestone.day > window:
            yield ("milestones", i, "day"), f"after the recovery window (day {window})"
    for day in range(window + 1):
        count = sum(
            1
            for q in model.questions
            if q.days.start <= day and (q.days.end is None or day <= q.days.end)
        )
        if count > MAX_QUESTIONS_PER_DAY:
            reason = f"day {day} has {count} questions (at most {MAX_QUESTIONS_PER_DAY})"
            yield ("questions",), reason
            return


def _rules(model: ProtocolModel) -> Iterator[Problem]:
    questions = {q.key: q for q in model.questions}
    for i, rule in enumerate(model.rules):
        for path, key, needs_scale in _referenced(rule.when):
            loc: Loc = ("rules", i, "when", *path)
            question = questions.get(key)
            if question is None:
                yield loc, f"unknown question '{key}'"
            elif needs_scale and question.kind is not QuestionKind.SCALE:
                yield loc, f"'{key}' is not a scale question"
        question = questions.get(rule.when.question or "")
        if question is not None and rule.when.in_ is not None:
            values = {o.value for o in options_of(question)}
            for j, value in enumerate(rule.when.in_):
                if value not in values:
                    yield (
                        ("rules", i, "when", "in", j),
                        f"'{value}' is not an option of '{question.key}'",
                    )


def _referenced(when: WhenModel) -> Iterator[tuple[tuple[str, ...], str, bool]]:
    if when.question is not None:
        yield ("question",), when.question, when.in_ is None
    for name in HISTORY_KINDS:
        history = getattr(when, name)
        if history is not None:
            yield (name, "question"), history.question, True


def _emergency(model: ProtocolModel) -> Iterator[Problem]:
    screens = [(i, q) for i, q in enumerate(model.questions) if q.emergency_screen]
    if len(screens) != 1:
        yield (
            ("questions",),
            f"need exactly one question with emergency_screen: true, found {len(screens)}",
        )
        return
    i, screen = screens[0]
    if screen.kind is not QuestionKind.CHOICE:
        yield ("questions", i, "kind"), "the emergency screen must be a choice question"
    if screen.days.start != 0 or screen.days.end is not None:
        yield ("questions", i, "days"), "the emergency screen must run from day 0 with to: null"
    values = [o.value for o in options_of(screen)]
    for required in ("none", *EMERGENCY_GROUPS, "unsure"):
        if required not in values:
            yield ("questions", i, "options"), f"the emergency screen needs the option '{required}'"
    covered: dict[str, Level] = {}
    for rule in model.rules:
        when = rule.when
        if when.question == screen.key and when.in_ is not None and when.after_day is None:
            for value in when.in_:
                covered[value] = Level.max(covered.get(value, Level.OK), rule.level)
    for value in values:
        floor = Level.EMERGENCY if value in EMERGENCY_GROUPS else Level.URGENT
        if value != "none" and covered.get(value, Level.OK) < floor:
            yield (
                ("rules",),
                f"emergency screen option '{value}' needs a rule at level {floor} or higher",
            )


def _unclear(model: ProtocolModel) -> Iterator[Problem]:
    rules = [(i, r) for i, r in enumerate(model.rules) if r.when.unclear_answers]
    if len(rules) != 1:
        yield ("rules",), f"need exactly one rule with unclear_answers: true, found {len(rules)}"
    elif rules[0][1].when.after_day is not None:
        yield (
            ("rules", rules[0][0], "when", "after_day"),
            "the unclear-answers rule applies every day",
        )
