"""Read protocol files (YAML), validate them and build immutable ``Protocol`` objects.

YAML is read with YAML 1.2 booleans: only ``true``/``false`` are booleans, so ``yes``/``no``
stay strings (``in: [yes]`` means the answer "yes"). A key given twice in one mapping is an error.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from pydantic import ValidationError

from recovery.approval import Approval, content_hash, read_approval
from recovery.checks import check_protocol, options_of
from recovery.errors import ProtocolError
from recovery.floor import check_floor
from recovery.overlay import is_overlay_file, load_overlay_file
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
from recovery.yamlfile import describe_error, raise_problems, read_yaml

__all__ = ["PROTOCOLS_DIR", "load_protocol_file", "load_protocols"]

PROTOCOLS_DIR = Path(__file__).parent / "protocols"


def load_protocols(directory: Path | None = None) -> ProtocolSet:
    """Load every ``*.yaml`` protocol in a directory, and its language overlays.

    ``<family>.yaml`` is a protocol; ``<family>.<language>.yaml`` an overlay of it
    (:mod:`recovery.overlay`). Every family must have overlays in the same languages.

    Args:
        directory: Where the files are; defaults to the package's ``protocols/`` directory.

    Returns:
        The protocols, ordered by family.

    Raises:
        ProtocolError: A file is broken, two files cover the same procedure or family, or a
            procedure has no protocol, an overlay translates no protocol, or a family lacks
            a language the others have.
    """
    folder = PROTOCOLS_DIR if directory is None else directory
    files = sorted(p for p in folder.glob("*.yaml") if "." not in p.stem)
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
    return ProtocolSet(
        tuple(sorted(protocols, key=lambda p: p.family)), _translations(folder, protocols)
    )


def _translations(
    folder: Path, protocols: list[Protocol]
) -> MappingProxyType[tuple[str, str], Protocol]:
    by_stem = {Path(p.file).stem: p for p in protocols}
    out: dict[tuple[str, str], Protocol] = {}
    for path in sorted(p for p in folder.glob("*.yaml") if is_overlay_file(p)):
        stem, language = path.stem.split(".")
        base = by_stem.get(stem)
        if base is None:
            raise ProtocolError(path.name, "file", f"translates no protocol ({stem}.yaml)")
        out[base.family, language] = load_overlay_file(path, base)
    languages = {language for _, language in out}
    for protocol in protocols:
        for language in sorted(languages):
            if (protocol.family, language) not in out:
                stem = Path(protocol.file).stem
                reason = f"{stem}.{language}.yaml is missing (other protocols have '{language}')"
                raise ProtocolError(protocol.file, "translations", reason)
    return MappingProxyType(out)


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
    data, text, data_bytes = read_yaml(path)
    try:
        model = ProtocolModel.model_validate(data)
    except ValidationError as exc:
        problems = [(tuple(err["loc"]), describe_error(err)) for err in exc.errors()]
        raise_problems(name, text, problems)
    raise_problems(name, text, check_protocol(model) or check_floor(model))
    return _build(model, name, content_hash(data_bytes), read_approval(path))


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
