"""synth/mixed.py: a generated report typeset with its tables as pictures."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from nianbao.synth.mixed import MixedSpec, build_mixed, table_boxes

PDF = Path(__file__).resolve().parents[2] / "sample_scans" / "pdf" / "nanxi-county-2022.pdf"


def _count(page: pdfium.PdfPage, kind: int) -> int:
    return sum(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) == kind
        for i in range(pdfium_c.FPDFPage_CountObjects(page))
    )


def test_tables_become_pictures_and_the_prose_stays_text(tmp_path: Path) -> None:
    src = pdfium.PdfDocument(str(PDF))  # the same report, typeset as usual
    out = tmp_path / "mixed.pdf"
    done, truth = build_mixed(MixedSpec("t", "nanxi-county-2022", "table"), out)
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == len(src) and truth["values"]
    pictures = 0
    for i in range(len(pdf)):
        tables = len(table_boxes(src[i]))
        page = pdf[i]
        assert _count(page, pdfium_c.FPDF_PAGEOBJ_IMAGE) == tables
        pictures += tables
        text, before = (d[i].get_textpage().get_text_range() for d in (pdf, src))
        if tables:
            assert not table_boxes(page)  # no rules left: the table is a picture
            assert len(text) < len(before)
        assert set(text.split("\r\n")) <= set(before.split("\r\n"))  # what stays is untouched
    assert done["images"] == pictures > 0
    src.close()
    pdf.close()


def test_a_stamp_is_a_picture_over_the_signature_and_the_text_stays(tmp_path: Path) -> None:
    out = tmp_path / "stamp.pdf"
    build_mixed(MixedSpec("s", "nanxi-county-2022", "table", stamp=True, pages=()), out)
    src, pdf = pdfium.PdfDocument(str(PDF)), pdfium.PdfDocument(str(out))
    last = len(pdf) - 1
    assert _count(pdf[last], pdfium_c.FPDF_PAGEOBJ_IMAGE) == 1
    assert pdf[last].get_textpage().get_text_range() == src[last].get_textpage().get_text_range()
    src.close()
    pdf.close()
