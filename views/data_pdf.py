"""The patient's data as a PDF a person can read (pure): details, check-ins, alerts, chart.

Built with fpdf2 from the same document /mydata sends as JSON, so both say the same thing.
Text is set in DejaVu Sans (shipped with matplotlib, already a dependency), so names and
answers in any European, Cyrillic or Greek script print as written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["data_pdf"]

TITLE = "My recovery check-in data"
FONT = "DejaVu"


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _answer_line(answer: Mapping[str, Any]) -> str:
    who = answer.get("answered_by", {}).get("role", "")
    question = answer.get("question") or answer.get("question_key", "")
    label = answer.get("answer") or answer.get("value", "")
    earlier = "" if answer.get("current", True) else " (changed later)"
    by = "" if who == "patient" else f" [{who}]"
    return f"{question} {label}{by}{earlier}"


def data_pdf(document: Mapping[str, Any], chart_png: bytes | None = None) -> bytes:
    """Render the /mydata document as a PDF.

    Args:
        document: the JSON-ready export (``services.account.data_copy``).
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
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"Made on {document.get('exported_at', '')}", new_x="LMARGIN", new_y="NEXT")
    _section(pdf, "Your details")
    patient = document.get("patient", {})
    for label, key in (
        ("Reference", "ref"),
        ("Name for the care team", "display_name"),
        ("Operation", "procedure"),
        ("Date of operation", "surgery_date"),
        ("Time zone", "timezone"),
        ("Daily check-in time", "checkin_time"),
        ("Status", "status"),
    ):
        _line(pdf, f"{label}: {patient.get(key) or '-'}")
    if chart_png:
        _section(pdf, "Your pain by day")
        pdf.image(io.BytesIO(chart_png), w=170)
    _checkins(pdf, document.get("checkins", []))
    _alerts(pdf, document.get("alerts", []))
    _section(pdf, "Caregivers")
    for link in document.get("caregivers", []) or [{"name": "none"}]:
        _line(pdf, f"{link.get('name') or link.get('kind', '')} {link.get('status', '')}".strip())
    return bytes(pdf.output())


def _section(pdf: Any, title: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _line(pdf: Any, text: str) -> None:
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _checkins(pdf: Any, checkins: Sequence[Mapping[str, Any]]) -> None:
    _section(pdf, f"Check-ins ({len(checkins)})")
    if not checkins:
        _line(pdf, "No check-ins yet.")
        return
    with pdf.table(col_widths=(22, 12, 20, 126), text_align="LEFT") as table:
        header = table.row()
        for title in ("Date", "Day", "Status", "Answers"):
            header.cell(title)
        for checkin in checkins:
            row = table.row()
            row.cell(str(checkin.get("local_date", "")))
            row.cell(str(checkin.get("post_op_day", "")))
            row.cell(str(checkin.get("status", "")))
            row.cell("\n".join(_answer_line(a) for a in checkin.get("answers", [])) or "-")


def _alerts(pdf: Any, alerts: Sequence[Mapping[str, Any]]) -> None:
    _section(pdf, f"Warning signs reported ({len(alerts)})")
    for alert in alerts:
        reasons = "; ".join(alert.get("reason_texts", []))
        when = alert.get("checkin_local_date") or alert.get("created_at", "")
        _line(pdf, f"{when}: {alert.get('level', '')}: {reasons} ({alert.get('status', '')})")
    if not alerts:
        _line(pdf, "None.")
