"""The immutable, validated protocol of one procedure family, and the set of all protocols."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from recovery.approval import Approval, SignedFile
from recovery.types import (
    ExpectedPain,
    GuidanceItem,
    Level,
    Milestone,
    Procedure,
    Question,
    Rule,
    ScheduleBlock,
    Source,
)

if TYPE_CHECKING:
    from recovery.overlay import Overlay

__all__ = ["Protocol", "ProtocolSet"]


@dataclass(frozen=True, eq=False)
class Protocol(SignedFile):
    """Questions, triage rules, guidance and milestones of one procedure family.

    Built by ``recovery.loader`` from a validated protocol file; never construct it by hand in
    production code. All methods are pure and accept any integer day (negative days or days past
    the window simply match nothing that is not open-ended).
    """

    family: str
    procedures: tuple[Procedure, ...]
    version: str
    status: str
    reviewed_by: str | None
    recovery_window_days: int
    schedule: tuple[ScheduleBlock, ...]
    actions: Mapping[Level, str]
    sources: Mapping[str, Source]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    guidance: tuple[GuidanceItem, ...]
    milestones: tuple[Milestone, ...]
    expected_pain: tuple[ExpectedPain, ...] = ()
    file: str = ""
    content_hash: str = ""
    approval: Approval | None = None
    language: str = "en"  # the language of the texts (an overlay's, or the file's English)
    overlay: Overlay | None = None  # the translation applied, None for the English file
    # the safety floor's red-flag signs in ``language`` (recovery/floor.yaml is English)
    floor_signs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    _by_key: Mapping[str, Question] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", MappingProxyType({q.key: q for q in self.questions}))

    def questions_for(self, post_op_day: int) -> tuple[Question, ...]:
        """Return the questions to ask on a day, the emergency screen first, then in file order.

        Args:
            post_op_day: Days since surgery (day of surgery = 0).

        Returns:
            The day's questions; empty before day 0.
        """
        active = [q for q in self.questions if q.days.contains(post_op_day)]
        return tuple(sorted(active, key=lambda q: not q.emergency_screen))

    def question(self, key: str) -> Question | None:
        """Return the question with this key (on any day), or None.

        Args:
            key: A question key.

        Returns:
            The question or None when the key is unknown.
        """
        return self._by_key.get(key)

    @property
    def emergency_screen(self) -> Question:
        """The emergency screen question (the loader guarantees there is exactly one)."""
        return next(q for q in self.questions if q.emergency_screen)

    def guidance_for(self, post_op_day: int) -> tuple[str, ...]:
        """Return the guidance texts for a day, in file order.

        Args:
            post_op_day: Days since surgery.

        Returns:
            The texts of every guidance item whose days include the day.
        """
        return tuple(g.text for g in self.guidance if g.days.contains(post_op_day))

    def expected_pain_on(self, post_op_day: int) -> ExpectedPain | None:
        """The usual pain range on a day (the first matching entry), or None."""
        return next((e for e in self.expected_pain if e.days.contains(post_op_day)), None)

    def milestones_on(self, post_op_day: int) -> tuple[Milestone, ...]:
        """Return the milestones that fall on a day.

        Args:
            post_op_day: Days since surgery.

        Returns:
            The milestones whose ``day`` equals the day, in file order.
        """
        return tuple(m for m in self.milestones if m.day == post_op_day)

    def is_checkin_day(self, post_op_day: int) -> bool:
        """Tell whether a check-in is planned on a day (the taper of ``checkin_schedule``).

        Args:
            post_op_day: Days since surgery.

        Returns:
            True when the day is inside the recovery window and one of the schedule blocks.
        """
        if not 0 <= post_op_day <= self.recovery_window_days:
            return False
        return any(block.contains(post_op_day) for block in self.schedule)

    def checkin_days(self) -> tuple[int, ...]:
        """Return every planned check-in day, in order."""
        return tuple(d for d in range(self.recovery_window_days + 1) if self.is_checkin_day(d))

    def action_text(self, level: Level) -> str:
        """Return what the patient is told to do at a level.

        The emergency text holds the placeholder ``{emergency_number}``: format it with
        ``text.format(emergency_number=...)``.

        Args:
            level: A triage level.

        Returns:
            The action text; an empty string for OK.
        """
        return self.actions.get(level, "")


@dataclass(frozen=True, eq=False)
class ProtocolSet:
    """All loaded protocols; every procedure has exactly one (checked at load).

    ``translations`` maps (family, language) to the protocol in that language; every family has
    the same languages (checked at load).
    """

    protocols: tuple[Protocol, ...]
    translations: Mapping[tuple[str, str], Protocol] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def languages(self) -> frozenset[str]:
        """The languages the protocols are translated into (English, the files', not included)."""
        return frozenset(language for _, language in self.translations)

    def for_procedure(self, procedure: Procedure, language: str | None = None) -> Protocol:
        """Return the protocol that covers a procedure, in a language.

        Args:
            procedure: The operation the patient had.
            language: The reader's language; None, English or a language without overlays
                gives the protocol file's own (English) texts.

        Returns:
            The protocol of that procedure's family, its texts in ``language`` when translated.

        Raises:
            KeyError: No protocol covers the procedure (impossible for a set from the loader).
        """
        for protocol in self.protocols:
            if procedure in protocol.procedures:
                return self.in_language(protocol, language)
        raise KeyError(procedure)

    def in_language(self, protocol: Protocol, language: str | None) -> Protocol:
        """Return a loaded protocol with its texts in ``language`` (its own where untranslated).

        Args:
            protocol: One of :meth:`all`, in the file's own texts.
            language: The reader's language (None or English: the file's texts).

        Returns:
            The overlay's protocol for that language, else ``protocol`` itself.
        """
        return self.translations.get((protocol.family, language or ""), protocol)

    def all(self) -> tuple[Protocol, ...]:
        """Return every protocol, ordered by family name."""
        return self.protocols
