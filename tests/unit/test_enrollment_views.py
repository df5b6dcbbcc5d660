"""Enrollment in the patient's language (issue #16): every question, note, summary and
confirmation, rendered in each language, has no English left, buttons that fit, prompts that
name the buttons they show, examples the parsers read, and Arabic lines that read right to
left with names, dates and zones isolated."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from recovery import Procedure
from tests.support.languages import first_strong, stray_english
from views.dates import full_date, local_moment
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.enrollment import summary as es
from views.enrollment import welcome
from views.enrollment.parsing import ParseProblem, Problem, parse_date
from views.enrollment.zones import resolve_zone
from views.i18n import FSI, PDI, SUPPORTED, Translator, translator
from views.message import Message

OTHER = ["es", "ru", "ar"]
ZONE = "Europe/London"
AT = datetime(2026, 3, 2, 18, 0, tzinfo=ZoneInfo(ZONE))
NAMES = {"en": "Anna", "es": "Lucía", "ru": "Анна", "ar": "ليلى"}


def profile(name: str | None, *, fusion: bool = True) -> es.Profile:
    return es.Profile(
        display_name=name,
        procedure=Procedure.FUSION if fusion else None,
        surgery_date=date(2026, 3, 1) if fusion else None,
        in_hospital=fusion,
        timezone=ZONE,
        checkin_time=time(18) if fusion else None,
    )


def notes(tr: Translator) -> list[str]:
    """Every note shown above a question, as the services render it."""
    msgids = (
        en.PROCEDURE_PROBLEM,
        en.SAVED,
        en.HOME_NOTED,
        en.TIME_PROBLEM,
        en.ZONE_PROBLEM,
        en.NO_LOCATION,
        en.BUTTONS_ONLY,
        en.STALE,
        en.NOTHING_CHANGED,
        en.ALREADY_HOME,
        en.FINISH_FIRST,
    )
    dates = [ParseProblem(p) for p in Problem if p is not Problem.AMBIGUOUS]
    dates.append(ParseProblem(Problem.AMBIGUOUS, (date(2026, 1, 3), date(2026, 3, 1))))
    names = [ParseProblem(Problem.EMPTY), ParseProblem(Problem.TOO_LONG)]
    return [
        *(tr.gettext(msgid) for msgid in msgids),
        *(en.date_problem(problem, tr) for problem in dates),
        *(en.name_problem(problem, tr) for problem in names),
    ]


def every_message(tr: Translator) -> list[Message]:
    """Every enrollment and /settings message in ``tr``'s language."""
    name = NAMES[tr.language]
    note = notes(tr)[0]
    upcoming = [
        es.NextCheckin(at=AT),
        es.NextCheckin(at=None, in_hospital=True),
        es.NextCheckin(at=AT, paused=True),
        es.NextCheckin(at=None),
    ]
    full, empty = profile(name), profile(None, fusion=False)
    messages = [welcome.consent("112", tr), welcome.data_details(tr), welcome.declined(tr)]
    for step in (ev.LANGUAGE, ev.NAME, ev.PROCEDURE, ev.ZONE, ev.DATE, ev.HOSPITAL, ev.TIME):
        for editing in (False, True):
            messages.append(ev.ask(step, default_zone="UTC", tr=tr, editing=editing, note=note))
    pairs = [("Europe/Madrid", "Madrid"), ("Atlantic/Canary", "Las Palmas")]
    for guessed in (False, True):
        messages.append(ev.zone_choice(pairs, guessed=guessed, editing=True, tr=tr))
    for shown in (full, empty):
        messages.append(es.summary(shown, tr, note=note))
        messages.append(es.settings_menu(shown, ev.ITEMS, tr, head=note))
    for next_checkin in upcoming:
        messages += [
            es.enrolled(next_checkin, "112", tr),
            es.status_reminder(next_checkin, tr),
            es.saved(full, next_checkin, tr),
            es.saved(empty, next_checkin, tr, changed=False),
            es.welcome_back(next_checkin, tr),
            es.home_noted(next_checkin, tr),
            es.home_noted(next_checkin, tr, already=True),
        ]
    messages += [en.location_offer(tr), en.location_unused(tr), en.finished(tr), en.stopped(tr)]
    return messages + [Message(text) for text in notes(tr)]


def labels(message: Message) -> list[str]:
    shown = [button.label for row in message.keyboard for button in row]
    return shown + ([message.location_button] if message.location_button else [])


def city_buttons(message: Message) -> set[str]:
    """Zone buttons show city names (from the IANA ids), in every language."""
    return {
        b.label for row in message.keyboard for b in row if (b.data or "").startswith("en:zone:")
    }


