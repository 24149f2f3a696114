"""The fonts every PDF and label embeds, and the runs of text that choose between them.

ReportLab's standard fonts (Helvetica, Courier) are not embedded and know Windows-1252
only, so 'Łukasz' printed as '■ukasz' and a Chinese school as a row of boxes. Every
document draws with DejaVu Sans instead (Latin, Greek, Cyrillic, Arabic, shipped in
`resources/fonts/` with its licence, embedded as a subset); for the characters DejaVu lacks
(Chinese, Japanese, Korean) a run of text switches to Droid Sans Fallback. A PDF draws
glyphs left to right exactly as given, so Arabic is first shaped (arabic-reshaper: the
joined letter forms and the lam-alef ligature) and put in visual order (python-bidi, the
Unicode bidirectional algorithm, the line itself left to right as the documents are Dutch
or English) before it is drawn.

Use `Paragraph` from here instead of ReportLab's, `draw` instead of `canvas.drawString`,
and `string_width` instead of `stringWidth`: they do the switching and the ordering.
"""

from __future__ import annotations

import re
from functools import cache

import arabic_reshaper
from bidi import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.tables import CellStyle

from ...paths import RESOURCES

FONTS_DIR = RESOURCES / "fonts"

REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
MONO = "DejaVuSansMono"
CJK = "DroidSansFallback"

_FILES = {
    REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf",
    MONO: "DejaVuSansMono.ttf", CJK: "DroidSansFallback.ttf",
}

# Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko…, the Arabic presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Format characters (marks of direction, joiners): no glyph, nothing to draw once ordered.
_FORMAT = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKUP_TOKEN = re.compile(r"(<[^>]*>|&[#\w]+;)")
_TAG = re.compile(r"<(/?)\s*(\w+)")


def font_file(name: str) -> str:
    """The file in `FONTS_DIR` of a font registered here."""
    return _FILES[name]


def _register(name: str) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / _FILES[name])))


@cache
def register() -> None:
    """Register the DejaVu faces and the family that <b> and <i> choose from (once)."""
    for name in (REGULAR, BOLD, ITALIC, MONO):
        _register(name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)
    pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
    # A canvas starts in this font (ReportLab names Helvetica in every page's preamble otherwise,
    # a font nobody embeds).
    rl_config.canvas_basefontname = REGULAR
    rl_config.defaultGraphicsFontName = REGULAR  # a drawing's (the QR code's) starting font
    # Likewise a table sets its cells' font (default Helvetica) even around a Paragraph.
    CellStyle.fontname = REGULAR
    if ttfonts.makeToUnicodeCMap is not _to_unicode_cmap:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map, with characters beyond U+FFFF (emoji) as UTF-16 pairs.

    ReportLab writes U+1F600 as <1F600>, which PDF readers cut to U+1F60: the emoji
    prints, but copying or searching the text finds another character.
    """
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            high = 0xD800 + ((code - 0x10000) >> 10)
            low = 0xDC00 + ((code - 0x10000) & 0x3FF)
            cmap = cmap.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{high:04X}{low:04X}>")
    return cmap


@cache
def _register_cjk() -> None:
    """Register the CJK fallback on first need: Droid's 3.4 MB are read only for CJK text."""
    _register(CJK)
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)


@cache
def covered(font: str) -> frozenset[int]:
    """The code points `font` has a glyph for."""
    register()
    if font == CJK:
        _register_cjk()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def visual(text: str) -> str:
    """The text in the order it is drawn: right-to-left runs shaped and reversed, rest as is."""
    if not _RTL.search(text):
        return text
    return _FORMAT.sub("", get_display(arabic_reshaper.reshape(text), base_dir="L"))


def font_for(char: str, font: str) -> str:
    """`font` if it has the character, else the first fallback that has it (else `font`)."""
    code = ord(char)
    if code in covered(font) or char.isspace():
        return font
    for other in (BOLD if font == BOLD else REGULAR, CJK):
        if code in covered(other):
            return other
    return font


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """The text in drawing order as (font, piece) runs, each piece printable in its font."""
    register()
    if text.isascii():  # the common case: every font here has ASCII
        return [(font, text)] if text else []
    out: list[tuple[str, str]] = []
    for char in visual(text):
        chosen = font_for(char, font)
        if out and out[-1][0] == chosen:
            out[-1] = (chosen, out[-1][1] + char)
        else:
            out.append((chosen, char))
    return out


def drawn_as_is(text: str, font: str) -> bool:
    """Whether `font` draws the text as it stands: no fallback run, nothing right to left.

    Only such text may go where ReportLab draws a string itself (a plain table cell).
    """
    return runs(text, font) == ([(font, text)] if text else [])


def string_width(text: str, font: str, size: float) -> float:
    """How wide the text is drawn, in points, fallback runs included."""
    return sum(pdfmetrics.stringWidth(piece, f, size) for f, piece in runs(text, font))


def draw(canvas, x: float, y: float, text: str, font: str, size: float,
         anchor: str = "left") -> float:
    """Draw one line from `x` ("left"), around it ("centre") or up to it ("right"); its width."""
    pieces = runs(text, font)
    width = sum(pdfmetrics.stringWidth(piece, f, size) for f, piece in pieces)
    x -= {"left": 0.0, "centre": width / 2, "right": width}[anchor]
    for f, piece in pieces:
        canvas.setFont(f, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, f, size)
    return width


def _fallback_in(face: str, code: int) -> str | None:
    """The font a character of body text in `face` switches to, or None when `face` has it.

    A <font name=…> tag sets bold and italic to those of the named font, so the choice
    keeps what it can: DejaVu's oblique lacks Arabic, which then stands upright.
    """
    if code in covered(face):
        return None
    for other in (BOLD, REGULAR) if face == BOLD else (REGULAR, BOLD):
        if code in covered(other):
            return other
    return CJK if code in covered(CJK) else None


def markup(text: str) -> str:
    """Paragraph markup with its text in drawing order and fallback runs in <font> tags.

    Tags and entities stay as they are (<b> and <i> tell which face the text is in);
    the text between them is ordered and split.
    """
    register()
    if text.isascii():
        return text
    out, bold, italic = [], 0, 0
    for i, token in enumerate(_MARKUP_TOKEN.split(text)):
        if i % 2:  # a tag or an entity
            out.append(token)
            tag = _TAG.match(token)
            if tag and not token.endswith("/>"):
                step = -1 if tag.group(1) else 1
                name = tag.group(2).lower()
                bold += step if name in ("b", "strong") else 0
                italic += step if name in ("i", "em") else 0
            continue
        if token.isascii():
            out.append(token)
            continue
        face = BOLD if bold > 0 else ITALIC if italic > 0 else REGULAR
        font, run = None, []
        for char in visual(token):
            # a space inside a run of fallback text stays in it
            wanted = font if char.isspace() else _fallback_in(face, ord(char))
            if wanted != font and run:
                out.append(_wrapped(font, "".join(run)))
                run = []
            font = wanted
            run.append(char)
        if run:
            out.append(_wrapped(font, "".join(run)))
    return "".join(out)


def _wrapped(font: str | None, piece: str) -> str:
    if font == CJK:
        _register_cjk()
    return piece if font is None else f'<font name="{font}">{piece}</font>'


class Paragraph(_Paragraph):
    """ReportLab's Paragraph with the fonts switched and right-to-left text ordered."""

    def __init__(self, text, style=None, *args, **kwargs):
        super().__init__(markup(text) if isinstance(text, str) else text, style, *args, **kwargs)


register()
