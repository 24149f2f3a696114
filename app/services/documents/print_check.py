"""The test page and test label that Settings → Printing sends to a printer before real paper does.

The page carries the letterhead (so the administrator sees the organisation's
identity as every document will show it), says which kind of paper it tests and
where it was sent, and holds a 100 mm rule: a printer that scales the page
("fit to page") prints the rule shorter or longer, and labels printed that way
would not scan.
"""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...i18n import N_, current_language
from ...timefmt import format_local, local
from ..organisation import Identity
from .a4 import DocumentPage, build_a4, letterhead
from .fonts import Paragraph
from .labels import LabelData

TITLE = N_("Test page")
TEST_TAG = "TEST-0001"


def _rule(length_mm: int = 100) -> Drawing:
    drawing = Drawing(length_mm * mm + 4, 14 * mm)
    drawing.add(Line(0, 6 * mm, length_mm * mm, 6 * mm, strokeWidth=0.8))
    for step in range(0, length_mm + 1, 10):
        x = step * mm
        drawing.add(Line(x, 6 * mm, x, 9 * mm if step % 50 else 11 * mm, strokeWidth=0.6))
        drawing.add(String(x, 1.5 * mm, str(step), fontSize=6, textAnchor="middle"))
    return drawing


def render_check_page(kind: str, destination: str, moment: dt.datetime,
                     organisation: Identity | None = None, language: str | None = None) -> bytes:
    """An A4 test page for `kind` (a marked text: "A4 documents and certificates", …)."""
    page = DocumentPage(language or current_language())
    t = page.t
    story = [
        letterhead(organisation, page.language),
        Paragraph(t(TITLE), page.title),
        Spacer(1, 4 * mm),
        Paragraph(t(N_("Printed for: {kind}"), kind=page.plain(kind)), page.body),
        Paragraph(t(N_("Sent to: {destination}"), destination=destination), page.body),
        Paragraph(t(N_("Printed at: {moment}"), moment=format_local(moment)), page.body),
        Spacer(1, 8 * mm),
        Paragraph(t(N_("The line below is 100 mm long on paper. If it is shorter or longer, the "
                       "printer scales the page: switch off “fit to page” in its settings.")),
                  page.body),
        Spacer(1, 3 * mm),
        _rule(),
    ]
    return build_a4(story, title=page.plain(TITLE), author=(organisation or Identity()).name,
                    footer_left=page.plain(TITLE),
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def check_label(moment: dt.datetime, organisation_short: str, language: str | None = None) -> LabelData:
    """A label like an asset's, with a tag that scans back as TEST-0001."""
    from ...i18n import translate

    return LabelData(tag=TEST_TAG, manufacturer=translate(N_("Test label"), language),
                     model=format_local(moment), serial="0123456789", intake_date=local(moment).date(),
                     org=organisation_short)
