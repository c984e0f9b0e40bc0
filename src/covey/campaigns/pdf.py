"""Briefs as PDF, with fpdf2 (pure Python; the optional extra ``covey[pdf]``).

The PDF uses the standard Helvetica font, which covers Latin-1: the languages of the shipped
compliance packs (English, German, French, Spanish, Portuguese, Italian, Dutch ...). A character
outside it (an emoji, Greek, Cyrillic) is written as '?', and :func:`to_pdf` says which were
replaced; for such briefs print the HTML from a browser instead (it has print CSS).
"""

from __future__ import annotations

from covey.errors import MissingDependencyError

Section = tuple[str, list[str]]
# Typographic characters outside Latin-1 that have a plain equivalent.
TYPOGRAPHY = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
}


def _latin1(text: str, lost: set[str]) -> str:
    out = []
    for ch in text:
        ch = TYPOGRAPHY.get(ch, ch)
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            lost.add(ch)
            out.append("?")
    return "".join(out)


def to_pdf(title: str, sections: list[Section]) -> tuple[bytes, list[str]]:
    """The brief as PDF bytes, and the characters that Latin-1 could not hold (written as '?')."""
    try:
        from fpdf import FPDF
    except ImportError as exc:
        raise MissingDependencyError("Briefs as PDF", "pdf", "fpdf") from exc
    lost: set[str] = set()
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(title, lost))
    pdf.set_creator("Covey")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(width, 8, _latin1(title, lost), new_x="LMARGIN", new_y="NEXT")
    for head, lines in sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", style="B", size=12)
        pdf.multi_cell(width, 7, _latin1(head, lost), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.multi_cell(width, 5.5, "- " + _latin1(line, lost), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), sorted(lost)
