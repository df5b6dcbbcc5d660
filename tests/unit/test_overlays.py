"""Per-language protocol overlays: every supported language complete, and each refusal reason."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.cli import main
from recovery import Level, Procedure, ProtocolError, load_protocols
from recovery.loader import PROTOCOLS_DIR
from recovery.overlay import localize_reasons
from recovery.types import Reason
from views.alerts import alert_for_patient
from views.checkin import question_message
from views.i18n import DEFAULT_LANGUAGE, SUPPORTED, translator

LANGUAGES = tuple(lang for lang in SUPPORTED if lang != DEFAULT_LANGUAGE)
SCRIPT = {"es": re.compile(r"[a-zñáéíóú]"), "ru": re.compile(r"[а-яё]"), "ar": re.compile(r"[ء-ي]")}
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in PROTOCOLS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit(path: Path, change: Edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def refusal(folder: Path, name: str, change: Edit) -> ProtocolError:
    edit(folder / name, change)
    with pytest.raises(ProtocolError) as caught:
        load_protocols(folder)
    assert caught.value.file == name
    return caught.value


def test_every_supported_language_has_every_protocol() -> None:
    protocols = load_protocols()
    assert protocols.languages == set(LANGUAGES)
    for procedure in Procedure:
        english = protocols.for_procedure(procedure)
        for language in LANGUAGES:
            shown = protocols.for_procedure(procedure, language)
            assert shown.language == language
            assert shown.overlay is not None
            assert shown.overlay.sign_off == "draft"  # until a fluent clinician approves it
            assert shown.emergency_screen.text != english.emergency_screen.text
            assert [r.key for r in shown.rules] == [r.key for r in english.rules]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", [Level.EMERGENCY, Level.URGENT])
def test_every_urgent_and_emergency_instruction_is_translated_and_names_the_number(
    language: str, level: Level
) -> None:
    protocols = load_protocols()
    for procedure in Procedure:
        text = protocols.for_procedure(procedure, language).action_text(level)
        filled = text.replace("{emergency_number}", "112")
        assert "112" in filled
        assert "{" not in filled
        assert SCRIPT[language].search(filled.lower())
        assert filled != protocols.for_procedure(procedure).action_text(level)


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Dolor de pecho"), ("ru", "Боль в груди"), ("ar", "ألم صدر")],
)
def test_the_emergency_screen_is_rendered_in_the_patients_language(
    language: str, words: str
) -> None:
    protocol = load_protocols().for_procedure(Procedure.FUSION, language)
    message = question_message(7, 0, 5, protocol.emergency_screen, day=2, tr=translator(language))
    assert protocol.emergency_screen.text in message.text
    assert "Daily check-in" not in message.text  # the frame is translated too
    labels = [button.label for row in message.keyboard for button in row]
    assert labels[0].startswith(words)
    assert len(labels) == 7
    assert all(len(label) <= 24 for label in labels)


@pytest.mark.parametrize(("language", "number"), [("es", "112"), ("ru", "103"), ("ar", "997")])
def test_the_urgent_reply_is_in_the_patients_language(language: str, number: str) -> None:
    protocol = load_protocols().for_procedure(Procedure.FUSION, language)
    english = Reason("fever", Level.URGENT, "a fever", "x")
    [reason] = localize_reasons(protocol, (english,))
    action = protocol.action_text(Level.URGENT).replace("{emergency_number}", number)
    message = alert_for_patient(Level.URGENT, action, [reason], translator(language))
    assert number in message.text
    assert reason.text in message.text
    assert reason.text != "a fever"


def test_a_missing_key_refuses_the_file(folder: Path) -> None:
    error = refusal(folder, "fusion.es.yaml", lambda d: d["rules"].pop("wound_fluid"))
    assert error.location == "rules.wound_fluid"
    assert "missing" in error.reason


def test_a_missing_safety_floor_sign_refuses_the_file(folder: Path) -> None:
    error = refusal(folder, "augmentation.ar.yaml", lambda d: d["floor"].pop("numbness"))
    assert error.location == "floor.numbness"
    assert "missing" in error.reason


def test_an_unknown_safety_floor_sign_refuses_the_file(folder: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        data["floor"]["wound_fluid"] = "líquido que sale de la herida"  # fusion's, not this one's

    error = refusal(folder, "augmentation.es.yaml", add)
    assert error.location == "floor.wound_fluid"
    assert "unknown key" in error.reason


def test_an_unknown_key_refuses_the_file(folder: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        data["questions"]["wound"]["options"]["pus"] = "Pus"

    error = refusal(folder, "fusion.ru.yaml", add)
    assert error.location == "questions.wound.options.pus"
    assert "unknown key" in error.reason


def test_a_button_label_over_24_characters_refuses_the_file(folder: Path) -> None:
    def lengthen(data: dict[str, Any]) -> None:
        data["questions"]["emergency"]["options"]["chest"] = "ألم في الصدر أو ضيق شديد في النفس"

    error = refusal(folder, "augmentation.ar.yaml", lengthen)
    assert error.location == "questions.emergency.options.chest"
    assert "at most 24" in error.reason


@pytest.mark.parametrize(
    "text",
    [
        "Llame ahora a su médico.",  # the number dropped
        "Llame al {numero} ahora: {emergency_number}.",  # an unknown one added
    ],
)
def test_a_placeholder_mismatch_refuses_the_file(folder: Path, text: str) -> None:
    error = refusal(folder, "fusion.es.yaml", lambda d: d["action_text"].update(emergency=text))
    assert error.location == "action_text.emergency"
    assert "placeholders" in error.reason


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("fusion.es.yaml", "Tome ibuprofeno si le duele.", "medicine"),
        ("fusion.ru.yaml", "Примите парацетамол.", "medicine"),
        ("fusion.ar.yaml", "خذ باراسيتامول عند الألم.", "medicine"),
        ("fusion.es.yaml", "Tome 2 comprimidos.", "dose"),
        ("fusion.ru.yaml", "Примите 500 мг.", "dose"),
        ("fusion.ar.yaml", "خذ 500 ملغ.", "dose"),
    ],
)
def test_a_medicine_name_or_dose_refuses_the_file(
    folder: Path, name: str, text: str, why: str
) -> None:
    error = refusal(folder, name, lambda d: d["guidance"].update(pain_relief=text))
    assert error.location == "guidance.pain_relief"
    assert why in error.reason


def test_a_language_other_than_the_file_name_refuses_the_file(folder: Path) -> None:
    error = refusal(folder, "fusion.ru.yaml", lambda d: d.update(language="es"))
    assert error.location == "language"


def test_an_approved_status_without_a_reviewer_refuses_the_file(folder: Path) -> None:
    error = refusal(folder, "fusion.ar.yaml", lambda d: d.update(status="approved"))
    assert error.location == "reviewed_by"


def test_a_protocol_without_a_language_the_others_have_is_refused(folder: Path) -> None:
    (folder / "augmentation.ru.yaml").unlink()
    with pytest.raises(ProtocolError, match=r"augmentation\.ru\.yaml is missing"):
        load_protocols(folder)


def test_an_overlay_is_approved_by_its_hash_and_is_a_draft_again_after_an_edit(
    folder: Path,
) -> None:
    path = folder / "fusion.es.yaml"
    assert main(["protocol", "approve", str(path), "--reviewer", "Dra. Ana Ruiz"]) == 0
    overlay = load_protocols(folder).for_procedure(Procedure.FUSION, "es").overlay
    assert overlay is not None
    assert overlay.approved
    assert overlay.sign_off.startswith("approved by Dra. Ana Ruiz")
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    overlay = load_protocols(folder).for_procedure(Procedure.FUSION, "es").overlay
    assert overlay is not None
    assert not overlay.approved
    assert overlay.sign_off.startswith("draft (edited after approval")


def test_an_invalid_overlay_is_not_approved(folder: Path) -> None:
    path = folder / "fusion.es.yaml"
    edit(path, lambda d: d["rules"].pop("fever"))
    assert main(["protocol", "approve", str(path), "--reviewer", "Dra. Ana Ruiz"]) == 1
    assert not (folder / "fusion.es.yaml.approval.json").exists()
