"""The patient's data as a PDF a person can read (pure): details, check-ins, alerts, chart.

Built with fpdf2 from the same document /mydata sends as JSON, so both say the same thing;
headings, labels and stored values (statuses, levels, the operation) are in the reader's
language, and so are the questions, answers and warning signs (the document carries them in the
patient's language, from the protocol's overlay). Text is set in DejaVu Sans (shipped with
matplotlib, already a dependency), which has Latin, Cyrillic, Greek and Arabic letters. fpdf2
lays the lines out with HarfBuzz (``uharfbuzz``) and its own Unicode bidirectional algorithm:
Arabic letters are joined, a right-to-left reader's lines run and align right to left, and a
name in another script or a number inside a line keeps its own order; the PDF's text reads back
in logical order.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from views.account import CHECKIN_STATUS_WORDS, LEVEL_WORDS, PROCEDURE_NAMES
from views.alerts import findings_text
from views.i18n import N_, Translator

__all__ = ["data_pdf"]

TITLE = N_("My recovery check-in data")
_RTL_CLASSES = frozenset({"R", "AL", "AN"})  # letters (and digits) of right-to-left scripts
FONT = "DejaVu"
DETAILS = (  # (label, key in the document's "patient")
    (N_("Reference"), "ref"),
    (N_("Name for the care team"), "display_name"),
    (N_("Operation"), "procedure"),
    (N_("Date of operation"), "surgery_date"),
    (N_("Time zone"), "timezone"),
    (N_("Daily check-in time"), "checkin_time"),
    (N_("Status"), "status"),
)
CHECKIN_COLUMNS = (N_("Date"), N_("Day"), N_("Status"), N_("Answers"))
GROUP = N_("family group")
ROLES = {"caregiver": N_("caregiver"), "someone else": N_("someone else")}
WORDS = {  # stored values shown in words
    **PROCEDURE_NAMES,
    **CHECKIN_STATUS_WORDS,
    **LEVEL_WORDS,
    "active": N_("active"),
    "paused": N_("paused"),
    "finished": N_("finished"),
    "withdrawn": N_("check-ins stopped"),
    "open": N_("open"),
    "acknowledged": N_("seen by the care team"),
}


def _word(value: object, tr: Translator) -> str:
    """A stored value (status, level, procedure) in words; anything else as it is."""
    known = WORDS.get(str(value))
    return tr.gettext(known) if known else str(value)


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _answer_line(answer: Mapping[str, Any], tr: Translator) -> str:
    who = answer.get("answered_by", {}).get("role", "")
    question = answer.get("question") or answer.get("question_key", "")
    label = answer.get("answer") or answer.get("value", "")
    earlier = "" if answer.get("current", True) else " " + tr.gettext("(changed later)")
    by = "" if who == "patient" else f" [{tr.gettext(ROLES.get(who, who)) if who else ''}]"
    return f"{question} {label}{by}{earlier}"


def data_pdf(document: Mapping[str, Any], tr: Translator, chart_png: bytes | None = None) -> bytes:
    """Render the /mydata document as a PDF, its headings in the reader's language.

    Args:
        document: the JSON-ready export (``services.account.data_copy``).
        tr: the reader's language.
        chart_png: the pain chart to include, if there is one.

    Returns:
        The PDF bytes.
    """
    from fpdf import FPDF  # only when someone asks for their data

    pdf = FPDF(format="A4")
    fonts = _font_dir()
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    page = _Page(pdf, rtl=tr.rtl)
    page.heading(tr.gettext(TITLE), 16, 10)
    page.line(tr.gettext("Made on {moment}", moment=document.get("exported_at", "")))
    page.heading(tr.gettext("Your details"))
    patient = document.get("patient", {})
    for label, key in DETAILS:
        value = _word(patient.get(key) or "-", tr)
        page.line(tr.gettext("{label}: {value}", label=tr.gettext(label), value=value))
    if chart_png:
        page.heading(tr.gettext("Your pain by day"))
        pdf.image(io.BytesIO(chart_png), w=170)
    _checkins(page, document.get("checkins", []), tr)
    _alerts(page, document.get("alerts", []), tr)
    page.heading(tr.gettext("Caregivers"))
    for link in document.get("caregivers", []):
        stand_in = GROUP if link.get("kind") == "group" else ROLES["caregiver"]
        name = link.get("display_name") or tr.gettext(stand_in)
        page.line(tr.gettext("{name} (removed)", name=name) if link.get("revoked_at") else name)
    if not document.get("caregivers"):
        page.line(tr.gettext("None."))
    return bytes(pdf.output())


def _needs_layout(text: str) -> bool:
    """Whether ``text`` has letters to join or reorder (right-to-left scripts, combining marks)."""
    return any(
        unicodedata.bidirectional(char) in _RTL_CLASSES or unicodedata.combining(char)
        for char in text
    )


class _Page:
    """Headings and lines, aligned to the side the reader's lines start from.

    Text is shaped (HarfBuzz) and ordered (bidi) when it needs it: always for a right-to-left
    reader, and for a left-to-right reader's text only where it holds such letters (an Arabic
    name, say), as shaping every line of a long Latin table costs seconds. A right-to-left
    reader's paragraphs are cut into lines here, between words whose widths are measured once
    each: fpdf2's own line breaking shapes the line again at every character.
    """

    def __init__(self, pdf: Any, *, rtl: bool) -> None:
        self.pdf, self.rtl = pdf, rtl
        self._widths: dict[tuple[str, str, float], float] = {}

    def shape_for(self, *texts: str) -> None:
        """Turn shaping on or off for what is written next."""
        if self.rtl or any(_needs_layout(text) for text in texts):
            self.pdf.set_text_shaping(True, direction="rtl" if self.rtl else "ltr")
        else:
            self.pdf.set_text_shaping(False)

    def heading(self, text: str, size: int = 12, height: int = 8) -> None:
        self.pdf.ln(3)
        self.pdf.set_font(FONT, "B", size)
        self._write(text, height)
        self.pdf.set_font(FONT, "", 10)

    def line(self, text: str) -> None:
        self._write(text, 5)

    def _write(self, text: str, height: int) -> None:
        self.shape_for(text)
        if not self.rtl:
            self.pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
            return
        for paragraph in text.split("\n"):
            for part, used in self._wrapped(paragraph, self.pdf.epw):
                draw = self.pdf.cell if used <= self.pdf.epw else self.pdf.multi_cell
                draw(0, height, part, align="R", new_x="LMARGIN", new_y="NEXT")  # multi: cut a word

    def _width(self, word: str) -> float:
        key = (word, self.pdf.font_style, self.pdf.font_size_pt)
        if key not in self._widths:
            self._widths[key] = self.pdf.get_string_width(word)
        return self._widths[key]

    def _wrapped(self, paragraph: str, width: float) -> list[tuple[str, float]]:
        """The paragraph cut between words into lines no wider than ``width`` (a word longer
        than that on a line of its own), each with its width."""
        space = self._width(" ")
        lines: list[tuple[list[str], float]] = [([], 0.0)]
        for word in paragraph.split(" "):
            words, used = lines[-1]
            extra = self._width(word) + (space if words else 0.0)
            if words and used + extra > width:
                lines.append(([word], self._width(word)))
            else:
                words.append(word)
                lines[-1] = (words, used + extra)
        return [(" ".join(words), used) for words, used in lines]


def _checkins(page: _Page, checkins: Sequence[Mapping[str, Any]], tr: Translator) -> None:
    page.heading(tr.ngettext("{n} check-in", "{n} check-ins", len(checkins)))
    if not checkins:
        page.line(tr.gettext("No check-ins yet."))
        return
    if page.rtl:  # a table's columns would run the wrong way: one line per check-in instead
        for checkin in checkins:
            day = f"{checkin.get('local_date', '')} · {tr.gettext('Day')} {checkin['post_op_day']}"
            page.line(
                tr.gettext(
                    "{label}: {value}", label=day, value=_word(checkin.get("status", ""), tr)
                )
            )
            for answer in checkin.get("answers", []):
                page.line(f"    {_answer_line(answer, tr)}")
        return
    rows = [
        (
            str(checkin.get("local_date", "")),
            str(checkin.get("post_op_day", "")),
            _word(checkin.get("status", ""), tr),
            "\n".join(_answer_line(a, tr) for a in checkin.get("answers", [])) or "-",
        )
        for checkin in checkins
    ]
    page.shape_for(*(row[3] for row in rows))  # the table is drawn as a whole
    with page.pdf.table(col_widths=(22, 12, 20, 126), text_align="LEFT") as table:
        header = table.row()
        for title in CHECKIN_COLUMNS:
            header.cell(tr.gettext(title))
        for texts in rows:
            row = table.row()
            for text in texts:
                row.cell(text)


def _alerts(page: _Page, alerts: Sequence[Mapping[str, Any]], tr: Translator) -> None:
    page.heading(
        tr.ngettext("{n} warning sign reported", "{n} warning signs reported", len(alerts))
    )
    for alert in alerts:
        reasons = findings_text(alert.get("reason_texts_shown", []), tr)
        when = alert.get("checkin_local_date") or alert.get("created_at", "")
        level, status = _word(alert.get("level", ""), tr), _word(alert.get("status", ""), tr)
        page.line(f"{when}: {level}: {reasons} ({status})")
    if not alerts:
        page.line(tr.gettext("None."))
