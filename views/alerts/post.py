"""The care team's alert post (pure): short, worst first, with Acknowledge and outcomes; and
the notices about an alert sent to caregivers and the team, in the reader's language (the care
team's posts in ``CLINIC_LANGUAGE``, a caregiver's notice in theirs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from recovery import Level, Protocol, QuestionKind
from views.alerts.reasons import findings_text
from views.callbacks import AckCb, AlertOutcome, OutcomeCb
from views.i18n import N_, Translator, translator
from views.keyboard import Button, Keyboard, grid
from views.message import Message

MARKS = {Level.EMERGENCY: "🚨", Level.URGENT: "⚠️", Level.ATTENTION: "🟡", Level.OK: "ℹ️"}
HEADS = {
    Level.EMERGENCY: N_("EMERGENCY"),
    Level.URGENT: N_("URGENT"),
    Level.ATTENTION: N_("REVIEW TODAY"),
}
LEVEL_WORDS = {
    Level.EMERGENCY: N_("emergency"),
    Level.URGENT: N_("urgent"),
    Level.ATTENTION: N_("attention"),
    Level.OK: N_("ok"),
}
PROCEDURE_WORDS = {
    "vertebroplasty": N_("vertebroplasty"),
    "kyphoplasty": N_("kyphoplasty"),
    "fusion": N_("fusion"),
}
OUTCOME_LABELS = {
    AlertOutcome.CALLED: N_("called the patient"),
    AlertOutcome.URGENT_CARE: N_("advised urgent care / ED"),
    AlertOutcome.VISIT: N_("arranged a visit"),
    AlertOutcome.NO_ACTION: N_("no action needed"),
    AlertOutcome.UNREACHED: N_("could not reach"),
}


def head(level: Level, tr: Translator) -> str:
    """A level as a post's head, e.g. "🚨 EMERGENCY" (OK: the mark alone)."""
    word = HEADS.get(level)
    return f"{MARKS[level]} {tr.gettext(word)}" if word else MARKS[level]


def procedure_word(procedure: str | None, tr: Translator) -> str:
    """An operation as the care team names it ("kyphoplasty"); unknown: as stored, "?"."""
    if not procedure:
        return "?"
    word = PROCEDURE_WORDS.get(procedure)
    return tr.gettext(word) if word else procedure


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
    view: AlertView,
    tr: Translator,
    acknowledged: str | None = None,
    keyboard: Keyboard | None = None,
) -> Message:
    """The care-team post: level, who, day; its state; findings; the answers that matter.

    At most :data:`POST_LIMIT` characters (see :func:`_fitted` for what gives way first; the
    answers still name the exact button pressed when a finding is cut to its first clause).

    Args:
        view: the alert (its reasons and answers already in ``tr``'s language).
        tr: the care team's translator (``CLINIC_LANGUAGE``).
        acknowledged: who acknowledged it and when; None while it is open.
        keyboard: the buttons under an acknowledged post (the outcome choices); an open post
            always gets Acknowledge.
    """
    text = _fitted(view, acknowledged, tr)
    if acknowledged:
        return Message(text, keyboard or ())
    ack = Button(tr.gettext("Acknowledge"), data=AckCb(view.alert_id).pack())
    return Message(text, ((ack,),))


def _fitted(view: AlertView, acknowledged: str | None, tr: Translator) -> str:
    """The longest form of the post within POST_LIMIT: full findings, then first clauses,
    then fewer answers (pointing to /patient), then fewer findings (counting the rest)."""
    short = tuple(_first_clause(r) for r in view.reasons)
    answers = [f"• {a.label}: {a.answer}" + (" 🆕" if a.new else "") for a in view.answers]
    for reasons in (view.reasons, short):
        text = _compose(view, acknowledged, reasons, answers, tr)
        if len(text) <= POST_LIMIT:
            return text
    more = "• " + tr.gettext("more in /patient {ref}", ref=view.patient_ref)
    for keep in range(len(answers) - 1, -1, -1):
        text = _compose(view, acknowledged, short, [*answers[:keep], more], tr)
        if len(text) <= POST_LIMIT:
            return text
    for keep in range(len(short) - 1, 0, -1):
        rest = (*short[:keep], tr.gettext("+{n} more", n=len(short) - keep))
        text = _compose(view, acknowledged, rest, [more], tr)
        if len(text) <= POST_LIMIT:
            return text
    return text[: POST_LIMIT - 1] + "…"


