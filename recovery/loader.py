"""Read protocol files (YAML), validate them and build immutable ``Protocol`` objects.

YAML is read with YAML 1.2 booleans: only ``true``/``false`` are booleans, so ``yes``/``no``
stay strings (``in: [yes]`` means the answer "yes"). A key given twice in one mapping is an error.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from recovery.approval import Approval, content_hash, read_approval
from recovery.checks import check_protocol, options_of
from recovery.errors import ProtocolError
from recovery.floor import check_floor
from recovery.protocol import Protocol, ProtocolSet
from recovery.schema import DaysModel, ProtocolModel, WhenModel
from recovery.types import (
    Condition,
    DayRange,
    ExpectedPain,
    GuidanceItem,
    Level,
    Milestone,
    Option,
    Procedure,
    Question,
    Rule,
    ScheduleBlock,
    Source,
)

__all__ = ["PROTOCOLS_DIR", "load_protocol_file", "load_protocols"]

PROTOCOLS_DIR = Path(__file__).parent / "protocols"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """Safe loader with YAML 1.2 booleans and duplicate-key detection."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_protocols(directory: Path | None = None) -> ProtocolSet:
    """Load every ``*.yaml`` protocol in a directory.

    Args:
        directory: Where the files are; defaults to the package's ``protocols/`` directory.

    Returns:
        The protocols, ordered by family.

    Raises:
        ProtocolError: A file is broken, two files cover the same procedure or family, or a
            procedure has no protocol.
    """
    folder = PROTOCOLS_DIR if directory is None else directory
    files = sorted(folder.glob("*.yaml"))
    protocols = [load_protocol_file(path) for path in files]
    owner: dict[Procedure, str] = {}
    families: set[str] = set()
    for protocol in protocols:
        if protocol.family in families:
            raise ProtocolError(
                protocol.file, "family", f"family '{protocol.family}' is defined twice"
            )
        families.add(protocol.family)
        for procedure in protocol.procedures:
            if procedure in owner:
                reason = f"'{procedure}' is already covered by {owner[procedure]}"
                raise ProtocolError(protocol.file, "procedures", reason)
            owner[procedure] = protocol.file
    missing = [p.value for p in Procedure if p not in owner]
    if missing:
        raise ProtocolError(str(folder), "procedures", f"no protocol covers: {', '.join(missing)}")
    return ProtocolSet(tuple(sorted(protocols, key=lambda p: p.family)))


def load_protocol_file(path: Path) -> Protocol:
    """Read, validate and build one protocol file.

    Args:
        path: The YAML file.

    Returns:
        The validated, immutable protocol.

    Raises:
        ProtocolError: The file cannot be read, is not valid YAML, fails validation (the
            safety floor of ``recovery.floor`` included), or its approval record is malformed; the
            error names the file, the location (field path or line) and the reason.
    """
    name = path.name
    try:
        data_bytes = path.read_bytes()
        text = data_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(name, "file", f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = f"line {mark.line + 1}" if mark is not None else "file"
        raise ProtocolError(name, location, exc.problem or "invalid YAML") from exc
    except yaml.YAMLError as exc:
        raise ProtocolError(name, "file", f"invalid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ProtocolError(name, "file", "the file must be a mapping of fields (family, ...)")
    try:
        model = ProtocolModel.model_validate(data)
    except ValidationError as exc:
        problems = [(tuple(err["loc"]), _describe(err)) for err in exc.errors()]
        _raise(name, text, problems)
    _raise(name, text, check_protocol(model) or check_floor(model))
    return _build(model, name, content_hash(data_bytes), read_approval(path))


def _raise(name: str, text: str, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
    if not problems:
        return
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    rendered = []
    for loc, reason in problems:
        line = _line_of(root, loc)
        rendered.append((_path(loc), f"{reason} (line {line})" if line else reason))
    raise ProtocolError(name, rendered[0][0], rendered[0][1], tuple(rendered))


def _describe(err: ErrorDetails) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"]).removeprefix("Value error, ")


def _path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _line_of(node: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _days(days: DaysModel) -> DayRange:
    return DayRange(days.start, days.end)


def _condition(when: WhenModel) -> Condition:
    after = when.after_day
    if when.pain_trend is not None:
        t = when.pain_trend
        return Condition(
            "pain_trend",
            t.question,
            gte=t.gte,
            checkins=t.checkins,
            points=t.points,
            min_slope=t.min_slope,
            after_day=after,
        )
    if when.pain_jump is not None:
        j = when.pain_jump
        return Condition("pain_jump", j.question, points=j.points, after_day=after)
    if when.pain_not_easing_after_day is not None:
        n = when.pain_not_easing_after_day
        return Condition("pain_not_easing", n.question, day=n.day, gte=n.gte, after_day=after)
    if when.unclear_answers:
        return Condition("unclear")
    values = frozenset(when.in_ or ())
    return Condition("answer", when.question, values, when.gte, when.lte, after_day=after)


def _build(model: ProtocolModel, name: str, sha256: str, approval: Approval | None) -> Protocol:
    questions = tuple(
        Question(
            key=q.key,
            text=q.text,
            kind=q.kind,
            options=tuple(Option(o.value, o.label) for o in options_of(q)),
            source=q.source,
            days=_days(q.days),
            emergency_screen=q.emergency_screen,
            short=q.short or "",
        )
        for q in model.questions
    )
    return Protocol(
        family=model.family,
        procedures=model.procedures,
        version=model.version,
        status=model.status,
        reviewed_by=model.reviewed_by,
        recovery_window_days=model.recovery_window_days,
        schedule=tuple(ScheduleBlock(b.start, b.end, b.every) for b in model.checkin_schedule),
        actions=MappingProxyType(
            {
                Level.EMERGENCY: model.action_text.emergency,
                Level.URGENT: model.action_text.urgent,
                Level.ATTENTION: model.action_text.attention,
            }
        ),
        sources=MappingProxyType(
            {s.id: Source(s.id, s.title, s.url, s.citation, s.supports) for s in model.sources}
        ),
        questions=questions,
        rules=tuple(
            Rule(r.key, r.level, _condition(r.when), r.reason, r.source) for r in model.rules
        ),
        guidance=tuple(
            GuidanceItem(g.key, _days(g.days), g.text, g.source) for g in model.guidance
        ),
        milestones=tuple(Milestone(m.key, m.day, m.text, m.source) for m in model.milestones),
        expected_pain=tuple(
            ExpectedPain(_days(e.days), e.low, e.high, e.source) for e in model.expected_pain
        ),
        file=name,
        content_hash=sha256,
        approval=approval,
    )
