"""layout: fragments -> reading-order lines, built by hand (no OCR needed)."""

from __future__ import annotations

import math

from nianbao.datamodel.document import Fragment, PageDoc, ReportDoc
from nianbao.datamodel.record import Source
from nianbao.settings import Settings
from nianbao.stages.layout import Layout

CH = 24  # character height in pixels (about 200 dpi body text)


def frag(text: str, x: float, y: float, angle: float = 0.0, conf: float = 0.99) -> Fragment:
    width = CH * len(text) * (0.55 if text.isascii() else 1.0)
    return Fragment(text=text, bbox=(x, y, x + width, y + CH), confidence=conf, angle=angle)


def page(number: int, frags: list[Fragment], width: int = 1654, height: int = 2339) -> PageDoc:
    return PageDoc(
        number=number, width=width, height=height, dpi=200, source="ocr", fragments=frags
    )


def run(pages: list[PageDoc], settings: Settings) -> list[tuple[str, str | None]]:
    doc = ReportDoc(source=Source(path="x.pdf", input_kind="scan"), pages=pages)
    doc = Layout(settings.layout)(doc)
    return [(ln.raw, ln.noise) for ln in doc.lines]


def test_table_row_cells_become_tabs_and_blank_columns_are_kept(settings: Settings) -> None:
    xs = [700, 820, 940, 1060, 1180, 1300, 1420]
    rows = [
        ("一、本年新收政府信息公开申请数量", ["18", "0", "0", "0", "0", "0", "18"]),
        ("二、上年结转政府信息公开申请数量", ["2", "", "", "", "1", "", "3"]),
        ("（一）予以公开", ["7", "1", "0", "0", "0", "0", "8"]),
    ]
    frags = []
    for k, (label, values) in enumerate(rows):
        y = 400 + k * 60
        frags.append(frag(label, 150, y))
        frags += [frag(v, x, y) for v, x in zip(values, xs, strict=True) if v]
    lines = run([page(1, frags)], settings)
    assert lines[1][0] == "二、上年结转政府信息公开申请数量\t2\t\t\t\t1\t\t3"
    assert lines[0][0].split("\t")[1:] == ["18", "0", "0", "0", "0", "0", "18"]


def test_skewed_table_rows_stay_rows(settings: Settings) -> None:
    """A 2-degree skew moves the right end of a row by more than a line: we level it first."""
    angle = 2.0
    t = math.tan(math.radians(angle))
    frags = []
    for k, label in enumerate(["规章", "行政规范性文件", "行政许可"]):
        y0 = 500 + k * 50
        frags.append(frag(label, 150, y0 + 150 * t, angle=angle))
        frags += [
            frag(str(k * 10 + j), x, y0 + x * t, angle=angle)
            for j, x in enumerate((900, 1150, 1400))
        ]
        frags.append(
            frag(
                "这是一行足够长的正文用来估计页面倾斜的角度。",
                150,
                900 + k * 50 + 150 * t,
                angle=angle,
            )
        )
    lines = [text for text, _ in run([page(1, frags)], settings)]
    assert lines[:3] == ["规章\t0\t1\t2", "行政规范性文件\t10\t11\t12", "行政许可\t20\t21\t22"]


def test_wrapped_lines_join_into_a_paragraph_and_headings_stay(settings: Settings) -> None:
    full = "本机关认真贯彻落实条例要求不断完善政府信息公开制度建立健全保障机制推进工作"  # 37 chars
    frags = [
        frag("一、总体情况", 150, 300),
        frag(full[:2] + full, 150 + 2 * CH, 360),  # indented first line, reaches the right margin
        frag(full, 150, 400),
        frag("有序开展。", 150, 440),
        frag("（一）主动公开情况。全年主动公开信息一千余条。", 150 + 2 * CH, 500),
    ]
    lines = [text for text, _ in run([page(1, frags, width=1154)], settings)]
    assert lines[0] == "一、总体情况"
    assert lines[1] == full[:2] + full + full + "有序开展。"
    assert lines[2].startswith("（一）主动公开情况")


