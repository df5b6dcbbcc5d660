"""The care team's alert post (pure): short, worst first, with Acknowledge and outcomes; and
the notices about an alert sent to caregivers and the team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from recovery import Level, Protocol, QuestionKind
from views.callbacks import AckCb, AlertOutcome, OutcomeCb
from views.keyboard import Button, Keyboard, grid
from views.message import Message

HEADS = {
    Level.EMERGENCY: "🚨 EMERGENCY",
    Level.URGENT: "⚠️ URGENT",
    Level.ATTENTION: "🟡 REVIEW TODAY",
    Level.OK: "ℹ️",
}

OUTCOME_LABELS = {
    AlertOutcome.CALLED: "called the patient",
    AlertOutcome.URGENT_CARE: "advised urgent care / ED",
    AlertOutcome.VISIT: "arranged a visit",
    AlertOutcome.NO_ACTION: "no action needed",
    AlertOutcome.UNREACHED: "could not reach",
}


@dataclass(frozen=True)
class AnswerLine:
    """One answer behind an alert, by the question's short label (e.g. "wound: Fluid")."""

    label: str
    answer: str
    new: bool = False  # given after the alert was first raised (reported again)


@dataclass(frozen=True)
class AlertView:
    """What the care team and caregivers see of an alert."""

    alert_id: int
    patient_ref: str
    patient_name: str | None
    procedure: str
    day: int
    level: Level
    reasons: tuple[str, ...]
    answers: tuple[AnswerLine, ...] = ()  # only those that matter, in protocol order
    escalation: int = 0
    reported_again: str | None = None  # e.g. "14:05 (3 reports)", in the clinic's time
    outcome: str | None = None  # what was done, e.g. "called the patient (Dr Lee, 09:40)"

    @property
    def who(self) -> str:
        """Reference and name, e.g. "P-0042 (Ann)"."""
        return (
            f"{self.patient_ref} ({self.patient_name})" if self.patient_name else self.patient_ref
        )


POST_LIMIT = 500  # characters: a post a nurse reads in five seconds
NAME_LIMIT = 24  # a longer name is cut in the post (the reference names the patient)


def alert_for_care_team(
    view: AlertView, acknowledged: str | None = None, keyboard: Keyboard | None = None
) -> Message:
    """The care-team post: level, who, day; its state; findings; the answers that matter.

    At most :data:`POST_LIMIT` characters (see :func:`_fitted` for what gives way first; the
    answers still name the exact button pressed when a finding is cut to its first clause).

    Args:
        view: the alert.
        acknowledged: who acknowledged it and when; None while it is open.
        keyboard: the buttons under an acknowledged post (the outcome choices); an open post
            always gets Acknowledge.
    """
    text = _fitted(view, acknowledged)
    if acknowledged:
        return Message(text, keyboard or ())
    return Message(text, ((Button("Acknowledge", data=AckCb(view.alert_id).pack()),),))


def _fitted(view: AlertView, acknowledged: str | None) -> str:
    """The longest form of the post within POST_LIMIT: full findings, then first clauses,
    then fewer answers (pointing to /patient), then fewer findings (counting the rest)."""
    short = tuple(_first_clause(r) for r in view.reasons)
    answers = [f"• {a.label}: {a.answer}" + (" 🆕" if a.new else "") for a in view.answers]
    for reasons in (view.reasons, short):
        text = _compose(view, acknowledged, reasons, answers)
        if len(text) <= POST_LIMIT:
            return text
    more = f"• more in /patient {view.patient_ref}"
    for keep in range(len(answers) - 1, -1, -1):
        text = _compose(view, acknowledged, short, [*answers[:keep], more])
        if len(text) <= POST_LIMIT:
            return text
    for keep in range(len(short) - 1, 0, -1):
        rest = (*short[:keep], f"+{len(short) - keep} more")
        text = _compose(view, acknowledged, rest, [more])
        if len(text) <= POST_LIMIT:
            return text
    return text[: POST_LIMIT - 1] + "…"


