"""Typed, size-checked callback data: one frozen dataclass per button family.

Packed as ``prefix:field:field`` (at most 64 UTF-8 bytes, Telegram's limit). Values are ids
and small option indexes, never clinical values; the server re-checks that the presser may
act on the object named.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self, get_type_hints

__all__ = [
    "AckCb",
    "AlertOutcome",
    "AnswerCb",
    "CallbackData",
    "CallbackDataError",
    "CareAction",
    "CareCb",
    "ConfirmAction",
    "ConfirmCb",
    "ConfirmChoice",
    "EnrollCb",
    "FollowupCb",
    "FollowupChoice",
    "OutcomeCb",
    "PageCb",
    "MoreCb",
    "MoreTopic",
    "PageView",
    "unpack_any",
]

SEP = ":"
MAX_BYTES = 64
_INT = re.compile(r"-?[0-9]{1,10}")  # ASCII digits only: str.isdigit() also accepts "²"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # ids in callback data name int32 columns


class CallbackDataError(ValueError):
    """Callback data that does not decode (stale, forged or from another family)."""


@dataclass(frozen=True)
class CallbackData:
    """Base of the callback families; subclasses set ``prefix`` and declare int/str fields."""

    prefix: ClassVar[str]
    _families: ClassVar[dict[str, type[CallbackData]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.prefix in CallbackData._families:
            raise TypeError(f"callback prefix {cls.prefix!r} used twice")
        CallbackData._families[cls.prefix] = cls

    def pack(self) -> str:
        """Encode; raises ValueError on a separator in a value or when over 64 bytes."""
        values = [str(getattr(self, name)) for name in _names(type(self))]
        packed = SEP.join([self.prefix, *values])
        # one separator between values: none inside one; and no value is empty
        if packed.count(SEP) != len(values) or not all(values):
            raise ValueError(f"empty value or {SEP!r} in {values!r}")
        if len(packed) > MAX_BYTES or len(packed.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, data: str) -> Self:
        """Decode data of this family; raises CallbackDataError otherwise."""
        parts = data.split(SEP)
        layout = _layout(cls)
        if parts[0] != cls.prefix or len(parts) != len(layout) + 1:
            raise CallbackDataError("wrong family or field count")
        values: dict[str, Any] = {}
        for (name, kind), raw in zip(layout, parts[1:], strict=True):
            if kind is int:
                values[name] = _int(name, raw)
            elif isinstance(kind, type) and issubclass(kind, StrEnum):
                try:
                    values[name] = kind(raw)
                except ValueError:
                    raise CallbackDataError(f"{name} is not a known action") from None
            else:
                values[name] = raw
        return cls(**values)

    @classmethod
    def matches(cls, data: object) -> bool:
        """For PTB's callable ``pattern``: True when data decodes as this family."""
        if not isinstance(data, str):
            return False
        try:
            cls.unpack(data)
        except CallbackDataError:
            return False
        return True


_LAYOUTS: dict[type[CallbackData], tuple[tuple[str, object], ...]] = {}


def _layout(family: type[CallbackData]) -> tuple[tuple[str, object], ...]:
    """(name, type) of each field of a family, in order: read once, packed and unpacked often."""
    layout = _LAYOUTS.get(family)
    if layout is None:
        hints = get_type_hints(family)
        layout = tuple((field.name, hints[field.name]) for field in dataclasses.fields(family))
        _LAYOUTS[family] = layout
    return layout


_NAMES: dict[type[CallbackData], tuple[str, ...]] = {}


def _names(family: type[CallbackData]) -> tuple[str, ...]:
    """The field names of a family, in order."""
    names = _NAMES.get(family)
    if names is None:
        names = _NAMES[family] = tuple(name for name, _ in _layout(family))
    return names


def _int(name: str, raw: str) -> int:
    """An int field: ASCII digits with one optional leading '-', within the int32 range."""
    if _INT.fullmatch(raw) is None:
        raise CallbackDataError(f"{name} is not a number")
    value = int(raw)
    if not INT_MIN <= value <= INT_MAX:
        raise CallbackDataError(f"{name} is out of range")
    return value


