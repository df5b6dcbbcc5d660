"""Pydantic models of a protocol file (``protocols/*.yaml``): the shape of each field.

Checks that need the whole file (references, the emergency screen, question counts...) live in
``recovery.checks``. Every model forbids unknown fields, so a misspelt field name is an error.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from recovery.trend import MIN_TREND_SCORES, least_rising_slope
from recovery.types import Level, Procedure, QuestionKind

__all__ = [
    "ActionsModel",
    "DaysModel",
    "GuidanceModel",
    "MilestoneModel",
    "OptionModel",
    "PainJumpModel",
    "PainNotEasingModel",
    "PainTrendModel",
    "ProtocolModel",
    "QuestionModel",
    "RuleModel",
    "ScheduleModel",
    "SourceModel",
    "WhenModel",
]

QUESTION_KEY = r"^[a-z][a-z0-9_]{0,15}$"
ITEM_KEY = r"^[a-z][a-z0-9_]{0,39}$"
OPTION_VALUE = r"^[a-z0-9_]{1,12}$"
MAX_DAY = 400
#: The ``when`` fields whose test reads earlier check-ins (each names a scale ``question``).
HISTORY_KINDS = ("pain_trend", "pain_jump", "pain_not_easing_after_day")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Model):
    """A reference: ``url`` or ``citation`` (or both) must be given."""

    id: str = Field(pattern=ITEM_KEY)
    title: str = Field(min_length=1, max_length=300)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    citation: str | None = Field(default=None, min_length=1, max_length=500)
    supports: str = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _url_or_citation(self) -> SourceModel:
        if self.url is None and self.citation is None:
            raise ValueError("give a url or a citation")
        return self


class DaysModel(_Model):
    """Post-operative days ``from``..``to`` inclusive; ``to: null`` means until the end."""

    start: int = Field(alias="from", ge=0, le=MAX_DAY)
    end: int | None = Field(default=None, alias="to", ge=0, le=MAX_DAY)

    @model_validator(mode="after")
    def _ordered(self) -> DaysModel:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class OptionModel(_Model):
    """An answer button."""

    value: str = Field(pattern=OPTION_VALUE)
    label: str = Field(min_length=1, max_length=24)


class QuestionModel(_Model):
    """A question; scale and yes/no questions get their standard options when none are given."""

    key: str = Field(pattern=QUESTION_KEY)
    text: str = Field(min_length=1, max_length=400)
    kind: QuestionKind
    options: tuple[OptionModel, ...] | None = None
    days: DaysModel
    source: str
    emergency_screen: bool = False
    short: str | None = Field(default=None, min_length=1, max_length=16)


class PainTrendModel(_Model):
    """A sustained rise over the last ``checkins`` check-ins (today included).

    Today's pain is ``gte`` or more and ``points`` or more above the lowest of those check-ins,
    and their least-squares slope is at least ``min_slope`` points per check-in (see
    ``recovery.trend``).
    """

    question: str
    checkins: int = Field(ge=MIN_TREND_SCORES, le=10)
    points: int = Field(ge=2, le=10)
    min_slope: float = Field(gt=0, le=10)
    gte: int = Field(ge=1, le=10)

    @model_validator(mode="after")
    def _reachable(self) -> PainTrendModel:
        floor = least_rising_slope(self.points, self.checkins)
        if self.min_slope > floor:
            raise ValueError(
                f"min_slope {self.min_slope} is above {floor:.2f}, the slope of a rise of "
                f"{self.points} points within {self.checkins} check-ins made all at once at the "
                "end: some rises of that size would be missed"
            )
        return self


class PainJumpModel(_Model):
    """Today's pain is at least ``points`` higher than at the previous check-in."""

    question: str
    points: int = Field(ge=1, le=10)


class PainNotEasingModel(_Model):
    """Pain is still ``gte`` or more after post-operative day ``day``."""

    question: str
    day: int = Field(ge=0, le=MAX_DAY)
    gte: int = Field(ge=0, le=10)


