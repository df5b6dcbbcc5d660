"""The patient's own data as a JSON-ready dict (for /mydata): a pure function of loaded rows.

Stored values are exported as stored (an alert's reasons as the protocol that judged it wrote
them, in English); what the export adds for reading (each question's text and answer's label, and
each alert's reasons again) is in the patient's language.

Other people appear only by role and display name: no caregiver or operator Telegram ids, no
chat ids of others, no invitation token hashes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from models import Alert, Answer, CareLink, CheckIn, Invite, Patient
from recovery import Protocol
from services.account.caregiver_data import ERASED_CAREGIVER

__all__ = ["EXPORT_FORMAT", "build_patient_export"]

EXPORT_FORMAT = "spine-recovery-checkin/patient-export/1"


def _iso(value: date | datetime | time | None) -> str | None:
    return None if value is None else value.isoformat()


def _profile(patient: Patient) -> dict[str, Any]:
    return {
        "ref": patient.ref,
        "telegram_user_id": patient.telegram_user_id,
        "chat_id": patient.chat_id,
        "display_name": patient.display_name,
        "status": str(patient.status),
        "procedure": None if patient.procedure is None else str(patient.procedure),
        "surgery_date": _iso(patient.surgery_date),
        "in_hospital": patient.in_hospital,
        "discharge_date": _iso(patient.discharge_date),
        "timezone": patient.timezone,
        "language": patient.language,
        "checkin_time": _iso(patient.checkin_time),
        "consent_at": _iso(patient.consent_at),
        "created_at": _iso(patient.created_at),
        "updated_at": _iso(patient.updated_at),
        "next_checkin_at": _iso(patient.next_checkin_at),
        "unreachable_since": _iso(patient.unreachable_since),
        "finished_at": _iso(patient.finished_at),
    }


def _answerer(user_id: int, patient: Patient, caregivers: dict[int, str | None]) -> dict[str, Any]:
    if user_id == patient.telegram_user_id:
        return {"role": "patient"}
    if user_id in caregivers:
        return {"role": "caregiver", "name": caregivers[user_id]}
    if user_id == ERASED_CAREGIVER:  # a caregiver who erased their own data
        return {"role": "caregiver"}
    return {"role": "someone else"}


def _answer(
    answer: Answer,
    patient: Patient,
    protocol: Protocol | None,
    caregivers: dict[int, str | None],
) -> dict[str, Any]:
    question = protocol.question(answer.question_key) if protocol is not None else None
    option = question.option(answer.value) if question is not None else None
    return {
        "question_key": answer.question_key,
        "question": question.text if question is not None else None,
        "value": answer.value,
        "answer": option.label if option is not None else None,
        "answered_by": _answerer(answer.answered_by, patient, caregivers),
        "answered_at": _iso(answer.answered_at),
        "superseded_at": _iso(answer.superseded_at),
        "current": answer.superseded_at is None,
    }


def _checkin(checkin: CheckIn, answers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "local_date": _iso(checkin.local_date),
        "post_op_day": checkin.post_op_day,
        "status": str(checkin.status),
        "trigger": checkin.trigger,
        "questions": list(checkin.question_keys),
        "outcome_level": None if checkin.level is None else str(checkin.level),
        "created_at": _iso(checkin.created_at),
        "sent_at": _iso(checkin.sent_at),
        "completed_at": _iso(checkin.completed_at),
        "reminded_at": _iso(checkin.reminded_at),
        "answers": answers,
    }


def _alert(
    alert: Alert, checkin_dates: dict[int, date], shown: Mapping[int, Sequence[str]]
) -> dict[str, Any]:
    checkin_date = checkin_dates.get(alert.checkin_id) if alert.checkin_id is not None else None
    return {
        "created_at": _iso(alert.created_at),
        "level": str(alert.level),
        "reasons": list(alert.reasons),
        "reason_texts": list(alert.reason_texts),
        "reason_texts_shown": list(shown.get(alert.id, alert.reason_texts)),
        "checkin_local_date": _iso(checkin_date),
        "status": str(alert.status),
        "acknowledged_at": _iso(alert.acknowledged_at),
        "followup_answer": alert.followup_answer,
    }


def _care_link(link: CareLink) -> dict[str, Any]:
    return {
        "kind": str(link.kind),
        "display_name": link.display_name,
        "language": link.language,
        "may_answer": link.may_answer,
        "receives_summary": link.receives_summary,
        "created_at": _iso(link.created_at),
        "revoked_at": _iso(link.revoked_at),
    }


def _invite(invite: Invite) -> dict[str, Any]:
    return {
        "purpose": invite.purpose,
        "created_at": _iso(invite.created_at),
        "expires_at": _iso(invite.expires_at),
        "used_at": _iso(invite.used_at),
    }


def build_patient_export(
    patient: Patient,
    *,
    checkins: Sequence[CheckIn],
    answers: Sequence[Answer],
    alerts: Sequence[Alert],
    care_links: Sequence[CareLink],
    invites: Sequence[Invite],
    protocol: Protocol | None,
    exported_at: datetime,
    reasons_shown: Mapping[int, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Everything stored about one patient, JSON-ready (strings, numbers, lists, dicts).

    Args:
        patient: the patient row.
        checkins: the patient's check-ins (any order; exported by local date).
        answers: every answer of those check-ins, superseded ones included.
        alerts: the patient's alerts.
        care_links: the patient's caregiver links (revoked ones included).
        invites: the patient's invitations.
        protocol: the patient's protocol in their language, to add question texts and answer
            labels (or None).
        exported_at: the time of the export.
        reasons_shown: each alert's reasons in the patient's language, by alert id (an alert
            without them shows its stored texts).

    Returns:
        The export document: ``format``, ``exported_at``, ``patient``, ``checkins`` (each with
        its ``answers`` and who gave them), ``alerts`` (each with its
        stored ``reason_texts`` and its ``reason_texts_shown``), ``caregivers``, ``invitations``.
    """
    caregivers = {link.user_id: link.display_name for link in care_links if link.user_id}
    by_checkin: dict[int, list[dict[str, Any]]] = {}
    for answer in sorted(answers, key=lambda a: (a.answered_at, a.id)):
        by_checkin.setdefault(answer.checkin_id, []).append(
            _answer(answer, patient, protocol, caregivers)
        )
    ordered = sorted(checkins, key=lambda c: c.local_date)
    checkin_dates = {checkin.id: checkin.local_date for checkin in checkins}
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(exported_at),
        "patient": _profile(patient),
        "checkins": [_checkin(c, by_checkin.get(c.id, [])) for c in ordered],
        "alerts": [
            _alert(a, checkin_dates, reasons_shown or {})
            for a in sorted(alerts, key=lambda a: (a.created_at, a.id))
        ],
        "caregivers": [
            _care_link(link) for link in sorted(care_links, key=lambda c: (c.created_at, c.id))
        ],
        "invitations": [_invite(i) for i in sorted(invites, key=lambda i: (i.created_at, i.id))],
    }