def unpack_any(data: str) -> CallbackData:
    """Decode data of any family; raises CallbackDataError when none fits."""
    family = CallbackData._families.get(data.split(SEP, 1)[0])
    if family is None:
        raise CallbackDataError("unknown family")
    return family.unpack(data)


class FollowupChoice(StrEnum):
    """The patient's answers to "are you getting help?" (:class:`FollowupCb`)."""

    HELP = "help"
    OK = "ok"
    NEED = "need"


class ConfirmAction(StrEnum):
    """What a :class:`ConfirmCb` confirms."""

    DELETE = "delete"


class ConfirmChoice(StrEnum):
    """The two answers of a confirmation."""

    YES = "yes"
    NO = "no"


class CareAction(StrEnum):
    """The caregiver buttons (:class:`CareCb`); the target is named beside each."""

    ACCEPT = "acc"  # accept an invitation (target: the invitation id)
    PICK = "pick"  # whose check-in to answer (target: the care link id)
    REMOVE = "rm"  # the patient removes a caregiver or group (target: the care link id)
    ANSWER_ON = "ans1"  # allow answering for the patient (target: the care link id)
    ANSWER_OFF = "ans0"
    SUMMARY_ON = "sum1"  # send the daily summary (target: the care link id)
    SUMMARY_OFF = "sum0"
    LANGUAGE = "lang"  # a caregiver picks the language they read (target: its SUPPORTED index)


class PageView(StrEnum):
    """The operator screens a :class:`PageCb` turns the page of."""

    ALERTS = "al"
    PATIENTS = "pl"
    PATIENT = "pd"


class MoreTopic(StrEnum):
    """What a "More" button shows (:class:`MoreCb`)."""

    GUIDANCE = "g"  # the rest of a check-in's guidance (ref: the check-in id)
    DATA = "d"  # the consent's details about data (ref: 0)


@dataclass(frozen=True)
class MoreCb(CallbackData):
    """A "More" button under a shortened message."""

    prefix: ClassVar[str] = "mo"
    topic: MoreTopic
    ref: int


@dataclass(frozen=True)
class EnrollCb(CallbackData):
    """A choice during enrollment or /settings: the step and the option's token."""

    prefix: ClassVar[str] = "en"
    step: str
    choice: str


@dataclass(frozen=True)
class AnswerCb(CallbackData):
    """An answer button: check-in id, question position, option position."""

    prefix: ClassVar[str] = "a"
    checkin_id: int
    question: int
    option: int


@dataclass(frozen=True)
class AckCb(CallbackData):
    """An operator acknowledges an alert."""

    prefix: ClassVar[str] = "ak"
    alert_id: int


class AlertOutcome(StrEnum):
    """What was done about an acknowledged alert (:class:`OutcomeCb`); stored as the value."""

    CALLED = "called"  # called the patient
    URGENT_CARE = "urgent"  # advised urgent care / the emergency department
    VISIT = "visit"  # arranged a visit
    NO_ACTION = "none"  # no action needed
    UNREACHED = "unreached"  # could not reach the patient


@dataclass(frozen=True)
class OutcomeCb(CallbackData):
    """An operator records what was done about an acknowledged alert."""

    prefix: ClassVar[str] = "oc"
    alert_id: int
    outcome: AlertOutcome


@dataclass(frozen=True)
class FollowupCb(CallbackData):
    """The patient's answer to "are you getting help?" after an emergency answer."""

    prefix: ClassVar[str] = "fu"
    alert_id: int
    choice: FollowupChoice


@dataclass(frozen=True)
class ConfirmCb(CallbackData):
    """Yes/no confirmation of a consequential action (delete, stop...)."""

    prefix: ClassVar[str] = "cf"
    action: ConfirmAction
    choice: ConfirmChoice


@dataclass(frozen=True)
class CareCb(CallbackData):
    """Caregiver management: accept an invite, revoke a link, toggle answering."""

    prefix: ClassVar[str] = "cg"
    action: CareAction
    target: int


@dataclass(frozen=True)
class PageCb(CallbackData):
    """Paging through an operator list."""

    prefix: ClassVar[str] = "pg"
    view: PageView
    page: int
    arg: str
