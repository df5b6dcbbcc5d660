"""Per-language overlays of a protocol: ``protocols/<family>.<language>.yaml``.

An overlay gives, keyed by the protocol's own keys, every text a patient reads: the action
texts, each question's text, short title and option labels (scale options are digits and are
not translated), each rule's reason, each guidance item and milestone, and the name of each
red flag of the safety floor the protocol's procedures must ask (``floor``, keyed as
``recovery/floor.yaml``; shown to the care team with the protocol). It has its own status,
translator and reviewer, and its own sign-off record (``FILE.approval.json``, the sha256 of its
bytes, see :mod:`recovery.approval`): a translation is a draft until a fluent clinician approves
it. The overlay is refused when a key is missing or unknown, a text is too long (a button label
over 24 characters), its ``{placeholders}`` differ from the English text's, or it states a dose
or names a medicine (:mod:`recovery.texts`).
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recovery.approval import Approval, SignedFile, content_hash, read_approval
from recovery.checks import sign_off_problems
from recovery.floor import floor_items
from recovery.protocol import Protocol
from recovery.texts import DOSE, DRUG_NAMES, Loc, Problem
from recovery.types import Level, Option, QuestionKind, Reason
from recovery.yamlfile import describe_error, raise_problems, read_yaml

__all__ = ["Overlay", "apply_overlay", "is_overlay_file", "load_overlay_file", "localize_reasons"]

# The longest text each field may have (the protocol schema's limits).
LABEL_CHARS, SHORT_CHARS, QUESTION_CHARS, REASON_CHARS, TEXT_CHARS = 24, 16, 400, 120, 500


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionOverlay(_Model):
    """One question's texts; ``options`` maps option value -> button label."""

    text: str = Field(min_length=1)
    short: str | None = Field(default=None, min_length=1)
    options: dict[str, str] = {}


class ActionsOverlay(_Model):
    """What the patient is told to do at each level."""

    emergency: str = Field(min_length=1)
    urgent: str = Field(min_length=1)
    attention: str = Field(min_length=1)


class OverlayModel(_Model):
    """A whole overlay file."""

    language: str = Field(pattern=r"^[a-z]{2}$")
    protocol: str
    status: str
    translator: str = Field(min_length=1, max_length=120)
    reviewed_by: str | None
    action_text: ActionsOverlay
    questions: dict[str, QuestionOverlay]
    rules: dict[str, str]
    guidance: dict[str, str] = {}
    milestones: dict[str, str] = {}
    floor: dict[str, str] = {}


@dataclass(frozen=True)
class Overlay(SignedFile):
    """Which translation a localized protocol carries, and its sign-off."""

    language: str
    file: str
    translator: str
    status: str  # as the file says (draft, approved)
    reviewed_by: str | None  # the fluent clinician named in the file
    content_hash: str
    approval: Approval | None


def is_overlay_file(path: Path) -> bool:
    """True for ``<family>.<language>.yaml`` (a protocol file's stem has no dot)."""
    return path.suffix == ".yaml" and path.stem.count(".") == 1


def load_overlay_file(path: Path, base: Protocol) -> Protocol:
    """Read and validate an overlay of ``base`` and return ``base`` in the overlay's language.

    Args:
        path: The overlay file, ``<family>.<language>.yaml``.
        base: The protocol it translates (loaded and validated).

    Returns:
        The protocol with every patient-facing text replaced; rules, days and values unchanged.

    Raises:
        ProtocolError: The file is unreadable or invalid; the error names the file and the key.
    """
    name = path.name
    data, text, data_bytes = read_yaml(path)
    try:
        model = OverlayModel.model_validate(data)
    except ValidationError as exc:
        raise_problems(name, text, [(tuple(e["loc"]), describe_error(e)) for e in exc.errors()])
        raise  # pragma: no cover - raise_problems always raises for a non-empty list
    raise_problems(name, text, [*_header(model, path, base), *_check(model, base)])
    overlay = Overlay(
        language=model.language,
        file=name,
        translator=model.translator,
        status=model.status,
        reviewed_by=model.reviewed_by,
        content_hash=content_hash(data_bytes),
        approval=read_approval(path),
    )
    return apply_overlay(base, model, overlay)


def _header(model: OverlayModel, path: Path, base: Protocol) -> Iterator[Problem]:
    family, language = path.stem.split(".")
    if model.language != language:
        yield ("language",), f"is '{model.language}' but the file name says '{language}'"
    if model.protocol != base.family or family != base.family:
        yield ("protocol",), f"must be '{base.family}' (the protocol this file translates)"
    yield from sign_off_problems(model.status, model.reviewed_by, "translation")