class WhenModel(_Model):
    """The condition of a rule: exactly one kind of test, optionally only after a day."""

    question: str | None = None
    in_: tuple[str, ...] | None = Field(default=None, alias="in", min_length=1)
    gte: int | None = Field(default=None, ge=0, le=10)
    lte: int | None = Field(default=None, ge=0, le=10)
    pain_trend: PainTrendModel | None = None
    pain_jump: PainJumpModel | None = None
    pain_not_easing_after_day: PainNotEasingModel | None = None
    unclear_answers: bool | None = None
    after_day: int | None = Field(default=None, ge=0, le=MAX_DAY)

    @model_validator(mode="before")
    @classmethod
    def _replaced(cls, data: object) -> object:
        if isinstance(data, dict) and "pain_rising" in data:
            raise ValueError(
                "pain_rising was replaced by pain_trend, e.g. {pain_trend: {question: pain, "
                "checkins: 7, points: 3, min_slope: 0.3, gte: 4}}"
            )
        return data

    @model_validator(mode="after")
    def _one_test(self) -> WhenModel:
        history = [name for name in HISTORY_KINDS if getattr(self, name) is not None]
        tests = (("in", self.in_), ("gte", self.gte), ("lte", self.lte))
        answer_tests = [name for name, value in tests if value is not None]
        kinds = len(history) + (self.question is not None) + (self.unclear_answers is not None)
        if kinds != 1:
            raise ValueError(
                "give exactly one of: question (with in/gte/lte), pain_trend, pain_jump, "
                "pain_not_easing_after_day, unclear_answers"
            )
        if self.question is not None and len(answer_tests) != 1:
            raise ValueError("a question test needs exactly one of: in, gte, lte")
        if self.question is None and answer_tests:
            raise ValueError("in/gte/lte need a question")
        if self.unclear_answers is False:
            raise ValueError("unclear_answers can only be true")
        return self


class RuleModel(_Model):
    """A triage rule."""

    key: str = Field(pattern=ITEM_KEY)
    level: Level
    when: WhenModel
    reason: str = Field(min_length=1, max_length=120)
    source: str

    @model_validator(mode="after")
    def _not_ok(self) -> RuleModel:
        if self.level is Level.OK:
            raise ValueError("a rule's level must be emergency, urgent or attention")
        return self


class GuidanceModel(_Model):
    """Advice shown on the given days."""

    key: str = Field(pattern=ITEM_KEY)
    days: DaysModel
    text: str = Field(min_length=1, max_length=500)
    source: str


class ExpectedPainModel(_Model):
    """The usual range of pain (0-10) on the given days: the shaded band of the pain chart."""

    days: DaysModel
    low: int = Field(ge=0, le=10)
    high: int = Field(ge=0, le=10)
    source: str

    @model_validator(mode="after")
    def _ordered(self) -> ExpectedPainModel:
        if self.high < self.low:
            raise ValueError(f"'high' ({self.high}) is below 'low' ({self.low})")
        return self


class MilestoneModel(_Model):
    """A message sent once, on post-operative day ``day``."""

    key: str = Field(pattern=ITEM_KEY)
    day: int = Field(ge=0, le=MAX_DAY)
    text: str = Field(min_length=1, max_length=500)
    source: str


class ScheduleModel(_Model):
    """Check-ins on days ``from``..``to``, every ``every`` days counted from ``from``."""

    start: int = Field(alias="from", ge=0, le=MAX_DAY)
    end: int = Field(alias="to", ge=0, le=MAX_DAY)
    every: int = Field(ge=1, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleModel:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class ActionsModel(_Model):
    """What the patient is told to do at each level that is not OK."""

    emergency: str = Field(min_length=1, max_length=500)
    urgent: str = Field(min_length=1, max_length=500)
    attention: str = Field(min_length=1, max_length=500)


class ProtocolModel(_Model):
    """A whole protocol file."""

    family: str = Field(pattern=ITEM_KEY)
    procedures: tuple[Procedure, ...] = Field(min_length=1)
    version: str = Field(min_length=1, max_length=40)
    status: str = Field(min_length=1, max_length=80)
    reviewed_by: str | None
    recovery_window_days: int = Field(ge=1, le=MAX_DAY)
    checkin_schedule: tuple[ScheduleModel, ...] = Field(min_length=1)
    action_text: ActionsModel
    sources: tuple[SourceModel, ...] = Field(min_length=1)
    questions: tuple[QuestionModel, ...] = Field(min_length=1)
    rules: tuple[RuleModel, ...] = Field(min_length=1)
    guidance: tuple[GuidanceModel, ...] = ()
    milestones: tuple[MilestoneModel, ...] = ()
    expected_pain: tuple[ExpectedPainModel, ...] = ()
