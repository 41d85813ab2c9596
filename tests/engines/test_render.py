"""Page sources: the text-layer quality test and text-layer fragments of a real PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.engines.render import PdfSource, pdf_preflight, text_layer_quality
from nianbao.settings import Settings

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-pdfs"


def test_real_chinese_text_is_a_text_layer(settings: Settings) -> None:
    ok, note = text_layer_quality(
        "二、主动公开政府信息情况\n行政许可 447228\n" * 3, settings.render
    )
    assert ok, note


@pytest.mark.parametrize(
    "text",
    [
        "¿”¡fl¿”¡fl¿”¡fl ¿”¡fl¿”¡fl¿”¡fl ¿”¡fl¿”¡fl¿”¡fl ¿”¡fl¿”¡fl",  # broken glyph map
        "\ue001\ue002\ue003" * 20,  # private-use glyphs
        "Annual report page 1 of 5 " * 3,  # no CJK at all
        "二、主动公开",  # too little text: a scan with a stray label
    ],
)
def test_garbage_or_thin_text_layers_are_not_used(settings: Settings, text: str) -> None:
    ok, note = text_layer_quality(text, settings.render)
    assert not ok and note


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/real-pdfs not beside the checkout")
def test_text_layer_fragments_are_page_pixels(settings: Settings) -> None:
    source = PdfSource(REAL / "huaian-city-2024.pdf", settings.render)
    pages = list(source.pages())
    source.close()
    assert len(pages) == 6
    page = pages[3]
    assert page.fragments is not None and page.dpi == settings.render.dpi
    texts = [f.text for f in page.fragments]
    assert "96171.6" in texts and "行政事业性收费" in texts  # the full stop stays in its number
    for f in page.fragments:
        x0, y0, x1, y1 = f.bbox
        assert 0 <= x0 <= x1 <= page.width and 0 <= y0 <= y1 <= page.height


SCAN_PDFS = sorted((Path(__file__).resolve().parents[2] / "sample_scans").glob("*/*.pdf"))


@pytest.mark.parametrize("path", SCAN_PDFS, ids=lambda p: p.name)
def test_real_and_sample_pdfs_pass_the_preflight(settings: Settings, path: Path) -> None:
    """No false alarm (truncated, rebuilt, damaged stream, bomb) on well-formed PDFs."""
    assert pdf_preflight(path, settings.render) == []


@pytest.mark.parametrize("path", SCAN_PDFS, ids=lambda p: p.name)
def test_no_page_with_text_is_judged_blank(settings: Settings, path: Path) -> None:
    source = PdfSource(path, settings.render)
    try:
        for page in source.pages():
            ink = page.ink_share(settings.render.blank_contrast)
            assert ink >= settings.render.blank_max_ink, (path.name, page.number, ink)
    finally:
        source.close()


_ORDERS = """
import json, sys
import pypdfium2 as pdfium
from nianbao.runner import Pipeline

path, order = sys.argv[1], sys.argv[2]
if order == "render-then-read":  # every page rendered first: fonts and glyphs loaded
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        pdf[i].render(scale=2)
    pdf.close()
pipeline = Pipeline()
runs = 2 if order == "read-twice" else 1
for _ in range(runs):
    record = pipeline.run(path).model_dump(mode="json")
    record["provenance"].pop("timings_ms")
    print(json.dumps(record, ensure_ascii=False, sort_keys=True))
"""


def _nonembedded_pdf(path: Path) -> Path:
    """A report page set in a CJK font the PDF does not embed (reportlab's CID fonts never
    are), as many real reports are: pdfium substitutes a system font for it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    lines = [
        "青禾县人民政府2021年政府信息公开工作年度报告",
        "一、总体情况",
        "2021年，本机关全年主动公开政府信息1200条，新收政府信息公开申请18件。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    for k, line in enumerate(lines):
        c.setFont("STSong-Light", 16 if k == 0 else 12)
        c.drawString(72, 760 - 26 * k, line)
    c.showPage()
    c.save()
    return path


@pytest.mark.slow  # two fresh processes per case
@pytest.mark.parametrize("kind", ["nonembedded", "real"])
def test_text_layer_records_do_not_depend_on_what_the_process_did_before(
    tmp_path: Path, kind: str
) -> None:
    """pdfium's tight character boxes change once a page was rendered (glyphs of a font the
    PDF does not embed are loaded only then), which split "2021" and "年" into two runs on the
    second extraction. Runs are cut on loose boxes (font metrics): the same records whether
    the PDF is read once, read twice in one process, or read after its pages were rendered."""
    import subprocess
    import sys

    if kind == "real" and not REAL.is_dir():
        pytest.skip("shared/real-pdfs not beside the checkout")
    pdf = _nonembedded_pdf(tmp_path / "report.pdf") if kind == "nonembedded" else None
    path = str(pdf or REAL / "hongze-district-2024.pdf")
    script = tmp_path / "orders.py"
    script.write_text(_ORDERS, encoding="utf-8")
    out = {}
    for order in ("read-twice", "render-then-read"):
        done = subprocess.run(
            [sys.executable, str(script), path, order],
            capture_output=True,
            text=True,
            check=True,
        )
        out[order] = done.stdout.splitlines()
    first, second = out["read-twice"]
    assert first == second
    assert out["render-then-read"] == [first]
    if kind == "nonembedded":
        assert '"value": "青禾县人民政府2021年政府信息公开工作年度报告"' in first
