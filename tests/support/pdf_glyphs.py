"""The glyphs a PDF draws, where it draws them, as a reader's eye meets them (for tests).

Text extraction (pypdf) gives back characters; it cannot tell whether Arabic letters were drawn
joined, nor where a word stands in its line. This reads the page's own drawing instructions
instead: every glyph shown (``Tj``/``TJ``) with its position, the characters it stands for (the
font's ToUnicode map) and its name in the embedded font (DejaVu names an Arabic letter's joined
forms ``uniFE91`` and so on). Handles what fpdf2 writes: Type0 fonts, two-byte glyph codes,
``Td``/``Tm`` positioning.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

__all__ = ["Glyph", "glyph_lines", "line_with"]

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class Glyph:
    """One glyph drawn: its left edge and baseline (points), its characters and glyph name."""

    x: float
    y: float
    text: str
    name: str


@dataclass(frozen=True)
class _Font:
    unicode: dict[int, str]  # glyph code -> characters
    names: dict[int, str]  # glyph code -> the embedded font's glyph name
    widths: dict[int, float]  # glyph code -> advance (thousandths of the font size)
    default_width: float


def _widths(w: list[Any]) -> dict[int, float]:
    out: dict[int, float] = {}
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            out.update({first + n: float(width) for n, width in enumerate(w[i + 1])})
            i += 2
        else:
            out.update({code: float(w[i + 2]) for code in range(first, int(w[i + 1]) + 1)})
            i += 3
    return out


def _font(font: Any) -> _Font:
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    block = "".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S))
    unicode = {
        int(code, 16): bytes.fromhex(chars).decode("utf-16-be")
        for code, chars in _BFCHAR.findall(block)
    }
    cid = font["/DescendantFonts"][0].get_object()
    gids = cid["/CIDToGIDMap"].get_object().get_data()
    program = cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    order = TTFont(io.BytesIO(program)).getGlyphOrder()
    names = {}
    for code in range(len(gids) // 2):
        gid = int.from_bytes(gids[2 * code : 2 * code + 2], "big")
        names[code] = order[gid] if gid < len(order) else ".notdef"
    return _Font(unicode, names, _widths(list(cid.get("/W", []))), float(cid.get("/DW", 1000)))


def _page_glyphs(page: Any, reader: PdfReader) -> list[Glyph]:
    fonts = {name: _font(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()}
    glyphs: list[Glyph] = []
    font, size, x, y = None, 0.0, 0.0, 0.0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font, size = fonts[operands[0]], float(operands[1])
        elif operator == b"Td":
            x, y = float(operands[0]), float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator in (b"Tj", b"TJ") and font is not None:
            parts = operands[0] if operator == b"TJ" else [operands[0]]
            for part in parts:
                if isinstance(part, int | float):  # a TJ adjustment
                    x -= float(part) / 1000 * size
                    continue
                raw = part.original_bytes if hasattr(part, "original_bytes") else bytes(part)
                for i in range(0, len(raw) - 1, 2):
                    code = int.from_bytes(raw[i : i + 2], "big")
                    glyphs.append(Glyph(x, y, font.unicode.get(code, ""), font.names[code]))
                    x += font.widths.get(code, font.default_width) / 1000 * size
    return glyphs


def glyph_lines(pdf: bytes) -> list[list[Glyph]]:
    """Every line of a PDF, page by page from the top, each line's glyphs from left to right."""
    reader = PdfReader(io.BytesIO(pdf))
    lines: list[list[Glyph]] = []
    for page in reader.pages:
        by_y: dict[float, list[Glyph]] = {}
        for glyph in _page_glyphs(page, reader):
            by_y.setdefault(round(glyph.y, 1), []).append(glyph)
        for y in sorted(by_y, reverse=True):
            lines.append(sorted(by_y[y], key=lambda g: g.x))
    return lines


def line_with(pdf: bytes, text: str, *, exactly: bool = False) -> list[Glyph]:
    """The first line drawing the characters of ``text`` (in any order), left to right.

    Args:
        pdf: the document.
        text: the characters to look for, each as many times as it occurs.
        exactly: the line must draw those characters and no others.

    Raises:
        LookupError: no line has them.
    """
    wanted = Counter(text)
    for line in glyph_lines(pdf):
        drawn = Counter("".join(glyph.text for glyph in line))
        if (drawn == wanted) if exactly else not (wanted - drawn):
            return line
    raise LookupError(text)
