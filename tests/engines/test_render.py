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