def _expected(base: Protocol) -> Iterator[tuple[Loc, str, int]]:
    """Every translatable text of ``base``: (overlay path, English text, longest allowed)."""
    for level in (Level.EMERGENCY, Level.URGENT, Level.ATTENTION):
        yield ("action_text", level.value), base.action_text(level), TEXT_CHARS
    for q in base.questions:
        yield ("questions", q.key, "text"), q.text, QUESTION_CHARS
        if q.short:
            yield ("questions", q.key, "short"), q.short, SHORT_CHARS
        if q.kind is not QuestionKind.SCALE:
            for option in q.options:
                yield ("questions", q.key, "options", option.value), option.label, LABEL_CHARS
    for r in base.rules:
        yield ("rules", r.key), r.reason, REASON_CHARS
    for g in base.guidance:
        yield ("guidance", g.key), g.text, TEXT_CHARS
    for m in base.milestones:
        yield ("milestones", m.key), m.text, TEXT_CHARS
    for item in floor_items(base.procedures):
        yield ("floor", item.key), item.sign, REASON_CHARS


def _given(model: OverlayModel) -> dict[Loc, str]:
    given: dict[Loc, str] = {
        ("action_text", "emergency"): model.action_text.emergency,
        ("action_text", "urgent"): model.action_text.urgent,
        ("action_text", "attention"): model.action_text.attention,
    }
    for key, q in model.questions.items():
        given["questions", key, "text"] = q.text
        if q.short is not None:
            given["questions", key, "short"] = q.short
        given.update({("questions", key, "options", v): label for v, label in q.options.items()})
    for section in ("rules", "guidance", "milestones", "floor"):
        given.update({(section, k): v for k, v in getattr(model, section).items()})
    return given


def _fields(text: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"?"}


def _check(model: OverlayModel, base: Protocol) -> Iterator[Problem]:
    given = _given(model)
    expected = {loc: (english, longest) for loc, english, longest in _expected(base)}
    for loc in expected.keys() - given.keys():
        yield loc, "missing: every text of the protocol needs its translation"
    for loc in sorted(given.keys() - expected.keys(), key=str):
        yield loc, "unknown key (not in the protocol, check the spelling)"
    for loc, (english, longest) in expected.items():
        translated = given.get(loc)
        if translated is None:
            continue
        if len(translated) > longest:
            yield loc, f"is {len(translated)} characters long (at most {longest})"
        if _fields(translated) != _fields(english):
            want = ", ".join(sorted(f"{{{f}}}" for f in _fields(english))) or "no placeholders"
            yield loc, f"placeholders differ from the protocol's text (it has {want})"
        if DOSE.search(translated):
            yield loc, "texts must not state a dose or amount of medicine"
        if DRUG_NAMES.search(translated):
            yield loc, "texts must not name a specific medicine"


def apply_overlay(base: Protocol, model: OverlayModel, overlay: Overlay) -> Protocol:
    """``base`` with the texts of a validated overlay (internal to the loader and its tests)."""
    qs = model.questions
    questions = tuple(
        replace(
            q,
            text=qs[q.key].text,
            short=qs[q.key].short or q.short,
            options=tuple(
                Option(o.value, qs[q.key].options.get(o.value, o.label)) for o in q.options
            ),
        )
        for q in base.questions
    )
    actions = {
        Level.EMERGENCY: model.action_text.emergency,
        Level.URGENT: model.action_text.urgent,
        Level.ATTENTION: model.action_text.attention,
    }
    return replace(
        base,
        questions=questions,
        actions=MappingProxyType(actions),
        rules=tuple(replace(r, reason=model.rules[r.key]) for r in base.rules),
        guidance=tuple(replace(g, text=model.guidance[g.key]) for g in base.guidance),
        milestones=tuple(replace(m, text=model.milestones[m.key]) for m in base.milestones),
        language=model.language,
        overlay=overlay,
        floor_signs=MappingProxyType(dict(model.floor)),
    )


def localize_reasons(protocol: Protocol, reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Reasons with the texts of ``protocol``'s rules (those of other kinds unchanged).

    Args:
        protocol: The protocol in the reader's language.
        reasons: Reasons found by triage on the protocol in any language.

    Returns:
        The same reasons, each rule's phrase in ``protocol``'s language.
    """
    texts: Mapping[str, str] = {r.key: r.reason for r in protocol.rules}
    return tuple(replace(r, text=texts.get(r.key, r.text)) for r in reasons)
