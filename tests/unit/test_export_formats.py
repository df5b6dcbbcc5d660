"""The export writers and the FHIR mapping, pure: records in, text out."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from recovery import ProtocolSet
from services.export import fhir
from services.export.formats import CSV_HEADER, ExportFormat, csv_rows, jsonl_line, open_writer
from services.export.records import AlertRecord, AnswerRecord, CheckInRecord

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HASH = "ab" * 32
STORED = ("augmentation", "0.1.0", HASH)  # the provenance a row stored
QR_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}


def record(
    status: str = "completed", *, changed: bool = False, by: str = "patient"
) -> CheckInRecord:
    answers = [
        AnswerRecord("emergency", "none", "None of these", "patient", AT, None),
        AnswerRecord("pain", "4", "4", by, AT, None),
    ]
    if changed:
        answers.insert(1, AnswerRecord("pain", "6", "6", "patient", AT, AT))
    return CheckInRecord(
        checkin_id=7,
        patient_ref="P-0003",
        procedure="kyphoplasty",
        protocol_family="augmentation",
        protocol_version="0.1.0",
        protocol_hash=HASH,
        local_date=date(2026, 3, 2),
        post_op_day=10,
        status=status,
        level="ok",
        sent_at=AT,
        completed_at=AT if status == "completed" else None,
        answers=tuple(answers),
    )


ALERT = AlertRecord(3, "P-0003", 7, "urgent", ("fever",), ("a fever",), "open", AT, None, *STORED)


def test_csv_has_one_row_per_answer_with_history() -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(record(changed=True)))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["question_key"], r["value"], r["superseded_at"]) for r in rows] == [
        ("emergency", "none", ""),
        ("pain", "6", "2026-03-02T09:00:00Z"),
        ("pain", "4", ""),
    ]
    assert rows[0]["patient_ref"] == "P-0003"
    assert rows[0]["post_op_day"] == "10"
    assert rows[0]["answered_at"] == "2026-03-02T09:00:00Z"
    assert (rows[0]["protocol_family"], rows[0]["protocol_version"]) == ("augmentation", "0.1.0")
    assert rows[0]["protocol_hash"] == HASH


def test_a_row_from_before_provenance_has_an_empty_hash_cell() -> None:
    legacy = replace(record(), protocol_version="unknown", protocol_hash=None)
    row = dict(zip(CSV_HEADER, next(csv_rows(legacy)), strict=True))
    assert (row["protocol_version"], row["protocol_hash"]) == ("unknown", "")
    assert json.loads(jsonl_line(legacy))["protocol_hash"] is None


def test_jsonl_line_is_one_json_object_with_answers() -> None:
    line = jsonl_line(record(by="caregiver"))
    assert "\n" not in line
    data = json.loads(line)
    assert data["patient_ref"] == "P-0003"
    assert data["local_date"] == "2026-03-02"
    assert [a["answered_by"] for a in data["answers"]] == ["patient", "caregiver"]
    stored = (data["protocol_family"], data["protocol_version"], data["protocol_hash"])
    assert stored == STORED


@pytest.mark.parametrize("family", ["augmentation", "fusion"])
def test_each_protocol_maps_to_a_valid_questionnaire(protocols: ProtocolSet, family: str) -> None:
    protocol = next(p for p in protocols.all() if p.family == family)
    resource = Questionnaire.model_validate(fhir.questionnaire(protocol))
    assert resource.status == "draft"  # protocols await clinician sign-off
    assert [i.linkId for i in resource.item] == [q.key for q in protocol.questions]
    pain = next(i for i in resource.item if i.linkId == "pain")
    assert [o.valueCoding.code for o in pain.answerOption] == [str(n) for n in range(11)]


@pytest.mark.parametrize(
    ("status", "changed", "expected"),
    [
        ("completed", False, "completed"),
        ("completed", True, "amended"),
        ("in_progress", False, "in-progress"),
        ("sent", False, "in-progress"),
        ("missed", False, "stopped"),
    ],
)
def test_questionnaire_response_status(status: str, changed: bool, expected: str) -> None:
    resource = fhir.questionnaire_response(record(status, changed=changed), None)
    assert resource["status"] == expected in QR_STATUSES
    assert [i["linkId"] for i in resource["item"]] == ["emergency", "pain"]  # current only


def test_caregiver_answers_make_a_related_person_author(protocols: ProtocolSet) -> None:
    protocol = next(p for p in protocols.all() if p.family == "augmentation")
    by_patient = fhir.questionnaire_response(record(), protocol)
    by_carer = fhir.questionnaire_response(record(by="caregiver"), protocol)
    assert "author" not in by_patient
    assert by_carer["author"] == {"type": "RelatedPerson", "display": "caregiver"}
    assert by_patient["subject"]["identifier"]["value"] == "P-0003"
    assert (
        by_patient["questionnaire"] == "urn:spine-recovery-checkin:questionnaire:augmentation|0.1.0"
    )
    assert by_patient["item"][1]["text"] == protocol.question("pain").text


def test_bundle_writer_streams_a_valid_bundle(protocols: ProtocolSet) -> None:
    out = io.StringIO()
    writer = fhir.BundleWriter(out, AT)
    writer.add(fhir.questionnaire(protocols.all()[0]))
    writer.add(fhir.questionnaire_response(record(), protocols.all()[0]))
    writer.add(fhir.flag(ALERT))
    writer.close()
    bundle = Bundle.model_validate_json(out.getvalue())
    assert bundle.type == "collection"
    kinds = [type(e.resource).__name__ for e in bundle.entry]
    assert kinds == ["Questionnaire", "QuestionnaireResponse", "Flag"]
    assert len({e.fullUrl for e in bundle.entry}) == 3
    flag = bundle.entry[2].resource
    assert (flag.status, flag.code.text) == ("active", "urgent: a fever")
    response = bundle.entry[1].resource
    for resource in (response, flag):
        tags = {t.system.rsplit(":", 1)[1]: t.code for t in resource.meta.tag}
        assert tags == {"protocol": "augmentation|0.1.0", "protocol-sha256": HASH}


def test_the_response_names_the_stored_version_not_the_loaded_one(
    protocols: ProtocolSet,
) -> None:
    loaded = next(p for p in protocols.all() if p.family == "augmentation")
    older = replace(record(), protocol_version="0.0.9", protocol_hash=None)
    resource = fhir.questionnaire_response(older, loaded)
    assert resource["questionnaire"].endswith(":questionnaire:augmentation|0.0.9")
    assert resource["meta"] == {
        "tag": [{"system": f"{fhir.SYSTEM}:protocol", "code": "augmentation|0.0.9"}]
    }
    fhir.validated_json(resource)  # no empty hash tag: FHIR forbids empty strings


def test_an_empty_bundle_is_valid_and_has_no_entry() -> None:
    out = io.StringIO()
    writer = fhir.BundleWriter(out, AT)
    writer.close()
    data = json.loads(out.getvalue())
    assert "entry" not in data
    assert Bundle.model_validate(data).entry is None


def test_an_acknowledged_alert_is_an_inactive_flag_with_an_end() -> None:
    acked = AlertRecord(
        3, "P-0003", None, "emergency", ("chest",), ("chest pain",), "acknowledged", AT, AT, *STORED
    )
    resource = fhir.flag(acked)
    assert resource["status"] == "inactive"
    assert resource["period"] == {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T09:00:00Z"}


DONE = replace(ALERT, status="acknowledged", acknowledged_at=AT, outcome="called", outcome_at=AT)


def test_what_was_done_is_a_completed_task_on_the_alerts_flag_in_the_bundle(
    protocols: ProtocolSet,
) -> None:
    out = io.StringIO()
    writer = open_writer(ExportFormat.FHIR, out, now=AT, protocols=protocols.all())
    writer.add_alert(DONE)
    writer.add_alert(ALERT)  # no outcome yet: a Flag only
    writer.close()
    bundle = Bundle.model_validate(json.loads(out.getvalue()))
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry or []]
    assert kinds == ["Flag", "Task", "Flag"]
    flag_entry, task_entry = bundle.entry[0], bundle.entry[1]
    task = task_entry.resource
    assert task.status == "completed"
    assert task.focus.reference == flag_entry.fullUrl
    assert task.businessStatus.coding[0].code == "called"
    assert task.businessStatus.text == "called the patient"


def test_jsonl_and_csv_carry_the_outcome() -> None:
    line = json.loads(jsonl_line(replace(record(), alerts=(DONE,))))
    assert line["alerts"][0]["outcome"] == "called"
    assert line["alerts"][0]["outcome_at"] == "2026-03-02T09:00:00Z"
    rows = list(csv_rows(replace(record(), alerts=(DONE,))))
    assert CSV_HEADER[-1] == "alert_outcome"
    assert {row[-1] for row in rows} == {"called"}