def _compose(
    view: AlertView, acknowledged: str | None, reasons: Sequence[str], answers: Sequence[str]
) -> str:
    name = view.patient_name or ""
    name = name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"
    who = f"{view.patient_ref} ({name})" if name else view.patient_ref
    head = f"{HEADS[view.level]} · {who} · {view.procedure} day {view.day}"
    if acknowledged:
        state = f"✔ Acknowledged by {acknowledged}"
        state += f"\n✔ Outcome: {view.outcome}" if view.outcome else ""
    elif view.escalation:
        state = f"⏳ Not acknowledged (reminder {view.escalation})"
    else:
        state = "⏳ Not acknowledged"
    lines = [head, state, f"Findings: {'; '.join(reasons)}"]
    if view.reported_again:
        lines.append(f"↻ Reported again at {view.reported_again}")
    return "\n".join([*lines, *answers])


def answers_that_matter(
    protocol: Protocol, reason_keys: Sequence[str], answers: Mapping[str, str], new: Set[str]
) -> tuple[AnswerLine, ...]:
    """The answers behind an alert's findings, by short label, in the protocol's order.

    Kept: answers to the questions the alert's rules read, any "Not sure", any sign on the
    emergency screen, and the pain score (the care team always wants it). Dropped: the
    all-clear answers that explain nothing.

    Args:
        protocol: the patient's protocol.
        reason_keys: the alert's reasons (rule keys).
        answers: question key -> stored value, the check-in's current answers.
        new: question keys answered after the alert was first raised.
    """
    read = {
        rule.condition.question
        for rule in protocol.rules
        if rule.key in reason_keys and rule.condition.question
    }
    lines = []
    for question in protocol.questions:
        value = answers.get(question.key)
        if value is None:
            continue
        keep = (
            question.key in read
            or value == "unsure"
            or question.kind is QuestionKind.SCALE
            or (question.emergency_screen and value != "none")
        )
        if keep:
            option = question.option(value)
            label = option.label if option else value
            lines.append(AnswerLine(question.title, label, question.key in new))
    return tuple(lines)


def _first_clause(reason: str) -> str:
    """ "loss of bladder or bowel control, or numbness..." -> "loss of bladder or bowel control"."""
    for mark in (", ", " ("):
        reason = reason.split(mark, 1)[0]
    return reason


def outcome_keyboard(alert_id: int) -> Keyboard:
    """The choices under an acknowledged post: what was done about it."""
    return grid(
        [
            Button(label[:1].upper() + label[1:], data=OutcomeCb(alert_id, key).pack())
            for key, label in OUTCOME_LABELS.items()
        ],
        2,
    )


def outcome_label(outcome: str) -> str:
    """The words of a stored outcome (``called`` -> "called the patient"); unknown: as stored."""
    try:
        return OUTCOME_LABELS[AlertOutcome(outcome)]
    except ValueError:
        return outcome


def outcome_text(outcome: str, by: str, at: str) -> str:
    """What was done, by whom and when, e.g. "called the patient (Dr Lee, 09:40 UTC)"."""
    return f"{outcome_label(outcome)} ({by}, {at})"


def alert_superseded(view: AlertView) -> Message:
    """An earlier post of an alert whose level rose: it points at the newer post."""
    return Message(
        f"{HEADS[view.level]}: {view.who}: raised to {view.level.value}, see the newer post."
    )


def alert_for_caregiver(view: AlertView, action: str) -> Message:
    """Caregivers get the finding and what the patient was told to do."""
    mark = "🚨" if view.level is Level.EMERGENCY else "⚠️"
    name = view.patient_name or "The person you care for"
    return Message(
        f"{mark} {name} reported: {'; '.join(view.reasons)}.\n\n"
        f"They were told: {action}\n\nPlease check on them. Their care team has been alerted."
    )


def alert_undeliverable(view: AlertView) -> Message:
    """The patient could not be told about their own alert (blocked bot or Telegram error)."""
    return Message(
        f"❗ Could not reach {view.who} on Telegram with their {view.level.value} alert "
        f"({'; '.join(view.reasons)}). Please contact them another way."
    )
