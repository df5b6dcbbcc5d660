"""The care team's copy in its languages (issue #16): an alert post in Spanish, Russian or
Arabic has no English left, its findings and answers come from the protocol's overlay in that
language, the unclear-answers and written-sign findings are named in it too; the operators'
screens (alerts, patients, one patient, digest, /language) have no English left and dates in
the reader's language; every care-team button fits 24 characters in every language (the
per-alert Acknowledge buttons of /alerts keep their 32)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta

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
from views.care_team import common
from views.care_team.alert_list import ACK_LABEL_MAX, AlertLine, ack_label, alerts_message
from views.care_team.common import unknown_patient, whoami
from views.care_team.digest import DigestFigures, DigestItem, digest_message
from views.care_team.language import language_choice, language_saved
from views.care_team.patient_detail import (
    AnswerLine,
    CaregiverLine,
    CheckInSummary,
    HandledAlert,
    PatientDetail,
    patient_message,
)
from views.care_team.patient_list import PatientLine, patients_message
from views.dates import short_date
from views.i18n import SUPPORTED, translator
from views.message import Message

PROTOCOLS = load_protocols()
FUSION = PROTOCOLS.for_procedure(Procedure.FUSION)
OTHERS = ("es", "ru", "ar")
RULES = ["fever", "wound_fluid"]
ANSWERS = {"emergency": "unsure", "pain": "7", "fever": "fever", "wound": "fluid"}
# Words a post in any language may share with English: a name, Telegram, a zone.
NOT_ENGLISH_COPY = {"Lee", "Telegram", "CET"}


def words(text: str) -> set[str]:
    """The Latin-letter words of three letters or more, commands (``/patients``) left out."""
    return set(re.findall(r"[A-Za-z]{3,}", re.sub(r"/\w+", "", text))) - NOT_ENGLISH_COPY


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


# The operators' screens: one of each, with every part filled in.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR_AGO = NOW - timedelta(minutes=75)
FINDINGS = ("x1",)  # findings come in the reader's language already (see shown_reasons)
ALERT = AlertLine(7, "P-0042", "Lee", Level.URGENT, FINDINGS, HOUR_AGO, 2)
PATIENTS = [
    PatientLine("P-0042", "Lee", "fusion", 3, "paused", 1, Level.URGENT, (3, 7), 2),
    PatientLine("P-0043", None, "kyphoplasty", 9, "active", 0, None, (), 0),
]
DETAIL = PatientDetail(
    ref="P-0042",
    name="Lee",
    status="active",
    procedure="fusion",
    surgery_date=date(2026, 2, 27),
    day=3,
    timezone="Europe/Madrid",
    checkin_time=time(18, 0),
    caregivers=(CaregiverLine(None, "user", True), CaregiverLine(None, "group", False)),
    pain=(3, 7),
    open_alerts=(ALERT,),
    checkins=(
        CheckInSummary(
            date(2026, 3, 1),
            2,
            "completed",
            Level.URGENT,
            (
                AnswerLine("pain", "7", None, True, "x2"),
                AnswerLine("fever", "x3", "x4", False, "x6"),
            ),
        ),
        CheckInSummary(date(2026, 2, 28), 1, "missed", None, ()),
    ),
    handled=(HandledAlert(Level.ATTENTION, NOW - timedelta(days=3), FINDINGS, None),),
)


def operator_screens(language: str) -> list[Message]:
    tr = translator(language)
    return [
        alerts_message([ALERT] * 11, tr, page=0, pages=2, total=11, now=NOW),
        alerts_message([], tr, page=0, pages=1, total=0, now=NOW),
        patients_message(PATIENTS, tr, page=1, prev_arg="p1", next_arg="n2"),
        patients_message([], tr, page=0),
        patient_message(DETAIL, tr, page=0, now=NOW),
        patient_message(
            dataclasses.replace(DETAIL, checkins=(), open_alerts=()), tr, page=0, now=NOW
        ),
        digest_message(
            date(2026, 3, 1),
            [DigestItem("P-0042", "Lee", 2, FINDINGS), DigestItem("P-0043", None, 9, (), "x5")],
            [DigestItem("P-0044", None, 4, ())],
            tr,
            DigestFigures(9, 10, ("P-0044",), 1, 30, 12.0, 4),
        ),
        digest_message(date(2026, 3, 1), [], [], tr, DigestFigures()),
        language_choice(tr),
        language_saved(tr),
        Message(common.already_acknowledged("Lee", tr)),
        Message(common.export_caption(date(2026, 2, 1), date(2026, 3, 2), 12, tr)),
        unknown_patient("P-9", tr),
        whoami(1, 2, tr),
    ]


def screen_text(message: Message) -> str:
    return " ".join([message.text, *(b.label for row in message.keyboard for b in row)])


@pytest.mark.parametrize("language", OTHERS)
def test_the_operators_screens_have_no_english_left(language: str) -> None:
    english = [screen_text(m) for m in operator_screens("en")]
    translated = [screen_text(m) for m in operator_screens(language)]
    allowed = {"Madrid", "Europe", "REF", "OPERATOR", "IDS", "min", "checkin", "bot", "chat"}
    allowed |= {"English", "Espa"}  # the language buttons name each language in itself
    for original, text in zip(english, translated, strict=True):
        assert (words(original) & words(text)) - allowed == set(), text
    assert {"Patients", "risk", "caregiver", "rising", "digest"} <= words(" ".join(english))


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_operators_dates_are_in_their_language(language: str) -> None:
    text = patient_message(DETAIL, translator(language), page=0, now=NOW).text
    assert short_date(date(2026, 2, 27), language) in text
    assert short_date(date(2026, 3, 1), language) in text


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_operator_screen_button_fits_24_characters(language: str) -> None:
    labels = [b.label for m in operator_screens(language) for row in m.keyboard for b in row]
    fixed = [label for label in labels if not label.startswith(("P-", "Ack", "Recibido"))]
    assert [label for label in fixed if len(label) > 24] == []
    tr = translator(language)
    acks = [ack_label("P-123456", [r.reason, "x"], tr) for r in FUSION.rules]
    assert [label for label in acks if len(label) > ACK_LABEL_MAX] == []
