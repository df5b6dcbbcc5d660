"""The care team's copy in CLINIC_LANGUAGE (issue #16): an alert post in Spanish, Russian or
Arabic has no English left, its findings and answers come from the protocol's overlay in that
language, the unclear-answers and written-sign findings are named in it too, and every
care-team button fits 24 characters in every language."""

from __future__ import annotations

import dataclasses
import re

import pytest

from recovery import (
    UNCLEAR_PREFIX,
    UNCLEAR_RED_FLAG,
    Level,
    Procedure,
    Protocol,
    load_protocols,
    unclear_rule_keys,
)
from views.alerts import (
    AlertView,
    alert_for_care_team,
    alert_for_caregiver,
    alert_superseded,
    alert_undeliverable,
    answers_that_matter,
    outcome_keyboard,
    outcome_text,
    shown_reasons,
)
from views.i18n import SUPPORTED, translator

PROTOCOLS = load_protocols()
FUSION = PROTOCOLS.for_procedure(Procedure.FUSION)
OTHERS = ("es", "ru", "ar")
RULES = ["fever", "wound_fluid"]
ANSWERS = {"emergency": "unsure", "pain": "7", "fever": "fever", "wound": "fluid"}
# Words a post in any language may share with English: a command, a name, Telegram, a zone.
NOT_ENGLISH_COPY = {"patient", "Lee", "Telegram", "CET"}


def words(text: str) -> set[str]:
    """The Latin-letter words of three letters or more."""
    return set(re.findall(r"[A-Za-z]{3,}", text)) - NOT_ENGLISH_COPY


def post_view(shown: Protocol, language: str, rules: list[str]) -> AlertView:
    """An alert of the fusion protocol as the care team reads it in ``language``."""
    tr = translator(language)
    texts = [next(r.reason for r in FUSION.rules if r.key == key) for key in rules]
    return AlertView(
        alert_id=7,
        patient_ref="P-0042",
        patient_name="Lee",
        procedure="fusion",
        day=3,
        level=Level.URGENT,
        reasons=shown_reasons(rules, texts, FUSION, shown, tr),
        answers=answers_that_matter(shown, rules, ANSWERS, {"wound"}),
        escalation=2,
        reported_again="14:05 CET (3)",
    )


def messages(view: AlertView, language: str) -> list[str]:
    """Every care-team and caregiver text of an alert, with the buttons' labels."""
    tr = translator(language)
    acked = dataclasses.replace(view, outcome=outcome_text("called", "Lee", "09:40", tr))
    rendered = [
        alert_for_care_team(view, tr),
        alert_for_care_team(acked, tr, "Lee 09:31", outcome_keyboard(7, tr)),
        alert_superseded(view, tr),
        alert_undeliverable(view, tr),
        alert_for_caregiver(view, "…", tr),
    ]
    return [" ".join([m.text, *(b.label for row in m.keyboard for b in row)]) for m in rendered]


@pytest.mark.parametrize("language", OTHERS)
def test_an_alert_post_in_the_clinic_language_has_no_english_left(language: str) -> None:
    shown = PROTOCOLS.for_procedure(Procedure.FUSION, language)
    english = messages(post_view(FUSION, "en", RULES), "en")
    translated = messages(post_view(shown, language, RULES), language)

    for original, text in zip(english, translated, strict=True):
        assert words(original) & words(text) == set(), text
    assert {"URGENT", "Findings", "acknowledged", "fusion", "fever"} <= words(english[0])


@pytest.mark.parametrize("language", OTHERS)
def test_the_findings_and_answers_of_a_post_come_from_the_clinic_language_overlay(
    language: str,
) -> None:
    tr = translator(language)
    shown = PROTOCOLS.for_procedure(Procedure.FUSION, language)
    text = alert_for_care_team(post_view(shown, language, RULES), tr).text
    for key in RULES:
        overlay = next(r.reason for r in shown.rules if r.key == key)
        english = next(r.reason for r in FUSION.rules if r.key == key)
        assert overlay.split(", ")[0].split("، ")[0] in text
        assert english.split(", ")[0] not in text
    wound = shown.question("wound")
    option = wound.option("fluid") if wound else None
    assert wound is not None
    assert option is not None
    assert f"• {wound.title}: {option.label} 🆕" in text


@pytest.mark.parametrize("language", SUPPORTED)
def test_an_unclear_finding_names_the_signs_in_the_readers_language(language: str) -> None:
    tr = translator(language)
    shown = PROTOCOLS.for_procedure(Procedure.FUSION, language)
    rules = [r for r in FUSION.rules if r.condition.kind == "answer" and r.level >= Level.URGENT]
    stored = UNCLEAR_PREFIX + ", ".join(r.reason for r in rules[:3])  # as recovery writes it
    assert unclear_rule_keys(FUSION, stored) == tuple(r.key for r in rules[:3])

    (text,) = shown_reasons([UNCLEAR_RED_FLAG], [stored], FUSION, shown, tr)

    for rule in rules[:3]:
        assert next(r.reason for r in shown.rules if r.key == rule.key) in text
    if language != "en":
        assert "not sure" not in text
        assert rules[0].reason not in text


def test_an_unclear_finding_another_file_wrote_is_shown_as_stored() -> None:
    stored = UNCLEAR_PREFIX + "a sign this file never had"
    spanish = PROTOCOLS.for_procedure(Procedure.FUSION, "es")
    assert unclear_rule_keys(FUSION, stored) is None
    assert shown_reasons([UNCLEAR_RED_FLAG], [stored], FUSION, spanish, translator("es")) == (
        stored,
    )


@pytest.mark.parametrize("language", OTHERS)
def test_a_written_sign_is_named_in_the_readers_language(language: str) -> None:
    tr = translator(language)
    (text,) = shown_reasons(["written_chest"], ["a message about chest pain"], None, None, tr)
    assert "message about" not in text
    assert "chest" not in text


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_care_team_button_fits_24_characters(language: str) -> None:
    tr = translator(language)
    view = post_view(PROTOCOLS.for_procedure(Procedure.FUSION, language), language, [])
    labels = [b.label for row in alert_for_care_team(view, tr).keyboard for b in row]
    labels += [b.label for row in outcome_keyboard(2**31 - 1, tr) for b in row]
    assert [label for label in labels if len(label) > 24] == []
