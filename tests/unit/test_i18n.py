"""Languages (issue #16): the language picked from Telegram's code, button labels that fit,
right-to-left text with isolated names and numbers, and the emergency number named in every
emergency and urgent instruction of every language."""

from __future__ import annotations

import pytest

from recovery import Level, Reason
from views import texts
from views.alerts import FOLLOWUP_LABELS, alert_for_patient, written_instruction
from views.enrollment import questions as ev
from views.enrollment import welcome
from views.i18n import FSI, PDI, SUPPORTED, pick_language, translator

FEVER = Reason(key="fever", level=Level.URGENT, text="a fever", source="s")


@pytest.mark.parametrize(
    ("code", "language"),
    [("es-MX", "es"), ("es", "es"), ("RU", "ru"), ("ar_EG", "ar"), ("en-GB", "en")]
    + [("pt-br", "en"), ("", "en"), (None, "en"), ("zz", "en")],
)
def test_a_telegram_language_code_picks_a_supported_language(
    code: str | None, language: str
) -> None:
    assert pick_language(code) == language


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_button_label_fits_24_characters_in_every_language(lang: str) -> None:
    tr = translator(lang)
    labels = [tr.gettext(label) for label in FOLLOWUP_LABELS.values()]
    for message in (welcome.consent("112", tr), ev.ask(ev.LANGUAGE, default_zone="UTC", tr=tr)):
        labels += [button.label for row in message.keyboard for button in row]
    labels += [ev.item_label(item, tr) for item in ev.ITEM_LABELS]
    assert [label for label in labels if len(label) > 24] == []


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_emergency_and_urgent_instruction_names_the_emergency_number(lang: str) -> None:
    tr = translator(lang)
    for sign in (Level.URGENT, Level.EMERGENCY):
        assert "999" in written_instruction(sign, "x", "999", tr, team_told=True)
    assert "999" in welcome.consent("999", tr).text
    for number in ("112", "999", "911"):
        assert number in texts.emergency_line(tr)
        assert number in texts.unknown(tr).text


@pytest.mark.parametrize("lang", ["es", "ru", "ar"])
def test_the_urgent_reply_is_in_the_language(lang: str) -> None:
    tr = translator(lang)
    message = alert_for_patient(Level.URGENT, "…", [FEVER], tr)
    assert "You reported" not in message.text
    assert "a fever" in message.text  # the protocol's reason (overlays: next step)


def test_arabic_isolates_every_filled_value_and_english_does_not() -> None:
    arabic, english = translator("ar"), translator("en")
    assert arabic.rtl
    assert not english.rtl
    told = alert_for_patient(Level.URGENT, "…", [FEVER], arabic).text
    assert f"{FSI}a fever{PDI}" in told
    number = written_instruction(Level.EMERGENCY, "x", "112", arabic, team_told=False)
    assert f"{FSI}112{PDI}" in number
    assert FSI not in alert_for_patient(Level.URGENT, "…", [FEVER], english).text


def test_plurals_follow_each_language_rule() -> None:
    russian = translator("ru")
    forms = [russian.ngettext("{n} report", "{n} reports", n) for n in (1, 3, 5, 21)]
    assert forms == ["1 сообщение", "3 сообщения", "5 сообщений", "21 сообщение"]
    assert translator("en").ngettext("{n} report", "{n} reports", 3) == "3 reports"
