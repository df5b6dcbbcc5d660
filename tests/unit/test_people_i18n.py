"""Patients' self-service and caregiver copy in every language (issue #16): no English left in
Russian or Arabic, every button label within 24 characters, and the pain chart and PDF in the
reader's script."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from recovery import Level
from views import account, texts
from views.caregivers import invites, manage, proxy, summary
from views.data_pdf import data_pdf
from views.i18n import SUPPORTED, Translator, translator
from views.message import Message
from views.pain_chart import DayPoint, PainBand, chart_labels, pain_chart

LONDON = ZoneInfo("Europe/London")
LONG = "Bartholomew-Alexander Montgomery"  # a name longer than a button
# What may stay in Latin letters inside Russian or Arabic copy: commands, the sample values
# (the long name whole or cut to fit a button), the language buttons (each in its own name).
KEPT = re.compile(
    r"/[a-z]+|https://\S+|ABCD-EFGH|JSON|Ann|Bob|Family|P-0001|Europe/London|English|Español"
    r"|Bartholomew(-[A-Za-z]*( [A-Za-z]*)?)?…?"
)


def account_messages(tr: Translator) -> Iterator[Message]:
    for msgid in (
        account.NOTHING_STORED,
        account.STILL_ENROLLING,
        account.PROGRAMME_FINISHED,
        account.PAUSED,
        account.ALREADY_PAUSED,
        account.STOPPED,
        account.ALREADY_STOPPED,
        account.STOPPED_WHILE_ENROLLING,
        account.ERASED,
        account.DELETE_CANCELLED,
        account.DELETE_EXPIRED_NOTICE,
        account.EXPORT_CAPTION,
        account.PDF_CAPTION,
    ):
        yield account.say(msgid, tr)
    recent = (
        account.CheckInLine(date(2026, 2, 28), "completed", pain=7, level="attention"),
        account.CheckInLine(date(2026, 3, 1), "missed"),
        account.CheckInLine(date(2026, 3, 2), "in_progress", pain=4, level="ok"),
        account.CheckInLine(date(2026, 3, 3), "sent", level="urgent"),
    )
    next_checkin = datetime(2026, 3, 4, 9, 0, tzinfo=LONDON)
    for status in ("active", "paused", "withdrawn", "finished"):
        for procedure in ("fusion", "kyphoplasty", "vertebroplasty", None):
            for day, surgery in ((10, date(2026, 2, 20)), (-3, date(2026, 3, 5))):
                yield account.status_message(
                    account.StatusView(
                        status,
                        procedure,
                        surgery,
                        day,
                        False,
                        next_checkin,
                        "Europe/London",
                        recent,
                    ),
                    tr,
                )
    for scores in ([], [5], [7, 4], [3, 6], [4, 4]):
        yield Message(account.pain_trend(scores, tr))
    for hospital, when, already in (
        (True, None, False),
        (False, None, True),
        (False, next_checkin, False),
    ):
        yield account.resumed_message(
            next_checkin=when, timezone="UTC", in_hospital=hospital, already=already, tr=tr
        )
    yield account.delete_question(tr)
    yield account.delete_chosen(erased=True, tr=tr)
    yield account.delete_chosen(erased=False, tr=tr)


def caregiver_messages(tr: Translator) -> Iterator[Message]:
    for msgid in (
        invites.TOO_MANY_TRIES,
        invites.INVITE_INVALID,
        invites.INVITE_USED,
        invites.INVITE_EXPIRED,
        invites.INVITE_OWN,
        invites.NOT_A_PATIENT,
        invites.JOIN_USAGE,
        invites.LINKGROUP_USAGE,
        invites.LINKGROUP_IN_PRIVATE,
        invites.GROUP_HELLO,
        invites.INVITE_USED_NOTICE,
        invites.ALREADY_LINKED_NOTICE,
        manage.NOT_YOUR_CAREGIVER,
        proxy.NOBODY_TO_ANSWER_FOR,
        proxy.NOT_ALLOWED_HERE,
        proxy.UNLINKED_GROUP,
    ):
        yield invites.say(msgid, tr)
    link = "https://t.me/bot?start=abc"
    yield invites.invite_message(link=link, code="ABCD-EFGH", valid_until="x", tr=tr)
    for name in ("Ann", None):
        yield invites.invite_preview(name, 1, tr)
        yield invites.accepted_for_caregiver(name, tr)
        yield invites.group_linked(name, tr)
        yield invites.already_linked(name, tr, group=True)
        yield invites.already_linked(name, tr, group=False)
        yield proxy.answering_allowed(name, tr)
        yield proxy.answering_for(name, Message("?"), tr)
        yield proxy.no_open_checkin(name, tr)
        for completed in (True, False):
            for level in (*Level, None):
                yield summary.daily_summary(
                    name, day=3, completed=completed, pain=4, level=level, tr=tr
                )
    yield invites.caregiver_language(tr)
    yield invites.caregiver_language(tr, changed=True)
    yield invites.accepted_for_patient("Bob", tr)
    yield invites.group_linked_for_patient("Family", tr)
    yield invites.group_removed_for_patient("Family", tr)
    yield proxy.proxy_started_for_patient("Bob", tr)
    yield proxy.pick_patient([(1, "Ann"), (2, LONG)], tr)
    yield manage.caregivers_message([], tr)
    yield manage.caregivers_message(
        [
            manage.CaregiverRow(1, "Bob", False, False, False, True),
            manage.CaregiverRow(2, LONG, False, True, False, False),
            manage.CaregiverRow(3, "Family", True, False, True, False),
            manage.CaregiverRow(4, LONG, True, False, False, False),
        ],
        tr,
    )


def other_messages(tr: Translator) -> Iterator[Message]:
    for msgid in (
        texts.IN_HOSPITAL,
        texts.BEFORE_SURGERY,
        texts.USE_BUTTONS,
        texts.SLOW_DOWN_MESSAGE,
    ):
        yield texts.say(msgid, tr)
    for msgid in (texts.STALE_BUTTON, texts.NOT_YOURS, texts.ALREADY_ANSWERED, texts.SLOW_DOWN):
        yield texts.say(msgid, tr)
    labels = chart_labels(tr)
    yield Message("\n".join(v for v in vars(labels).values() if isinstance(v, str)))


def every_message(tr: Translator) -> Iterator[Message]:
    yield from account_messages(tr)
    yield from caregiver_messages(tr)
    yield from other_messages(tr)


def english_words(message: Message) -> list[str]:
    """Latin words of three or more letters, outside commands and the sample values."""
    shown = [message.text, *(button.label for row in message.keyboard for button in row)]
    return re.findall(r"[A-Za-z]{3,}", KEPT.sub(" ", "\n".join(shown)))


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_account_caregiver_and_chart_copy_has_no_english_left(lang: str) -> None:
    tr = translator(lang)
    left = {word for message in every_message(tr) for word in english_words(message)}
    assert left == set()


def test_the_english_copy_is_english() -> None:  # the check above would see a missing catalog
    assert {"check", "caregiver"} <= {
        w.lower() for m in every_message(translator("en")) for w in english_words(m)
    }


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_button_label_in_these_views_fits_24_characters(lang: str) -> None:
    labels = [
        button.label
        for message in every_message(translator(lang))
        for row in message.keyboard
        for button in row
    ]
    assert len(labels) > 12
    assert [label for label in labels if len(label) > 24] == []


@pytest.mark.parametrize("lang", SUPPORTED)
def test_the_pain_chart_draws_every_language_with_the_fonts_glyphs(lang: str) -> None:
    # pytest turns matplotlib's "Glyph ... missing from font" warning into an error
    png = pain_chart(
        [DayPoint(1, 6), DayPoint(2, None, missed=True), DayPoint(3, 5, alert=True)],
        [PainBand(day, 3, 7) for day in range(5)],
        today=3,
        window=4,
        labels=chart_labels(translator(lang)),
    )
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", SUPPORTED)
def test_the_pdf_is_in_the_readers_language(lang: str) -> None:
    from pypdf import PdfReader

    tr = translator(lang)
    document = {
        "exported_at": "2026-03-02T09:00:00+00:00",
        "patient": {"ref": "P-0001", "procedure": "fusion", "status": "active"},
        "checkins": [{"local_date": "2026-03-01", "post_op_day": 9, "status": "completed"}],
        "alerts": [{"level": "urgent", "status": "open", "reason_texts_shown": ["a fever"]}],
        "caregivers": [{"kind": "user", "display_name": "Bob", "revoked_at": None}],
    }
    pdf = data_pdf(document, tr)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "P-0001" in text
    if lang == "ru":
        assert "Ваши сведения" in text
        assert "Your details" not in text
    if lang == "ar":  # read back in logical order (tests/unit/test_data_pdf.py: the shaping)
        assert "بياناتك" in text


def test_lists_in_a_sentence_use_the_readers_comma() -> None:
    day = {"day": 3, "completed": True, "pain": 4, "level": Level.OK}
    arabic = summary.daily_summary("Ann", tr=translator("ar"), **day).text  # type: ignore[arg-type]
    english = summary.daily_summary("Ann", tr=translator("en"), **day).text  # type: ignore[arg-type]
    assert "، " in arabic
    assert ", " not in arabic
    assert (
        english
        == "📋 Ann, day 3 of recovery: check-in done, pain 4/10, nothing of concern reported."
    )
