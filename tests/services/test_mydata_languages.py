"""/mydata in the patient's language (issue #16): the PDF and the JSON copy name each question,
answer and warning sign as the patient's check-ins asked them (the protocol's overlay), while the
JSON keeps the stored reasons as they were stored."""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from models import Outbox, Patient
from recovery import Procedure
from services.account.my_data import export_my_data
from services.context import Services
from tests.support.factories import make_alert, make_checkin, make_patient

PATIENT = 501
ENGLISH_FEVER = "Do you have a fever?"


async def export(services: Services, language: str) -> tuple[str, dict[str, Any]]:
    """/mydata from a patient speaking ``language`` with one check-in and one alert: the PDF's
    text (whitespace collapsed) and the JSON document."""
    pid = await make_patient(services, user_id=PATIENT, procedure=Procedure.KYPHOPLASTY)
    async with services.session_factory.begin() as session:
        await session.execute(update(Patient).where(Patient.id == pid).values(language=language))
    checkin = await make_checkin(
        services, pid, date(2026, 3, 1), 9, answers={"pain": 6, "fever": "yes"}
    )
    await make_alert(
        services, pid, checkin_id=checkin, reasons=("fever",), reason_texts=("a fever",)
    )
    assert await export_my_data(services, PATIENT, PATIENT) is not None
    async with services.session_factory() as session:
        rows = (await session.scalars(select(Outbox).where(Outbox.method == "document"))).all()
    files = {row.payload["filename"].rsplit(".", 1)[1]: row.payload for row in rows}
    pdf = base64.b64decode(files["pdf"]["content"])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split()), json.loads(files["json"]["content"])


@pytest.mark.parametrize("language", ["es", "ru", "ar"])
async def test_the_pdf_asks_and_reports_in_the_patients_language(
    services: Services, language: str
) -> None:
    text, _ = await export(services, language)
    shown = services.protocols.for_procedure(Procedure.KYPHOPLASTY, language)
    fever, pain = shown.question("fever"), shown.question("pain")
    assert fever is not None
    assert pain is not None
    assert fever.text in text
    assert f"{fever.text} {fever.option('yes').label}" in text  # type: ignore[union-attr]
    if language == "ar":  # a number inside Arabic comes out of pypdf in drawing order
        assert all(word in text for word in pain.text.split() if word.isalpha())
    else:
        assert pain.text in text
    reason = {rule.key: rule.reason for rule in shown.rules}["fever"]
    assert reason in text  # the warning sign, from the protocol's overlay
    assert ENGLISH_FEVER not in text
    assert "a fever" not in text


async def test_the_json_copy_reads_in_the_patients_language_and_keeps_what_was_stored(
    services: Services,
) -> None:
    _, document = await export(services, "es")
    answers = {a["question_key"]: a for a in document["checkins"][0]["answers"]}
    assert answers["fever"]["question"] == "¿Tiene fiebre?"
    assert (answers["fever"]["value"], answers["fever"]["answer"]) == ("yes", "Sí")
    (alert,) = document["alerts"]
    assert (alert["reasons"], alert["reason_texts"]) == (["fever"], ["a fever"])  # as stored
    assert alert["reason_texts_shown"] == ["fiebre"]
