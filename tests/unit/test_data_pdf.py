"""The /mydata PDF lays Arabic out as it is read (issue #16): letters joined, lines running right
to left for an Arabic reader, a Latin name or a date inside keeping its own order, and its text
reading back in the order it was written. Checked on the glyphs the PDF draws
(:mod:`tests.support.pdf_glyphs`) and on pypdf's text extraction."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from pypdf import PdfReader

from tests.support.pdf_glyphs import Glyph, glyph_lines, line_with
from views.data_pdf import data_pdf
from views.i18n import translator

A4_WIDTH = 595.3  # points
QUESTION = "هل عندك حمى؟"  # "Do you have a fever?"
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


def document(*caregivers: str) -> dict[str, Any]:
    """A /mydata document: a patient with a Latin name, one check-in, caregivers named so."""
    answer = {"question": QUESTION, "answer": "نعم", "answered_by": {"role": "patient"}}
    return {
        "exported_at": "2026-03-02T09:00:00+00:00",
        "patient": {"ref": "P-0001", "display_name": "Layla Haddad", "procedure": "fusion"},
        "checkins": [
            {
                "local_date": "2026-03-01",
                "post_op_day": 9,
                "status": "completed",
                "answers": [answer],
            }
        ],
        "alerts": [],
        "caregivers": [{"kind": "user", "display_name": name} for name in caregivers],
    }


def names(line: list[Glyph]) -> list[str]:
    """The glyphs' names in the font, left to right."""
    return [glyph.name for glyph in line]


def runs(line: list[Glyph]) -> list[str]:
    """A line from left to right as runs: "AR" for Arabic letters, Latin letters and digits as
    they are drawn (punctuation and spaces between runs left out)."""
    out: list[str] = []
    latin = False
    for glyph in line:
        if any(unicodedata.bidirectional(c) == "AL" for c in glyph.text):
            if not out or out[-1] != "AR":
                out.append("AR")
            latin = False
        elif re.fullmatch(r"[A-Za-z0-9-]", glyph.text):
            out[-1:] = [out[-1] + glyph.text] if latin else [*out[-1:], glyph.text]
            latin = True
        elif glyph.text == " " and latin:
            out[-1] += " "
        else:
            latin = False
    return [run.strip() for run in out]


def test_an_arabic_pdf_reads_back_in_the_order_it_was_written() -> None:
    pdf = data_pdf(document(), translator("ar"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "بياناتك" in text  # "Your details", letters in the order they are typed
    assert QUESTION.removesuffix("؟") in text
    assert not PRESENTATION_FORMS.search(text)  # the letters themselves, not joined-form codes


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_arabic_letters_are_joined_and_run_right_to_left_for_every_reader(lang: str) -> None:
    pdf = data_pdf(document("بيت", "دار", "لا"), translator(lang))
    house = line_with(pdf, "بيت", exactly=True)
    # left to right: teh at the end of the word, yeh in its middle, beh starting it
    assert names(house) == ["uniFE96", "uniFEF4", "uniFE91"]
    # dal and alef join no letter after them: each letter stands alone, read from the right
    assert names(line_with(pdf, "دار", exactly=True)) == ["uni0631", "uni0627", "uni062F"]
    assert names(line_with(pdf, "لا", exactly=True)) == ["uniFEFB"]  # lam-alef: one glyph
    if lang == "ar":  # an Arabic reader's lines start on the right
        assert house[0].x > A4_WIDTH / 2
    else:
        assert house[-1].x < A4_WIDTH / 2
        # inside the English check-in table too
        assert any(g.name.startswith("uniFE") for g in line_with(pdf, "عندك"))


def test_a_latin_name_and_dates_keep_their_order_inside_an_arabic_line() -> None:
    pdf = data_pdf(document(), translator("ar"))
    # "Name for the care team: Layla Haddad": the label on the right, the name after it
    assert runs(line_with(pdf, "Layla Haddad")) == ["Layla Haddad", "AR"]
    # "2026-03-01 · Day 9: done", read from the right: the date, "day", 9, then the status
    assert runs(line_with(pdf, "2026-03-01")) == ["AR", "9", "AR", "2026-03-01"]
    assert runs(line_with(pdf, "P-0001")) == ["P-0001", "AR"]


def test_a_word_longer_than_a_line_is_cut_not_drawn_off_the_page() -> None:
    long_name = "بيت" * 80
    pdf = data_pdf(document(long_name), translator("ar"))
    drawn = [glyph for line in glyph_lines(pdf) for glyph in line if glyph.text in "بيت"]
    assert len(drawn) >= len(long_name)
    assert all(0 < glyph.x < A4_WIDTH for glyph in drawn)
