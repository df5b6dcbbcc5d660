"""FHIR R4 mapping of the export: Questionnaire, QuestionnaireResponse, Flag, Bundle.

Pure: export records and protocols in, FHIR JSON out. Resources are validated with the
``fhir.resources.R4B`` models: R4B (4.3) is the R4-compatible release of FHIR, and every
element used here (Questionnaire, QuestionnaireResponse, Flag, Bundle of type ``collection``)
has the same shape in R4 (4.0.1).

Each QuestionnaireResponse and Flag names the protocol stored with its row, not the one loaded
now: the response's ``questionnaire`` is ``<url>|<stored version>``, and both carry
``meta.tag`` codings for the stored family|version and the file's sha256 (when known).

Patients appear only by their reference (``P-0042``) as an identifier: no names, no Telegram
ids. A caregiver who answered shows as ``author`` of type RelatedPerson.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from fhir.resources.R4B import get_fhir_model_class

from recovery import Protocol
from services.export.records import AlertRecord, CheckInRecord
from views.alerts import OUTCOME_LABELS

__all__ = [
    "SYSTEM",
    "BundleWriter",
    "flag",
    "outcome_task",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_url",
    "validated_json",
]

SYSTEM = "urn:spine-recovery-checkin"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, SYSTEM)
_FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
_FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
_FLAG_PRIORITY_CODES = "http://hl7.org/fhir/flag-priority-code"
_QR_STATUS = {"completed": "completed", "in_progress": "in-progress", "sent": "in-progress"}
Json = dict[str, Any]


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _patient(ref: str) -> Json:
    return {"identifier": {"system": f"{SYSTEM}:patient-ref", "value": ref}, "display": ref}


def _provenance_meta(family: str, version: str, content_hash: str | None) -> Json:
    tags = [{"system": f"{SYSTEM}:protocol", "code": f"{family}|{version}"}]
    if content_hash:
        tags.append({"system": f"{SYSTEM}:protocol-sha256", "code": content_hash})
    return {"tag": tags}


def _answer_system(family: str, key: str) -> str:
    return f"{SYSTEM}:answer:{family}:{key}"


def questionnaire_url(family: str) -> str:
    """The canonical URL of a protocol family's Questionnaire."""
    return f"{SYSTEM}:questionnaire:{family}"


def questionnaire(protocol: Protocol) -> Json:
    """A Questionnaire with one choice item per protocol question and coded answer options.

    Args:
        protocol: a protocol family (its version becomes the Questionnaire's version).

    Returns:
        The resource as FHIR JSON (a dict).
    """
    return {
        "resourceType": "Questionnaire",
        "id": f"{protocol.family}-{protocol.version}".replace("_", "-"),
        "url": questionnaire_url(protocol.family),
        "version": protocol.version,
        "name": f"SpineRecovery{protocol.family.title().replace('_', '')}",
        "title": f"Spine recovery daily check-in ({protocol.family})",
        "status": "active" if protocol.status.startswith("approved") else "draft",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": q.key,
                "text": q.text,
                "type": "choice",
                "answerOption": [
                    {
                        "valueCoding": {
                            "system": _answer_system(protocol.family, q.key),
                            "code": o.value,
                            "display": o.label,
                        }
                    }
                    for o in q.options
                ],
            }
            for q in protocol.questions
        ],
    }


def questionnaire_response(record: CheckInRecord, protocol: Protocol | None) -> Json:
    """A QuestionnaireResponse with the current answers of one check-in.

    Status: completed (``amended`` when an answer was changed), in-progress, or stopped for a
    missed check-in. ``author`` is set when a caregiver gave any of the answers.

    Args:
        record: the check-in and its answers (superseded ones are left out here).
        protocol: the protocol that judged the check-in, for the question texts; None when
            that file is not the one loaded now (the texts are then left out).

    Returns:
        The resource as FHIR JSON (a dict).
    """
    current = [a for a in record.answers if a.superseded_at is None]
    changed = len(current) != len(record.answers)
    status = _QR_STATUS.get(record.status, "stopped")
    if status == "completed" and changed:
        status = "amended"
    times = [a.answered_at for a in current]
    authored = record.completed_at or (max(times) if times else record.sent_at)
    resource: Json = {
        "resourceType": "QuestionnaireResponse",
        "id": f"checkin-{record.checkin_id}",
        "meta": _provenance_meta(
            record.protocol_family, record.protocol_version, record.protocol_hash
        ),
        "identifier": {"system": f"{SYSTEM}:checkin", "value": str(record.checkin_id)},
        "questionnaire": f"{questionnaire_url(record.protocol_family)}|{record.protocol_version}",
        "status": status,
        "subject": _patient(record.patient_ref),
        "authored": _instant(authored),
    }
    if any(a.answered_by != "patient" for a in current):
        resource["author"] = {"type": "RelatedPerson", "display": "caregiver"}
    if any(a.answered_by == "patient" for a in current):
        resource["source"] = {"type": "Patient", **_patient(record.patient_ref)}
    items = []
    for answer in current:
        question = protocol.question(answer.question_key) if protocol else None
        value: Json = {
            "valueCoding": {
                "system": _answer_system(record.protocol_family, answer.question_key),
                "code": answer.value,
                "display": answer.label,
            }
        }
        item: Json = {"linkId": answer.question_key, "answer": [value]}
        if question is not None:
            item["text"] = question.text
        items.append(item)
    if items:
        resource["item"] = items
    return resource


