"""The protocols for the care team's web console (the Protocol page): pure data, no database.

For every loaded protocol: its file, version, sign-off and hash, the procedures it covers, its
questions (with the check-in days each is asked), its rules (what triggers which level, the
reason and the cited source), its sources, and the safety floor's red flags for its
procedures with the rules that keep them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recovery import Level, Option, Protocol, Rule, Source
from recovery.describe import describe_condition
from recovery.floor import FloorItem, floor_items, floor_source
from recovery.overlay import Overlay
from services.context import Services

__all__ = [
    "FloorSummary",
    "ProtocolSummary",
    "QuestionSummary",
    "RuleSummary",
    "protocol_summaries",
    "summarize_protocol",
]


@dataclass(frozen=True)
class QuestionSummary:
    """A check-in question: ``short`` is the care team's label, ``asked_on`` the check-in days
    (post-operative) it is asked on; ``last_day`` None means until the end of the window."""

    key: str
    text: str
    short: str
    kind: str
    emergency_screen: bool
    options: tuple[Option, ...]
    first_day: int
    last_day: int | None
    asked_on: tuple[int, ...]
    source: Source


@dataclass(frozen=True)
class RuleSummary:
    """A triage rule: when ``trigger`` holds (in words), the check-in is at least ``level``
    and the care team and patient read ``reason``; ``source`` is where the rule comes from."""

    key: str
    level: Level
    question: str | None  # the question it reads (None: the unclear-answers rule)
    trigger: str
    reason: str
    source: Source


@dataclass(frozen=True)
class FloorSummary:
    """A red flag of the safety floor: the protocol must raise it at urgent or higher on every
    check-in day; ``rules`` are this protocol's urgent-or-higher rules that these answers
    trigger."""

    key: str
    sign: str
    triggers: tuple[str, ...]  # e.g. "fever in [yes]", "pain >= 8"
    rules: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class ProtocolSummary:
    """One loaded protocol file as the Protocol page shows it.

    ``status`` is ``approved`` only when a clinician's sign-off record matches the file's
    bytes (``sha256``); ``reviewer`` and ``reviewed_on`` come from that record, also when the
    file was edited after it (``sign_off`` says so in words). ``note`` is the file's own
    ``status`` field, a note for readers.
    """

    family: str
    version: str
    file: str
    status: str  # "approved" or "draft"
    sign_off: str
    reviewer: str | None
    reviewed_on: date | None
    note: str
    sha256: str
    procedures: tuple[str, ...]
    recovery_window_days: int
    checkin_days: tuple[int, ...]
    questions: tuple[QuestionSummary, ...]
    rules: tuple[RuleSummary, ...]
    sources: tuple[Source, ...]
    floor: tuple[FloorSummary, ...]
    translation: Overlay | None = None  # the overlay the texts come from (None: the file's)


def protocol_summaries(services: Services, language: str | None = None) -> list[ProtocolSummary]:
    """Every loaded protocol (built-in or from ``PROTOCOL_DIR``), ordered by family.

    Args:
        services: the service context (its protocols).
        language: the reader's language: questions, answers and reasons from the protocol's
            overlay in it (None or English: the file's own texts).

    Returns:
        One summary per protocol.
    """
    protocols = services.protocols
    return [summarize_protocol(p, protocols.in_language(p, language)) for p in protocols.all()]


def summarize_protocol(protocol: Protocol, shown: Protocol | None = None) -> ProtocolSummary:
    """One protocol as plain data for the Protocol page.

    Args:
        protocol: a loaded protocol.
        shown: the same protocol in the reader's language (its overlay); None: ``protocol``.

    Returns:
        Its summary: the file, its sign-off and rules as loaded; the texts of ``shown``.
    """
    shown = shown or protocol
    texts = {q.key: q for q in shown.questions}
    reasons = {r.key: r.reason for r in shown.rules}
    days = protocol.checkin_days()
    approval = protocol.approval
    return ProtocolSummary(
        family=protocol.family,
        version=protocol.version,
        file=protocol.file,
        status="approved" if protocol.approved else "draft",
        sign_off=protocol.sign_off,
        reviewer=approval.reviewer if approval else None,
        reviewed_on=approval.date if approval else None,
        note=protocol.status,
        sha256=protocol.content_hash,
        procedures=tuple(str(p) for p in protocol.procedures),
        recovery_window_days=protocol.recovery_window_days,
        checkin_days=days,
        questions=tuple(
            QuestionSummary(
                key=q.key,
                text=texts[q.key].text,
                short=texts[q.key].title,
                kind=str(q.kind),
                emergency_screen=q.emergency_screen,
                options=texts[q.key].options,
                first_day=q.days.start,
                last_day=q.days.end,
                asked_on=tuple(d for d in days if q.days.contains(d)),
                source=protocol.sources[q.source],
            )
            for q in protocol.questions
        ),
        rules=tuple(
            RuleSummary(
                key=r.key,
                level=r.level,
                question=r.condition.question,
                trigger=describe_condition(r.condition),
                reason=reasons[r.key],
                source=protocol.sources[r.source],
            )
            for r in protocol.rules
        ),
        sources=tuple(protocol.sources.values()),
        floor=tuple(
            _floor(item, protocol.rules, shown.floor_signs.get(item.key, item.sign))
            for item in floor_items(protocol.procedures)
        ),
        translation=shown.overlay,
    )


def _floor(item: FloorItem, rules: tuple[Rule, ...], sign: str) -> FloorSummary:
    """One red flag: its ``sign`` in the reader's language, what fires it, which rules keep it."""
    triggers = tuple(
        f"{t.question} in [{', '.join(t.in_)}]" if t.in_ is not None else f"{t.question} >= {t.gte}"
        for t in item.fires
    )
    keeping = tuple(
        rule.key
        for rule in rules
        if rule.level >= Level.URGENT
        and any(_fires(rule, t.question, t.values()) for t in item.fires)
    )
    return FloorSummary(item.key, sign, triggers, keeping, floor_source(item.source))


def _fires(rule: Rule, question: str, values: tuple[str, ...]) -> bool:
    """Whether the rule fires on one of these answers to the question (answer rules only)."""
    cond = rule.condition
    if cond.kind != "answer" or cond.question != question:
        return False
    if cond.values:
        return bool(cond.values & set(values))
    scores = [int(v) for v in values if v.isdigit()]
    return any(
        (cond.gte is None or s >= cond.gte) and (cond.lte is None or s <= cond.lte) for s in scores
    )