def test_running_headers_and_page_numbers_are_noise_and_paragraphs_cross_pages(
    settings: Settings,
) -> None:
    full = "本机关认真贯彻落实条例要求不断完善政府信息公开制度建立健全保障机制推进工作"
    p1 = [
        frag("某某区人民政府办公室文件", 500, 60),
        frag("一、总体情况", 150, 300),
        frag(full, 150, 360),
        frag("- 1 -", 780, 2250),
    ]
    p2 = [
        frag("某某区人民政府办公室文件", 500, 60),
        frag("有序开展。", 150, 300),
        frag("- 2 -", 780, 2250),
    ]
    lines = run([page(1, p1, width=1154), page(2, p2, width=1154)], settings)
    body = [text for text, noise in lines if noise is None]
    assert body == ["一、总体情况", full + "有序开展。"]
    assert sum(1 for _, noise in lines if noise == "running_header") == 4


def test_a_paragraph_set_with_generous_leading_stays_one_paragraph(settings: Settings) -> None:
    """Government PDFs set 16 pt type on 28 pt lines: the gap between rows is more than a
    character height on every row, so it cannot end a paragraph by itself."""
    pitch = int(CH * 2.3)  # a row gap of 1.3 character heights
    body = [
        "（二）人大代表建议和政协提案办理结果公开情况。共收到人",
        "大建议3件、政协提案7件，均在规定时间内办结。持续推进基层",
        "政务公开标准化规范化建设。",
    ]
    frags = [frag("全年共召开政务公开工作会议两次，研究部署年度重点工作任务。", 150, 300)]
    frags[0] = Fragment(text=frags[0].text, bbox=(150, 300, 1500, 300 + CH), confidence=0.99)
    frags += [frag(body[0], 190, 300 + pitch)]
    frags[-1] = Fragment(text=body[0], bbox=(190, 300 + pitch, 1500, 300 + pitch + CH))
    frags += [Fragment(text=body[1], bbox=(150, 300 + 2 * pitch, 1500, 300 + 2 * pitch + CH))]
    frags += [frag(body[2], 150, 300 + 3 * pitch)]
    lines = [text for text, _ in run([page(1, frags)], settings)]
    assert "".join(body) in lines


def test_a_gap_beside_full_width_punctuation_is_not_a_cell(settings: Settings) -> None:
    """Runs in another font (digits) leave gaps; beside a full-width comma they are inside the
    sentence. A stub label ending in a comma followed by a number is still two cells."""
    y, gap = 400, CH  # a text-layer page: pdfium ends a run at a cell, so small gaps count
    prose = [frag("依据《政府信息公开信息处理费管理办法》，", 150, y)]
    prose.append(frag("2022", prose[-1].bbox[2] + gap, y))
    prose.append(frag("年共有2件申请按规定收取信息处理费，", prose[-1].bbox[2] + 1, y))
    row = [frag("（二）部分公开（区分处理的，", 150, y + 80), frag("6", 900, y + 80)]
    text_layer = page(1, [*prose, *row]).model_copy(update={"source": "text_layer"})
    lines = [text for text, _ in run([text_layer], settings)]
    assert (
        lines[0]
        == "依据《政府信息公开信息处理费管理办法》，2022年共有2件申请按规定收取信息处理费，"
    )
    assert lines[1] == "（二）部分公开（区分处理的，\t6"


def test_a_header_label_wrapped_over_lines_reads_top_to_bottom(settings: Settings) -> None:
    """法律/服务 stacked in one header cell on tight leading (text-layer boxes include the
    ascent and descent, so they overlap and land in one row): the lower run starts half a
    pixel further left, and must still come second."""
    y = 500
    frags = [frag("法律", 1207.4, y), frag("服务", 1206.9, y + 14)]
    frags += [frag("自然人", 850, y + 10), frag("其他", 1297, y + 10)]
    lines = [text for text, _ in run([page(1, frags)], settings)]
    assert lines == ["自然人\t法律服务\t其他"]
