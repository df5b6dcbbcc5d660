"""Exports against the database: round trips of CSV, JSONL and FHIR, ranges, paging, audit."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from models import Alert, AuditEvent, CheckIn, CheckInStatus, Outbox
from recovery import Level, Procedure, ProtocolSet, load_protocols
from recovery.loader import PROTOCOLS_DIR
from services.checkin import answering, asking
from services.context import Services
from services.export import write
from services.export.formats import CSV_HEADER
from services.export.write import ExportFormat, ExportQuery, UnknownPatientError, write_export
from tests.support.clock import FakeClock
from tests.support.factories import (
    make_alert,
    make_answer,
    make_care_link,
    make_checkin,
    make_patient,
)
from views import texts
from views.callbacks import AnswerCb
from views.i18n import translator

ACTOR = "cli:test"
SINCE = date(2026, 2, 25)


async def seed(services: Services, clock: FakeClock) -> None:
    """Two patients: Ann (kyphoplasty) with a caregiver answer and a changed answer and an
    alert; Bob (fusion) with a missed check-in."""
    ann = await make_patient(services, user_id=501, display_name="Ann")
    bob = await make_patient(services, user_id=502, display_name="Bob", procedure=Procedure.FUSION)
    await make_care_link(services, ann, user_id=601)
    await make_checkin(services, ann, date(2026, 2, 20), 0, answers={"pain": 9})  # before range
    first = await make_checkin(
        services, ann, date(2026, 2, 28), 8, answers={"emergency": "none", "pain": 6}
    )
    clock.advance(minutes=1)
    await make_answer(services, first, "pain", 4, answered_by=501)
    second = await make_checkin(
        services,
        ann,
        date(2026, 3, 1),
        9,
        answers={"pain": 5, "fever": "yes"},
        answered_by=601,
        level=Level.URGENT,
    )
    await make_alert(
        services, ann, checkin_id=second, reasons=("fever",), reason_texts=("a fever",)
    )
    await make_checkin(services, bob, date(2026, 3, 1), 9, status=CheckInStatus.MISSED)


async def run(services: Services, fmt: ExportFormat, **query: Any) -> tuple[str, Any]:
    out = io.StringIO()
    summary = await write_export(
        services, ExportQuery(**{"since": SINCE, **query}), fmt, out, actor=ACTOR
    )
    return out.getvalue(), summary


async def test_csv_round_trip_has_every_answer_and_its_history(
    services: Services, clock: FakeClock
) -> None:
    await seed(services, clock)
    text, summary = await run(services, ExportFormat.CSV)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    assert [(r["patient_ref"], r["local_date"], r["question_key"], r["value"]) for r in rows] == [
        ("P-0001", "2026-02-28", "emergency", "none"),
        ("P-0001", "2026-02-28", "pain", "6"),
        ("P-0001", "2026-02-28", "pain", "4"),
        ("P-0001", "2026-03-01", "pain", "5"),
        ("P-0001", "2026-03-01", "fever", "yes"),
    ]
    assert rows[1]["superseded_at"] == "2026-03-02T09:01:00Z"
    assert rows[2]["superseded_at"] == ""
    assert [r["answered_by"] for r in rows] == ["patient"] * 3 + ["caregiver"] * 2
    assert rows[4]["label"] == "Yes"
    assert rows[4]["procedure"] == "kyphoplasty"
    assert rows[4]["post_op_day"] == "9"
    assert (summary.checkins, summary.answers) == (3, 5)
    assert "Ann" not in text  # pseudonymous


async def test_jsonl_has_one_check_in_per_line_with_answers_and_alerts(
    services: Services, clock: FakeClock
) -> None:
    await seed(services, clock)
    text, summary = await run(services, ExportFormat.JSONL)
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(c["patient_ref"], c["local_date"], c["status"]) for c in lines] == [
        ("P-0001", "2026-02-28", "completed"),
        ("P-0001", "2026-03-01", "completed"),
        ("P-0002", "2026-03-01", "missed"),
    ]
    assert len(lines[0]["answers"]) == 3
    assert lines[1]["alerts"][0]["reasons"] == ["fever"]
    assert lines[2]["protocol_family"] == "fusion"
    assert summary.alerts == 1


async def test_fhir_bundle_validates_with_fhir_resources(
    services: Services, clock: FakeClock
) -> None:
    await seed(services, clock)
    text, summary = await run(services, ExportFormat.FHIR)
    bundle = Bundle.model_validate(json.loads(text))
    assert bundle.type == "collection"
    kinds = [type(e.resource).__name__ for e in bundle.entry]
    assert kinds.count("Questionnaire") == 2  # one per protocol in use
    assert kinds.count("QuestionnaireResponse") == 3
    assert kinds.count("Flag") == 1
    responses = [
        e.resource for e in bundle.entry if type(e.resource).__name__ == "QuestionnaireResponse"
    ]
    assert [r.status for r in responses] == ["amended", "completed", "stopped"]
    assert responses[1].author.type == "RelatedPerson"
    assert responses[0].author is None
    assert responses[0].subject.identifier.value == "P-0001"
    assert [i.answer[0].valueCoding.code for i in responses[0].item] == ["none", "4"]
    assert summary.alerts == 1


@pytest.mark.parametrize("fmt", list(ExportFormat))
async def test_an_empty_range_is_a_valid_empty_file(
    services: Services, clock: FakeClock, fmt: ExportFormat
) -> None:
    await seed(services, clock)
    text, summary = await run(services, fmt, since=date(2027, 1, 1))
    assert summary.checkins == 0
    if fmt is ExportFormat.CSV:
        assert text == ",".join(CSV_HEADER) + "\n"
    elif fmt is ExportFormat.JSONL:
        assert text == ""
    else:
        bundle = Bundle.model_validate_json(text)
        assert bundle.entry is None


async def test_one_patient_and_an_upper_bound(services: Services, clock: FakeClock) -> None:
    await seed(services, clock)
    text, _ = await run(services, ExportFormat.JSONL, patient_ref="P-0001", until=date(2026, 2, 28))
    assert [json.loads(line)["local_date"] for line in text.splitlines()] == ["2026-02-28"]
    with pytest.raises(UnknownPatientError):
        await run(services, ExportFormat.CSV, patient_ref="P-0099")


async def test_exports_are_audited_without_health_data(
    services: Services, clock: FakeClock
) -> None:
    await seed(services, clock)
    await run(services, ExportFormat.FHIR, patient_ref="p-2")
    async with services.session_factory() as session:
        (event,) = (await session.scalars(select(AuditEvent))).all()
    assert (event.actor, event.action, event.patient_ref) == (ACTOR, "export", "P-0002")
    assert event.detail == {
        "format": "fhir",
        "since": "2026-02-25",
        "until": None,
        "checkins": 1,
        "channel": "cli",
    }


async def test_big_ranges_are_read_in_batches(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "BATCH", 3)
    for user in range(3):
        pid = await make_patient(services, user_id=700 + user)
        for offset in range(4):
            await make_checkin(
                services, pid, SINCE + timedelta(days=offset), 5 + offset, answers={"pain": offset}
            )
    text, summary = await run(services, ExportFormat.JSONL)
    keys = [
        (json.loads(line)["patient_ref"], json.loads(line)["local_date"])
        for line in text.splitlines()
    ]
    assert len(keys) == summary.checkins == 12
    assert keys == sorted(set(keys))


async def test_telegram_export_sends_the_last_30_days_as_csv_to_the_operator(
    services: Services, clock: FakeClock
) -> None:
    await seed(services, clock)
    assert await write.send_csv_export(services, 900, -100)
    assert not await write.send_csv_export(services, 777, 777)
    async with services.session_factory() as session:
        rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
        event = await session.scalar(select(AuditEvent))
    document, note, refusal = rows
    assert (document.chat_id, document.method) == (900, "document")
    assert document.payload["filename"] == "checkins-2026-01-31-to-2026-03-02.csv"
    assert len(list(csv.DictReader(io.StringIO(document.payload["content"])))) == 6
    assert note.chat_id == -100
    assert "private chat" in note.payload["text"]
    assert (refusal.chat_id, refusal.payload["text"]) == (777, texts.unknown(translator(None)).text)
    assert "emergency number" in refusal.payload["text"]
    assert event is not None
    assert (event.actor, event.detail["channel"]) == ("operator:900", "telegram")


def edited_protocols(tmp_path: Path, version: str) -> ProtocolSet:
    """The built-in protocols with augmentation.yaml at another version (as PROTOCOL_DIR)."""
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS_DIR, folder)
    path = folder / "augmentation.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'version: "0.1.0"' in text
    path.write_text(text.replace('version: "0.1.0"', f'version: "{version}"', 1), "utf-8")
    return load_protocols(folder)


async def test_exports_report_the_protocol_stored_then_not_the_one_loaded_now(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    """A check-in and its alert judged under 0.1.0 still export 0.1.0 once 0.2.0 is loaded."""
    then = services.protocols.for_procedure(Procedure.KYPHOPLASTY)
    assert then.version == "0.1.0"
    ann = await make_patient(services, user_id=501)
    await asking.start_checkin(services, 501, 501)
    chest = [o.value for o in then.emergency_screen.options].index("chest")
    async with services.session_factory() as session:
        checkin_id = await session.scalar(select(CheckIn.id).where(CheckIn.patient_id == ann))
    assert checkin_id is not None
    await answering.record_answer(services, 501, 501, 1, AnswerCb(checkin_id, 0, chest))

    later = dataclasses.replace(services, protocols=edited_protocols(tmp_path, "0.2.0"))
    now = later.protocols.for_procedure(Procedure.KYPHOPLASTY)
    assert now.content_hash != then.content_hash
    await make_patient(later, user_id=502)
    clock.advance(minutes=1)
    await asking.start_checkin(later, 502, 502)
    async with services.session_factory() as session:
        stored = (await session.execute(select(Alert.protocol_version, Alert.protocol_hash))).one()
    assert tuple(stored) == ("0.1.0", then.content_hash)  # the alert copied its check-in's

    text, _ = await run(later, ExportFormat.CSV)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["patient_ref"], r["protocol_version"], r["protocol_hash"]) for r in rows] == [
        ("P-0001", "0.1.0", then.content_hash)
    ]
    assert rows[0]["protocol_family"] == "augmentation"

    text, _ = await run(later, ExportFormat.JSONL)
    ann_line, bob_line = (json.loads(line) for line in text.splitlines())
    assert (ann_line["protocol_version"], ann_line["protocol_hash"]) == ("0.1.0", then.content_hash)
    assert ann_line["alerts"][0]["protocol_version"] == "0.1.0"
    assert ann_line["alerts"][0]["protocol_hash"] == then.content_hash
    assert (bob_line["protocol_version"], bob_line["protocol_hash"]) == ("0.2.0", now.content_hash)

    text, _ = await run(later, ExportFormat.FHIR)
    bundle = Bundle.model_validate(json.loads(text))
    by_kind: dict[str, list[Any]] = {}
    for entry in bundle.entry:
        by_kind.setdefault(type(entry.resource).__name__, []).append(entry.resource)
    assert [q.version for q in by_kind["Questionnaire"]] == ["0.2.0"]  # only Bob's is loaded
    ann_qr, bob_qr = by_kind["QuestionnaireResponse"]
    assert ann_qr.questionnaire.endswith(":questionnaire:augmentation|0.1.0")
    assert bob_qr.questionnaire.endswith(":questionnaire:augmentation|0.2.0")
    (flag,) = by_kind["Flag"]
    for resource, expected in ((ann_qr, then), (flag, then), (bob_qr, now)):
        tags = {t.system.rsplit(":", 1)[1]: t.code for t in resource.meta.tag}
        assert tags == {
            "protocol": f"augmentation|{expected.version}",
            "protocol-sha256": expected.content_hash,
        }