def flag(alert: AlertRecord) -> Json:
    """A Flag for an urgent or emergency alert: active until acknowledged.

    Args:
        alert: the alert.

    Returns:
        The resource as FHIR JSON (a dict).
    """
    period: Json = {"start": _instant(alert.created_at)}
    if alert.acknowledged_at is not None:
        period["end"] = _instant(alert.acknowledged_at)
    return {
        "resourceType": "Flag",
        "id": f"alert-{alert.alert_id}",
        "meta": _provenance_meta(
            alert.protocol_family, alert.protocol_version, alert.protocol_hash
        ),
        "identifier": [{"system": f"{SYSTEM}:alert", "value": str(alert.alert_id)}],
        "extension": [
            {
                "url": _FLAG_PRIORITY,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": _FLAG_PRIORITY_CODES, "code": "PH", "display": "High priority"}
                    ],
                    "text": alert.level,
                },
            }
        ],
        "status": "active" if alert.status == "open" else "inactive",
        "category": [
            {"coding": [{"system": _FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}
        ],
        "code": {
            "coding": [
                {"system": f"{SYSTEM}:alert-reason", "code": key, "display": text}
                for key, text in zip(alert.reasons, alert.reason_texts, strict=False)
            ],
            "text": f"{alert.level}: {'; '.join(alert.reason_texts)}",
        },
        "subject": _patient(alert.patient_ref),
        "period": period,
    }


def outcome_task(alert: AlertRecord) -> Json:
    """What the care team did about an alert: a completed Task whose focus is its Flag.

    Args:
        alert: an alert with an outcome.

    Returns:
        The resource as FHIR JSON (a dict).
    """
    code = alert.outcome or "unknown"
    known = {str(key): label for key, label in OUTCOME_LABELS.items()}
    display = known.get(code, code)
    flag_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'Flag/alert-{alert.alert_id}')}"
    task: Json = {
        "resourceType": "Task",
        "id": f"alert-{alert.alert_id}-outcome",
        "identifier": [{"system": f"{SYSTEM}:alert-outcome", "value": str(alert.alert_id)}],
        "status": "completed",
        "intent": "order",
        "code": {"text": "Act on a check-in alert"},
        "businessStatus": {
            "coding": [{"system": f"{SYSTEM}:alert-outcome", "code": code, "display": display}],
            "text": display,
        },
        "focus": {"reference": flag_url, "type": "Flag"},  # the Flag's fullUrl in the Bundle
        "for": _patient(alert.patient_ref),
    }
    if alert.outcome_at is not None:
        task["authoredOn"] = _instant(alert.outcome_at)
        task["lastModified"] = _instant(alert.outcome_at)
    if alert.outcome_note:
        task["note"] = [{"text": alert.outcome_note}]
    return task


def validated_json(resource: Mapping[str, Any]) -> str:
    """Validate a resource with its fhir.resources R4B model and return compact FHIR JSON."""
    model = get_fhir_model_class(str(resource["resourceType"]))
    return str(model.model_validate(dict(resource)).model_dump_json())


class BundleWriter:
    """Writes a Bundle of type collection entry by entry, so big exports stream.

    With no entries the output is a valid empty Bundle (no ``entry`` element, as FHIR JSON
    forbids empty arrays).
    """

    def __init__(self, out: TextIO, timestamp: datetime) -> None:
        """Start the Bundle on ``out``."""
        self._out = out
        self._count = 0
        head = {
            "resourceType": "Bundle",
            "id": str(uuid.uuid5(_NAMESPACE, f"bundle/{_instant(timestamp)}")),
            "type": "collection",
            "timestamp": _instant(timestamp),
        }
        out.write(json.dumps(head)[:-1])

    @property
    def count(self) -> int:
        """How many entries were written."""
        return self._count

    def add(self, resource: Mapping[str, Any]) -> None:
        """Validate and append one resource (its fullUrl is a stable urn:uuid)."""
        body = validated_json(resource)
        name = f"{resource['resourceType']}/{resource['id']}"
        full_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"
        self._out.write(', "entry": [' if self._count == 0 else ", ")
        self._out.write(f'{{"fullUrl": "{full_url}", "resource": {body}}}')
        self._count += 1

    def close(self) -> None:
        """Finish the Bundle."""
        self._out.write("]}" if self._count else "}")
        self._out.write("\n")