def _compose(
    view: AlertView,
    acknowledged: str | None,
    reasons: Sequence[str],
    answers: Sequence[str],
    tr: Translator,
) -> str:
    name = view.patient_name or ""
    name = name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"
    who = f"{view.patient_ref} ({name})" if name else view.patient_ref
    day = tr.gettext(
        "{procedure} day {day}", procedure=procedure_word(view.procedure, tr), day=view.day
    )
    top = f"{head(view.level, tr)} · {tr.isolate(who)} · {day}"
    if acknowledged:
        state = "✔ " + tr.gettext("Acknowledged by {name}", name=acknowledged)
        if view.outcome:
            state += "\n✔ " + tr.gettext("Outcome: {outcome}", outcome=view.outcome)
    elif view.escalation:
        state = "⏳ " + tr.gettext("Not acknowledged (reminder {n})", n=view.escalation)
    else:
        state = "⏳ " + tr.gettext("Not acknowledged")
    lines = [top, state, tr.gettext("Findings: {findings}", findings=findings_text(reasons, tr))]
    if view.reported_again:
        lines.append("↻ " + tr.gettext("Reported again at {time}", time=view.reported_again))
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
    for mark in (", ", " (", "، "):
        reason = reason.split(mark, 1)[0]
    return reason


def outcome_keyboard(alert_id: int, tr: Translator) -> Keyboard:
    """The choices under an acknowledged post: what was done about it."""
    buttons = []
    for key, msgid in OUTCOME_LABELS.items():
        label = tr.gettext(msgid)
        buttons.append(Button(label[:1].upper() + label[1:], data=OutcomeCb(alert_id, key).pack()))
    return grid(buttons, 2)


def outcome_label(outcome: str, tr: Translator | None = None) -> str:
    """The words of a stored outcome (``called`` -> "called the patient"); unknown: as stored.

    Args:
        outcome: the stored outcome value.
        tr: the reader's translator (None: English, as the exports show it).
    """
    try:
        msgid = OUTCOME_LABELS[AlertOutcome(outcome)]
    except ValueError:
        return outcome
    return (tr or translator(None)).gettext(msgid)


def outcome_text(outcome: str, by: str, at: str, tr: Translator) -> str:
    """What was done, by whom and when, e.g. "called the patient (Dr Lee, 09:40 UTC)"."""
    return tr.gettext(
        "{outcome} ({name}, {time})", outcome=outcome_label(outcome, tr), name=by, time=at
    )


def alert_superseded(view: AlertView, tr: Translator) -> Message:
    """An earlier post of an alert whose level rose: it points at the newer post."""
    return Message(
        f"{head(view.level, tr)}: "
        + tr.gettext(
            "{who}: raised to {level}, see the newer post.",
            who=view.who,
            level=tr.gettext(LEVEL_WORDS[view.level]),
        )
    )


def alert_for_caregiver(view: AlertView, action: str, tr: Translator) -> Message:
    """Caregivers get the finding and what the patient was told to do, in their language."""
    mark = "🚨" if view.level is Level.EMERGENCY else "⚠️"
    findings = findings_text(view.reasons, tr)
    if view.patient_name:
        reported = tr.gettext(
            "{name} reported: {findings}.", name=view.patient_name, findings=findings
        )
    else:
        reported = tr.gettext("The person you care for reported: {findings}.", findings=findings)
    told = tr.gettext("They were told: {action}", action=action)
    check = tr.gettext("Please check on them. Their care team has been alerted.")
    return Message(f"{mark} {reported}\n\n{told}\n\n{check}")


def alert_undeliverable(view: AlertView, tr: Translator) -> Message:
    """The patient could not be told about their own alert (blocked bot or Telegram error)."""
    return Message(
        "❗ "
        + tr.gettext(
            "Could not reach {who} on Telegram with their {level} alert ({findings}). Please "
            "contact them another way.",
            who=view.who,
            level=tr.gettext(LEVEL_WORDS[view.level]),
            findings=findings_text(view.reasons, tr),
        )
    )