@pytest.mark.parametrize("lang", OTHER)
def test_no_english_is_left_in_any_enrollment_message(lang: str) -> None:
    tr = translator(lang)
    left = {}
    for message in every_message(tr):
        cities = frozenset(w for label in city_buttons(message) for w in label.split())
        shown = [message.text, *(set(labels(message)) - city_buttons(message))]
        for text in shown:
            if words := stray_english(text, lang, allowed=cities):
                left[text[:60]] = words
    assert left == {}


@pytest.mark.parametrize("lang", OTHER)
def test_every_message_differs_from_the_english_one(lang: str) -> None:
    english = every_message(translator("en"))
    translated = every_message(translator(lang))
    same = [e.text for e, t in zip(english, translated, strict=True) if e.text == t.text]
    assert same == []


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_enrollment_button_label_fits_24_characters(lang: str) -> None:
    tr = translator(lang)
    shown = {label for message in every_message(tr) for label in labels(message)}
    shown |= {ev.item_label(item, tr) for item in ev.ITEMS}
    shown |= {ev.procedure_label(procedure, tr) for procedure in ev.PROCEDURE_LABELS}
    assert len(shown) > 30
    assert {label: len(label) for label in shown if len(label) > 24} == {}


@pytest.mark.parametrize("lang", OTHER)
def test_the_prompts_name_only_buttons_they_show(lang: str) -> None:
    tr = translator(lang)
    home = tr.gettext(ev.HOME_LABEL)
    for editing in (False, True):
        message = ev.ask(ev.NAME, default_zone="UTC", tr=tr, editing=editing)
        named = re.findall(r"«([^»]+)»", message.text)
        assert named, message.text
        assert set(named) <= set(labels(message)), (named, labels(message))
    for message in (
        es.enrolled(es.NextCheckin(at=None, in_hospital=True), "112", tr),
        es.status_reminder(es.NextCheckin(at=None, in_hospital=True), tr),
    ):
        assert re.findall(r"«([^»]+)»", message.text) == [home]
        assert labels(message) == [home]


def quoted(text: str) -> list[str]:
    return re.findall(r'«([^»]+)»|"([^"]+)"', text)


@pytest.mark.parametrize("lang", SUPPORTED)
def test_the_examples_in_the_questions_are_read_as_they_are_written(lang: str) -> None:
    tr = translator(lang)
    asked = ev.ask(ev.DATE, default_zone="UTC", tr=tr).text
    reasked = en.date_problem(ParseProblem(Problem.UNREADABLE), tr)
    for text in (asked, reasked):
        [example] = ["".join(pair) for pair in quoted(text)]
        assert parse_date(example, date(2026, 3, 10), lang) == date(2026, 3, 1), example
    for text in (ev.ask(ev.ZONE, default_zone="UTC", tr=tr).text, tr.gettext(en.ZONE_PROBLEM)):
        places = ["".join(pair) for pair in quoted(text)]
        assert len(places) == 2
        for place in places:
            match = resolve_zone(place)
            assert match.zone or match.choices, place


@pytest.mark.parametrize("lang", SUPPORTED)
def test_an_operation_can_be_typed_by_its_button_name(lang: str) -> None:
    tr = translator(lang)
    for procedure in ev.PROCEDURE_LABELS:
        typed = f"  {ev.procedure_label(procedure, tr).upper()} "
        assert ev.procedure_named(typed, tr) is procedure
    assert ev.procedure_named("hip replacement", tr) is None


def test_the_summary_dates_and_moments_are_in_the_readers_language() -> None:
    for lang in SUPPORTED:
        tr = translator(lang)
        text = es.summary(profile("Anna"), tr).text
        assert tr.isolate(full_date(date(2026, 3, 1), lang)) in text
        assert tr.isolate(ZONE) in text
        sent = es.enrolled(es.NextCheckin(at=AT), "112", tr).text
        assert tr.isolate(local_moment(AT, lang)) in sent
    assert "Surgery date: Sunday 1 March 2026" in es.summary(profile("Anna"), translator("en")).text
    assert "1 марта 2026" in es.summary(profile("Anna"), translator("ru")).text


def test_arabic_keeps_a_mixed_direction_name_and_a_date_in_their_own_direction() -> None:
    arabic = translator("ar")
    name = "Sam سامي 2"  # Latin, Arabic and a digit: without isolates the line reorders
    text = es.summary(profile(name), arabic).text
    assert f"{FSI}{name}{PDI}" in text
    day = full_date(date(2026, 3, 1), "ar")
    assert day == "الأحد 1 مارس 2026"
    assert f"{FSI}{day}{PDI}" in text
    assert f"{FSI}{ZONE}{PDI}" in text
    assert f"{FSI}18:00{PDI}" in text
    assert FSI not in es.summary(profile(name), translator("en")).text


def test_every_arabic_line_reads_right_to_left() -> None:
    wrong = []
    for message in every_message(translator("ar")):
        for line in message.text.splitlines():
            if line.strip() and first_strong(line) not in ("R", "AL"):
                wrong.append(line)
    assert wrong == []
