"""A demand letter as files: a PDF through WeasyPrint with the Noto CJK fonts
(`core.pdf`), and an editable DOCX through python-docx. Both carry the same
content (`content.letter_content`)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from qingqian.core.pdf import CJK_FAMILIES, font_family_css, render_pdf
from qingqian.services.letters.content import LetterContent, letter_content
from qingqian.services.models import DemandLetter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter_filename(letter: DemandLetter, extension: str) -> str:
    return f"demand-letter-{letter.debtor_uscc}-{letter.pk}.{extension}"


def render_letter_pdf(letter: DemandLetter) -> bytes:
    html = render_to_string(
        "services/letters/letter_pdf.html",
        {"letter": letter_content(letter), "font_family": font_family_css()},
    )
    return render_pdf(html)


def render_letter_docx(letter: DemandLetter) -> bytes:
    import docx  # python-docx, imported here so that pages load without it

    content = letter_content(letter)
    document = docx.Document()
    _use_cjk_font(document)
    _letterhead(document, content)
    document.add_heading(content.title, level=1).alignment = 1
    for text in (content.addressee, content.subject, *content.facts):
        document.add_paragraph(text)
    _amounts_table(document, content)
    document.add_heading(content.basis_heading, level=2)
    for text in content.basis:
        document.add_paragraph(text, style="List Number")
    for text in (content.demand, content.consequences, "特此函告。"):
        document.add_paragraph(text)
    for text in (*content.signature, content.date):
        document.add_paragraph(text).alignment = 2  # right
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _use_cjk_font(document) -> None:
    """Word picks East Asian text's font from w:eastAsia, which python-docx does not set."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = CJK_FAMILIES[0]
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FAMILIES[0])


def _letterhead(document, content: LetterContent) -> None:
    head = document.add_paragraph()
    head.alignment = 1  # centred
    head.add_run(content.sender).bold = True
    details = document.add_paragraph("　".join(content.sender_details))
    details.alignment = 1


def _amounts_table(document, content: LetterContent) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in content.amounts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
