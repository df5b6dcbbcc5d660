"""Alert messages (pure): what the patient is told (:mod:`.patient`) and the care team's post
(:mod:`.post`)."""

from views.alerts.patient import (
    FOLLOWUP_LABELS,
    LEVEL_ACTIONS,
    alert_for_patient,
    alert_seen_by_team,
    clinic_phone_line,
    emergency_followup_question,
    followup_thanks,
    no_followup_answer,
    reasons_text,
    written_instruction,
)
from views.alerts.post import (
    OUTCOME_LABELS,
    POST_LIMIT,
    AlertView,
    AnswerLine,
    alert_for_care_team,
    alert_for_caregiver,
    alert_superseded,
    alert_undeliverable,
    answers_that_matter,
    outcome_keyboard,
    outcome_label,
    outcome_text,
)

__all__ = [
    "AlertView",
    "AnswerLine",
    "FOLLOWUP_LABELS",
    "LEVEL_ACTIONS",
    "OUTCOME_LABELS",
    "POST_LIMIT",
    "alert_for_care_team",
    "alert_for_caregiver",
    "alert_for_patient",
    "alert_seen_by_team",
    "alert_superseded",
    "alert_undeliverable",
    "answers_that_matter",
    "clinic_phone_line",
    "emergency_followup_question",
    "followup_thanks",
    "no_followup_answer",
    "outcome_keyboard",
    "outcome_label",
    "outcome_text",
    "reasons_text",
    "written_instruction",
]
