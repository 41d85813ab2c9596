#!/usr/bin/env python3
"""Build the bundled example corpus of annual reports under sample_scans/ (seeded, deterministic).

Why: the scan path (OCR, ruled-table reading, orientation repair, consistency checks) needs PDFs
and page images whose every printed value and every page's text are known exactly. Real reports
cannot give that at scale, so this script writes synthetic reports from the national template
(pipeline/template/*.yaml: every label comes from there), typesets them like the published ones
(仿宋-like body, 黑体 headings, 楷体 sub-headings, ruled tables with merged cells, shaded headers,
vertical row labels, narrow wrapped header cells), prints them to text-layer PDFs, then scans
them: rasterised with pypdfium2 and degraded (skew, a page upside down or sideways, blur, noise,
JPEG artefacts, 150/200/300 dpi). It also rasterises the three real published PDFs in
shared/real-pdfs, whose truth (below) was read off their page images.

Every document gets `<stem>.truth.json` beside it (the format of tests/data/reports/*.truth.json
plus `pages`, `variant`, `table_formats` and `prose_figures`) and a line in manifest.json.

Usage (from the repository root):

    .venv/bin/python sample_scans/generate.py            # everything, into sample_scans/
    .venv/bin/python sample_scans/generate.py --only nanxi-county-2022 --out /tmp/x --skip-real

Needs the Debian fonts fonts-arphic-uming, fonts-arphic-ukai and fonts-wqy-zenhei (TrueType
outlines: reportlab cannot embed the CFF outlines of fonts-noto-cjk) and the Python packages
reportlab, pypdfium2, pillow and numpy.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run as a script from anywhere, without installing the package
    sys.path.insert(0, str(REPO))

from pipeline.template import load_template  # noqa: E402
from pipeline.template.loader import Format, RowSpec, RuleSpec, Template  # noqa: E402

SEED = 20250101
REAL_PDFS = REPO.parent / "shared" / "real-pdfs"
# Fixed metadata date for scan PDFs, so that the bytes do not depend on when they were made.
PDF_DATE = time.strptime("2025-01-01", "%Y-%m-%d")
GENERATED_DIRS = ("pdf", "scans", "images", "real")

# ---- fonts ---------------------------------------------------------------------------------
# Official reports set the body in 仿宋, level-1 headings in 黑体, （一） sub-headings in 楷体
# and the title in 方正小标宋. These free Debian fonts are the closest TrueType stand-ins.
FONT_FILES = {
    "song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "fonts-arphic-ukai"),
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
}


def register_fonts() -> None:
    """Register the three CJK fonts with reportlab; fail with the apt package names if absent."""
    missing = [pkg for path, _, pkg in FONT_FILES.values() if not Path(path).exists()]
    if missing:
        raise RuntimeError(f"CJK fonts missing: apt-get install {' '.join(sorted(set(missing)))}")
    for name, (path, index, _) in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))


# ---- printed words the template data does not carry ----------------------------------------
# tables.yaml keeps what a parser matches rows and columns by; the block titles, the two
# single-value column headers of the 2021 table 二, the table 三 header note and the two
# umbrella headers are printed words only, spelled here once.
T2_BLOCK_TITLES = {
    "一": "第二十条第（一）项",
    "五": "第二十条第（五）项",
    "六": "第二十条第（六）项",
    "八": "第二十条第（八）项",
    "九": "第二十条第（九）项",
}
T2_BLOCKS = {
    "2021": [
        ("一", ["regulations", "normative_documents"], None),
        ("五", ["licensing_decisions"], "本年处理决定数量"),
        ("六", ["penalty_decisions", "coercion_decisions"], "本年处理决定数量"),
        ("八", ["admin_fees_10k_yuan"], "本年收费金额（单位：万元）"),
    ],
    "2019": [
        ("一", ["regulations", "normative_documents"], None),
        ("五", ["licensing", "other_admin_services"], None),
        ("六", ["punishment", "coercion"], None),
        ("八", ["admin_fees"], None),
        ("九", ["central_procurement"], None),
    ],
}
INFO_CONTENT = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGS = "法人或其他组织"
T4_LITIGATION = "行政诉讼"
REPORT_TITLE = "年政府信息公开工作年度报告"


# ---- numbers in words -------------------------------------------------------------------------
_DIGITS = "零一二三四五六七八九"


def cn_number(n: int, liang: bool = False) -> str:
    """Write n (0 <= n < 10^8) in Chinese numerals as reports do: 十九, 一百二十, 三千, 两次."""
    if n < 0 or n >= 10**8:
        raise ValueError(n)
    if n == 2 and liang:
        return "两"

    def below_10000(m: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // value % 10
            if d:
                out += ("零" if zero else "") + _DIGITS[d] + unit
                zero = False
            elif out:
                zero = True
        return out

    if n == 0:
        return "零"
    if n < 10000:
        text = below_10000(n)
        return text[1:] if 10 <= n < 20 else text
    high, low = divmod(n, 10000)
    text = below_10000(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low)
    return text


# ---- text runs, blocks ---------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A piece of text in one font; `tag` names the truth path (or heading) it prints."""

    text: str
    font: str = "song"
    tag: str | None = None


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    font: str = "song"
    size: float = 9.0
    align: str = "c"  # c | l
    shade: bool = False
    vertical: bool = False
    tag: str | None = None


@dataclass
class Grid:
    """A ruled table: merged cells as (row, col, rowspan, colspan), header rows, page policy."""

    kind: str
    col_widths: list[float]
    n_rows: int
    header_rows: int
    cells: list[Cell] = field(default_factory=list)
    keep_with_next: set[int] = field(default_factory=set)
    repeat_header: bool = False
    keep_together: bool = False


@dataclass
class Block:
    kind: str  # title | heading | para | table | signature | space
    runs: list[Run] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    grid: Grid | None = None


@dataclass(frozen=True)
class Style:
    """Typesetting of one report. Reports differ in size, shading and page furniture."""

    name: str
    body_size: float
    line_h: float
    head_size: float
    title_size: float
    table_label: float
    table_number: float
    min_row: float
    shade: tuple[float, float, float] | None
    header_font: str
    border: float
    page_numbers: str  # alternate | center | none
    margins: tuple[float, float, float, float]  # left, right, top, bottom


STYLES = {
    # like the WPS-made government PDFs: 三号 body, 28 pt lines, blue-shaded headers, tall rows
    "gov": Style(
        "gov",
        16,
        28.5,
        16,
        22,
        10,
        12,
        24,
        (0.78, 0.85, 0.94),
        "hei",
        0.8,
        "alternate",
        (79, 74, 100, 92),
    ),
    # a tighter layout (web-exported reports): smaller type, grey shading, compact tables
    "compact": Style(
        "compact",
        14,
        24,
        15,
        20,
        8.5,
        9.5,
        15,
        (0.86, 0.86, 0.86),
        "song",
        0.6,
        "center",
        (72, 72, 80, 72),
    ),
    # no shading at all, medium rows, no page numbers
    "plain": Style(
        "plain",
        15,
        26,
        15,
        21,
        9,
        10,
        18,
        None,
        "song",
        0.5,
        "none",
        (76, 72, 90, 80),
    ),
}


# ---- report specifications ------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """One synthetic report: who, which year and formats, scale, typesetting and phrasings.

    Phrasing choices are explicit (not drawn at random) so the corpus is guaranteed to cover
    each variant the parsers must handle; the numbers are drawn from the seeded generator.
    """

    name: str
    agency: str
    office: str
    level: str  # ministry | province | city | city_bureau | county | street | town
    year: int
    scale: int  # about how many applications a year
    t2_format: Format
    t3_format: Format
    style: str
    t3_layout: str = "keep"  # keep | split | split_repeat
    blank_zero: str = "none"  # none | orgs | all_but_total
    makes_rules: bool = False
    rules_na: bool = False  # prints "/" across the 规章 row
    faults: tuple[str, ...] = ()  # t3_cell | t4_total
    zero_t4: bool = False
    training: str = "T1"
    proposals: str | None = "N1"
    fees: str = "F0a"
    proactive: str = "P1"
    figures: str = "A"
    headings: tuple[tuple[int, str], ...] = ()
    signature: bool = True
    title_one_line: bool = False


SPECS: list[Spec] = [
    Spec(
        "guojia-biaozhun-2019",
        "国家标准计量局",
        "国家标准计量局办公室",
        "ministry",
        2019,
        900,
        "2019",
        "2019",
        "gov",
        t3_layout="split",
        makes_rules=True,
        training="T1",
        proposals="N1",
        fees="F0b",
        proactive="P1",
        figures="A",
    ),
    Spec(
        "linhai-province-2020",
        "临海省人民政府",
        "临海省人民政府办公厅",
        "province",
        2020,
        1500,
        "2019",
        "2019",
        "gov",
        t3_layout="split_repeat",
        makes_rules=True,
        training="T3",
        proposals="N2",
        fees="F0b",
        proactive="P2",
        figures="B",
        headings=((4, "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),),
    ),
    Spec(
        "qingshan-city-housing-2021",
        "青山市住房和城乡建设局",
        "青山市住房和城乡建设局办公室",
        "city_bureau",
        2021,
        120,
        "2021",
        "2021",
        "plain",
        t3_layout="split",
        blank_zero="orgs",
        faults=("t3_cell",),
        training="T2cn",
        proposals="N3cn",
        fees="F2",
        proactive="P1",
        figures="A",
        title_one_line=True,
    ),
    Spec(
        "nanxi-county-2022",
        "南溪县人民政府",
        "南溪县人民政府办公室",
        "county",
        2022,
        60,
        "2021",
        "2021",
        "gov",
        t3_layout="split_repeat",
        training="T1cn",
        proposals="N1",
        fees="F1",
        proactive="P3",
        figures="B",
    ),
    Spec(
        "baishui-street-2023",
        "东陵区人民政府白水街道办事处",
        "白水街道党政办公室",
        "street",
        2023,
        4,
        "2021",
        "2021",
        "compact",
        t3_layout="keep",
        blank_zero="all_but_total",
        rules_na=True,
        zero_t4=True,
        training="T4",
        proposals=None,
        fees="F0a",
        proactive="P1",
        figures="C",
        headings=((5, "五、政府信息公开工作存在的主要问题及改进情况"),),
    ),
    Spec(
        "shuangfeng-town-2023",
        "松阳县双峰镇人民政府",
        "双峰镇党政综合办公室",
        "town",
        2023,
        9,
        "2019",
        "2021",
        "plain",
        t3_layout="keep",
        blank_zero="orgs",
        training="T3",
        proposals="N2",
        fees="F0a",
        proactive="P4",
        figures="A",
    ),
    Spec(
        "lanjiang-city-2024",
        "澜江市人民政府",
        "澜江市人民政府办公室",
        "city",
        2024,
        2600,
        "2021",
        "2021",
        "gov",
        t3_layout="split",
        makes_rules=True,
        faults=("t4_total",),
        training="T1",
        proposals="N1",
        fees="F2",
        proactive="P2",
        figures="B",
    ),
    Spec(
        "shuitu-ministry-2025",
        "水土资源部",
        "水土资源部办公厅",
        "ministry",
        2025,
        1800,
        "2021",
        "2021",
        "compact",
        t3_layout="keep",
        makes_rules=True,
        training="T2",
        proposals="N3",
        fees="F0c",
        proactive="P2",
        figures="B",
        signature=False,
    ),
]


# ---- scan variants -------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """How a clean PDF becomes a scan. Angles are degrees counter-clockwise (PIL convention);
    `orientation` maps a 1-based page to how far its content is turned clockwise in the image
    (90: sideways, 180: upside down), i.e. rotate the image back by that much to read it."""

    suffix: str
    dpi: int
    rotation_deg: float = 0.0
    blur: float = 0.0  # Gaussian radius in pixels
    noise: float = 0.0  # Gaussian sigma in grey levels
    speckle: float = 0.0  # fraction of pixels turned to dark specks
    jpeg_quality: int | None = 60  # None: lossless (PNG, bilevel TIFF/PDF)
    orientation: tuple[tuple[int, int], ...] = ()
    tint: bool = False  # yellowish paper, colour scan
    bilevel: bool = False  # fax-like black and white
    lighting: float = 0.0  # uneven illumination (phone photo), 0..1
    output: str = "pdf"  # pdf | tiff | png | jpg
    pages: tuple[int, ...] | None = None  # a subset of pages (images of single pages)


VARIANTS: dict[str, list[Variant]] = {
    "guojia-biaozhun-2019": [Variant("scan200", 200, -1.2, blur=0.5, noise=5, jpeg_quality=50)],
    "linhai-province-2020": [
        Variant(
            "scan150",
            150,
            2.1,
            blur=0.4,
            noise=7,
            speckle=0.0008,
            jpeg_quality=45,
            orientation=((3, 180),),
        ),
    ],
    "qingshan-city-housing-2021": [Variant("scan300", 300, 0.6, noise=4, jpeg_quality=35)],
    "nanxi-county-2022": [
        Variant("scan200", 200, -0.8, blur=0.6, noise=5, jpeg_quality=50, orientation=((2, 90),)),
    ],
    "baishui-street-2023": [
        Variant("fax300", 300, 0.9, bilevel=True, jpeg_quality=None, output="tiff"),
        Variant("p3", 200, -0.5, jpeg_quality=None, output="png", pages=(3,)),
    ],
    "shuangfeng-town-2023": [
        Variant("scan150", 150, 1.5, blur=0.8, noise=4, jpeg_quality=40, tint=True),
    ],
    "lanjiang-city-2024": [
        Variant("scan200", 200, -2.4, blur=0.5, noise=9, speckle=0.0005, jpeg_quality=35),
        Variant(
            "photo-p1",
            150,
            1.8,
            blur=0.7,
            noise=6,
            jpeg_quality=60,
            lighting=0.35,
            output="jpg",
            pages=(1,),
        ),
    ],
    # small compact type at a modest resolution: the hard case for OCR of table cells
    "shuitu-ministry-2025": [Variant("scan200", 200, 0.7, blur=0.3, noise=3, jpeg_quality=45)],
}
REAL_VARIANTS = [
    Variant("scan200", 200, 0.0, jpeg_quality=55),
    Variant("noisy150", 150, -1.6, blur=0.6, noise=8, speckle=0.0006, jpeg_quality=40),
]


# ---- the report as data ----------------------------------------------------------------------
@dataclass
class Report:
    spec: Spec
    meta: dict[str, Any]
    values: dict[str, Any]  # printed values by contract path (None: missing or "/")
    printed: dict[str, str]  # cell text as printed, by path
    items_raw: dict[str, str]
    prose_figures: dict[str, int]
    notes: list[str]
    blocks: list[Block] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)


class Numbers:
    """Draws the tables' numbers so that every 勾稽 relation holds (report-format.md §5)."""

    # Shares of the applicant columns and of the result rows, roughly as in real reports.
    APPLICANT_WEIGHTS: ClassVar[dict[str, float]] = {
        "natural_person": 0.87,
        "commercial": 0.07,
        "research": 0.004,
        "social_welfare": 0.006,
        "legal_services": 0.03,
        "other_org": 0.02,
    }
    LEAF_WEIGHTS: ClassVar[dict[str, float]] = {
        "disclosed": 0.34,
        "partially_disclosed": 0.09,
        "not_disclosed.state_secret": 0.003,
        "not_disclosed.prohibited_by_law": 0.012,
        "not_disclosed.three_safety_one_stability": 0.004,
        "not_disclosed.third_party_rights": 0.01,
        "not_disclosed.internal_affairs": 0.01,
        "not_disclosed.process_info": 0.015,
        "not_disclosed.enforcement_case_files": 0.008,
        "not_disclosed.administrative_query": 0.03,
        "cannot_provide.not_held": 0.24,
        "cannot_provide.needs_creation": 0.02,
        "cannot_provide.unclear_after_correction": 0.012,
        "not_processed.petition_complaint": 0.03,
        "not_processed.repeated": 0.015,
        "not_processed.publications": 0.004,
        "not_processed.mass_repeated": 0.004,
        "not_processed.confirm_or_reissue": 0.006,
        "other.overdue_correction": 0.03,
        "other.overdue_fee": 0.004,
        "other.other": 0.035,
    }

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def spread(self, n: int, weights: dict[str, float]) -> dict[str, int]:
        """Split n into the keys by weight (a seeded multinomial, stable across Python versions)."""
        keys = list(weights)
        cum = list(itertools.accumulate(weights[k] for k in keys))
        out = dict.fromkeys(keys, 0)
        for _ in range(n):
            x = self.rng.random() * cum[-1]
            out[keys[next(i for i, c in enumerate(cum) if x <= c)]] += 1
        return out

    def around(self, base: float, spread: float = 0.35) -> int:
        return max(0, round(base * (1 + self.rng.uniform(-spread, spread))))


def _t3_rows(t: Template, fmt: Format) -> list[RowSpec]:
    return t.tables.applications.rows_for(fmt)


def make_numbers(spec: Spec, t: Template, rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    """Intended values of the three tables; then the spec's faults change one printed cell."""
    num = Numbers(rng)
    apps = t.tables.applications
    applicants = [c.key for c in apps.columns if not c.is_total]
    leaves = [r.key for r in _t3_rows(t, spec.t3_format) if r.leaf]
    weights = {k: w for k, w in num.LEAF_WEIGHTS.items() if k in leaves}
    if spec.t3_format == "2019":  # the single （六）其他处理 row takes what 2021 splits in three
        weights["other.other"] = 0.07
    values: dict[str, Any] = {}
    notes: list[str] = []

    processed = num.around(spec.scale)
    per_col = num.spread(processed, num.APPLICANT_WEIGHTS)
    for col in applicants:
        cells = num.spread(per_col[col], weights)
        for leaf in leaves:
            values[f"applications.{leaf}.{col}"] = cells[leaf]
        total = per_col[col]
        forward = round(total * rng.uniform(0.0, 0.08))
        back = min(total + forward, round(total * rng.uniform(0.0, 0.07)))
        values[f"applications.total.{col}"] = total
        values[f"applications.carried_forward.{col}"] = forward
        values[f"applications.carried_over.{col}"] = back
        values[f"applications.new.{col}"] = total + forward - back
    for row in apps.row_keys():
        cols = [values.get(f"applications.{row}.{c}") for c in applicants]
        if all(v is not None for v in cols):
            values[f"applications.{row}.total"] = sum(cols)
    for row in apps.row_keys():  # rows the format does not have: missing
        for c in apps.columns:
            values.setdefault(f"applications.{row}.{c.key}", None)

    rl = t.tables.review_litigation
    parts = [c.key for c in rl.columns if not c.is_total]
    base = 0 if spec.zero_t4 else max(0.0, math.log10(max(spec.scale, 1)) - 0.6)
    for g, factor in zip(rl.groups, (6.0, 2.5, 1.5), strict=True):
        split = {p: 0 for p in parts}
        if base:
            split = num.spread(
                num.around(base * factor, 0.6), dict(zip(parts, (5, 1.5, 2, 1.5), strict=True))
            )
        for p in parts:
            values[f"review_litigation.{g.key}.{p}"] = split[p]
        values[f"review_litigation.{g.key}.total"] = sum(split.values())

    values.update(_table_two(spec, num, rng))

    for fault in spec.faults:
        if fault == "t3_cell":
            # One applicant cell printed one too high; its row total and column total were
            # computed from the right value, so exactly one row and one column relation break.
            path = "applications.disclosed.commercial"
            if values[path] == 0:
                path = "applications.disclosed.natural_person"
            values[path] += 1
            notes.append(
                f"Deliberate fault: {path} is printed {values[path]}; every total around it was "
                f"computed with {values[path] - 1}, the value the relations imply."
            )
        elif fault == "t4_total":
            path = "review_litigation.litigation_direct.total"
            values[path] += 1
            notes.append(
                f"Deliberate fault: {path} (未经复议直接起诉 总计) is printed {values[path]}; its"
                " four "
                f"parts add up to {values[path] - 1}."
            )
    return values, notes


def _table_two(spec: Spec, num: Numbers, rng: random.Random) -> dict[str, Any]:
    """Table 二 in the report's format; 2019 also fills the 2021 keys it has a counterpart for."""
    s = spec.scale
    out: dict[str, Any] = {}
    licensing = num.around(s * 9 + 40)
    penalty = num.around(s * 2 + 10)
    coercion = num.around(s * 0.15 + 1, 0.6)
    rules = (
        (num.around(3, 0.7), num.around(1, 1.0), num.around(25, 0.6))
        if spec.makes_rules
        else (0, 0, 0)
    )
    norm_made = num.around(4 + s / 60, 0.6)
    norm = (norm_made, min(norm_made, num.around(2 + s / 150, 0.8)), num.around(12 + s / 8, 0.5))
    if spec.t2_format == "2021":
        for key, v in zip(("issued", "repealed", "in_force"), rules, strict=True):
            out[f"active_disclosure.regulations.{key}"] = None if spec.rules_na else v
        for key, v in zip(("issued", "repealed", "in_force"), norm, strict=True):
            out[f"active_disclosure.normative_documents.{key}"] = v
        out["active_disclosure.licensing_decisions"] = licensing
        out["active_disclosure.penalty_decisions"] = penalty
        out["active_disclosure.coercion_decisions"] = coercion
        # 街道 and 乡镇 offices levy no 行政事业性收费 of their own
        levies = spec.level not in ("street", "town") and rng.random() < 0.8
        fee = round(rng.uniform(0.5, 40) * max(1, s / 100), 2) if levies else 0
        out["active_disclosure.admin_fees_10k_yuan"] = fee
        return out
    v19 = "active_disclosure.v2019"
    made_r = rules[0]
    out[f"{v19}.regulations.new_made"] = made_r
    out[f"{v19}.regulations.new_published"] = made_r
    out[f"{v19}.regulations.total_published"] = rules[2]
    out[f"{v19}.normative_documents.new_made"] = norm[0]
    out[f"{v19}.normative_documents.new_published"] = max(
        0, norm[0] - (1 if rng.random() < 0.3 else 0)
    )
    out[f"{v19}.normative_documents.total_published"] = norm[2]
    for key, processed, prev in (
        ("licensing", licensing, num.around(20 + s / 20)),
        ("other_admin_services", num.around(s * 2 + 5), num.around(8 + s / 50)),
        ("punishment", penalty, num.around(40 + s / 4)),
        ("coercion", coercion, num.around(4 + s / 100)),
    ):
        out[f"{v19}.{key}.prev_count"] = prev
        out[f"{v19}.{key}.delta"] = rng.randint(-max(1, prev // 8), max(1, prev // 6))
        out[f"{v19}.{key}.processed"] = processed
    fees_prev = num.around(3 + s / 200)
    out[f"{v19}.admin_fees.prev_count"] = fees_prev
    out[f"{v19}.admin_fees.delta"] = rng.randint(-min(2, fees_prev), 1)
    projects = num.around(2 + s / 80)
    out[f"{v19}.central_procurement.project_count"] = projects
    out[f"{v19}.central_procurement.total_amount"] = projects * rng.randint(2, 90) * 1000
    out["active_disclosure.licensing_decisions"] = licensing
    out["active_disclosure.penalty_decisions"] = penalty
    out["active_disclosure.coercion_decisions"] = coercion
    for key in ("issued", "repealed", "in_force"):
        out[f"active_disclosure.regulations.{key}"] = None
        out[f"active_disclosure.normative_documents.{key}"] = None
    out["active_disclosure.admin_fees_10k_yuan"] = None
    return out


# ---- failed checks (the 勾稽 relations of rules.yaml) ------------------------------------------
def failed_checks(t: Template, values: dict[str, Any], t3_format: Format) -> list[str]:
    """Rule ids (as pipeline/stages/checks.py names them) that the printed values break, each
    followed by a reason. Checks with a missing or non-numeric value are not assessable."""
    out = []
    for rule in t.rules:
        if rule.kind == "non_negative":
            for path, v in values.items():
                if (
                    path.split(".")[0] in rule.prefixes
                    and path.split(".")[-1] not in rule.except_columns
                    and isinstance(v, int | float)
                    and v < 0
                ):
                    out.append(f"{rule.id}[{path}]: negative count {v}")
            continue
        if rule.kind != "equation":
            continue
        names = list(rule.for_each)
        lists = [t.named_list(rule.for_each[n], t3_format) for n in names]
        for combo in itertools.product(*lists):
            bind = dict(zip(names, combo, strict=True))
            lhs = _expand_terms(t, rule, rule.lhs, bind, t3_format)
            rhs = _expand_terms(t, rule, rule.rhs, bind, t3_format)
            vals = [values.get(p) for p in lhs + rhs]
            if any(not isinstance(v, int | float) for v in vals):
                continue
            left, right = sum(vals[: len(lhs)]), sum(vals[len(lhs) :])
            if not math.isclose(left, right):
                out.append(
                    f"{rule.id}[{','.join(combo)}]: {rule.description} "
                    f"(printed {_fmt(left)} vs {_fmt(right)})"
                )
    return out


def _expand_terms(
    t: Template, rule: RuleSpec, terms: list[str], bind: dict[str, str], fmt: Format
) -> list[str]:
    """Paths of a rule's side: placeholders bound, `sum_over` placeholders expanded to lists."""
    paths = []
    for term in terms:
        for k, v in bind.items():
            term = term.replace("{" + k + "}", v)
        for name, list_name in rule.sum_over.items():
            if "{" + name + "}" in term:
                paths += [term.replace("{" + name + "}", x) for x in t.named_list(list_name, fmt)]
                break
        else:
            paths.append(term)
    return paths


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# ---- prose ---------------------------------------------------------------------------------
class Prose:
    """Section prose with named items and prose figures, in the phrasings real reports use."""

    LEVEL_WORD: ClassVar[dict[str, str]] = {
        "ministry": "本部门",
        "province": "全省",
        "city": "全市",
        "city_bureau": "本局",
        "county": "全县",
        "street": "本街道",
        "town": "全镇",
    }
    PEOPLE_WORD: ClassVar[dict[str, str]] = {
        "ministry": "部",
        "province": "省",
        "city": "市",
        "city_bureau": "市",
        "county": "县",
        "street": "区",
        "town": "县",
    }

    def __init__(self, spec: Spec, values: dict[str, Any], rng: random.Random) -> None:
        self.spec, self.v, self.rng = spec, values, rng
        self.items: dict[str, int] = {}
        self.items_raw: dict[str, str] = {}
        self.figures: dict[str, int] = {}

    def pick(self, options: list[str], k: int = 1) -> list[str]:
        return self.rng.sample(options, k)

    def num(self, n: int, tag: str, cn: bool = False, liang: bool = False) -> Run:
        return Run(cn_number(n, liang) if cn else str(n), tag=tag)

    def item(self, key: str, value: int, raw: str) -> None:
        self.items[key] = value
        self.items_raw[key] = raw

    # -- 一（一）主动公开 ------------------------------------------------------------------
    def proactive(self) -> list[Run]:
        s = self.spec
        n = max(20, round(s.scale * self.rng.uniform(4, 9)) + self.rng.randint(30, 400))
        tag = "items.proactive_items_published"
        if s.proactive == "P1":
            runs = [
                Run(f"{s.year}年，通过政府网站、政务新媒体等渠道主动公开政府信息"),
                Run(str(n), tag=tag),
                Run("条，其中政策文件和解读材料同步发布。"),
            ]
            self.item("proactive_items_published", n, f"主动公开政府信息{n}条")
        elif s.proactive == "P2":
            n = round(n, -2)
            runs = [
                Run("全年通过门户网站主动公开各类政务信息"),
                Run(str(n), tag=tag),
                Run("余条，"),
                Run("重点领域信息按规定及时更新。"),
            ]
            self.item("proactive_items_published", n, f"主动公开各类政务信息{n}余条 (approximate)")
        elif s.proactive == "P3":
            n = round(n, -3) or 1000
            runs = [
                Run("全年主动公开政府信息"),
                Run(cn_number(n), tag=tag),
                Run("余条，"),
                Run("涵盖机构职能、政策文件、财政预决算等内容。"),
            ]
            self.item(
                "proactive_items_published",
                n,
                f"主动公开政府信息{cn_number(n)}余条 (Chinese numerals, approximate)",
            )
        else:  # P4: the hongze phrasing, 主动发布 instead of 主动公开
            runs = [
                Run("主要通过政府门户网站主动公开政府文件、通知公告等各类政府信息。"),
                Run(f"{s.year}年，在政府网站平台主动发布各类政府信息"),
                Run(str(n), tag=tag),
                Run("条。"),
            ]
            self.item(
                "proactive_items_published",
                n,
                f"主动发布各类政府信息{n}条 (主动发布, not 主动公开)",
            )
        return runs

    # -- 一（二）依申请公开: prose figures ---------------------------------------------------
    def figures_runs(self) -> list[Run]:
        v, s = self.v, self.spec
        new, back = v["applications.new.total"], v["applications.carried_over.total"]
        done, fwd = v["applications.total.total"], v["applications.carried_forward.total"]
        tags = {
            k: f"prose:{k}"
            for k in (
                "applications.new.total",
                "applications.carried_over.total",
                "applications.total.total",
                "applications.carried_forward.total",
                "review_litigation.review.total",
            )
        }
        if s.figures == "A":
            runs = [
                Run("本年度新收政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，上年结转"),
                Run(str(back), tag=tags["applications.carried_over.total"]),
                Run("件，办结"),
                Run(str(done), tag=tags["applications.total.total"]),
                Run("件，结转下年度继续办理"),
                Run(str(fwd), tag=tags["applications.carried_forward.total"]),
                Run("件。"),
            ]
            self.figures.update(
                {
                    "applications.new.total": new,
                    "applications.carried_over.total": back,
                    "applications.carried_forward.total": fwd,
                }
            )
        elif s.figures == "B":
            runs = [
                Run(f"{s.year}年共受理政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，加上上年结转申请"),
                Run(str(back), tag=tags["applications.carried_over.total"]),
                Run("件，已全部按期答复"),
                Run(str(done), tag=tags["applications.total.total"]),
                Run("件，另有"),
                Run(str(fwd), tag=tags["applications.carried_forward.total"]),
                Run("件因在答复期内顺延至下年度办理。"),
            ]
            self.figures.update(
                {"applications.new.total": new, "applications.carried_over.total": back}
            )
        else:  # C: only the new applications
            runs = [
                Run(f"{s.year}年共收到政府信息公开申请"),
                Run(str(new), tag=tags["applications.new.total"]),
                Run("件，均在法定期限内予以答复。"),
            ]
            self.figures["applications.new.total"] = new
        review = v["review_litigation.review.total"]
        lit = (
            v["review_litigation.litigation_direct.total"]
            + v["review_litigation.litigation_after_review.total"]
        )
        if review or lit:
            runs += [
                Run("因政府信息公开工作被申请行政复议"),
                Run(str(review), tag=tags["review_litigation.review.total"]),
                Run(f"件、被提起行政诉讼{lit}件。"),
            ]
            self.figures["review_litigation.review.total"] = review
        else:
            runs.append(Run("全年未发生因政府信息公开引起的行政复议、行政诉讼。"))
        return runs

    # -- 一（五）监督保障: training ------------------------------------------------------------
    def training(self) -> list[Run]:
        s, r = self.spec, self.rng
        tag_s, tag_a = "items.training_sessions", "items.training_attendees"
        big = s.scale > 200
        if s.training in ("T1", "T1cn"):
            cn = s.training == "T1cn"
            a, b = r.randint(1, 3), r.randint(1, 2)
            people = round(r.randint(8, 30) * (a + b) * (4 if big else 1), -1)
            fa = cn_number(a, liang=True) if cn else str(a)
            fb = cn_number(b, liang=True) if cn else str(b)
            runs = [
                Run("全年举办政务公开专题培训"),
                Run(fa, tag=tag_s),
                Run("次、业务培训"),
                Run(fb, tag=tag_s),
                Run("次，累计培训"),
                Run(cn_number(people) if cn else str(people), tag=tag_a),
                Run("余人次，" if big else "人次，"),
                Run("进一步提升了工作人员的业务能力。"),
            ]
            fp = cn_number(people) if cn else str(people)
            raw = f"专题培训{fa}次、业务培训{fb}次，累计培训{fp}{'余' if big else ''}人次"
            self.item("training_sessions", a + b, raw + f" -> sessions {a}+{b}")
            self.item("training_attendees", people, raw + (" (approximate)" if big else ""))
        elif s.training in ("T2", "T2cn"):
            cn = s.training == "T2cn"
            n = r.randint(2, 4)
            people = r.randint(6, 16) * 10 * (3 if big else 1)
            fn = cn_number(n) if cn else str(n)
            fp = cn_number(people) if cn else str(people)
            runs = [
                Run("组织开展政府信息公开业务培训"),
                Run(fn, tag=tag_s),
                Run("期，参训人员共计"),
                Run(fp, tag=tag_a),
                Run("人次。"),
            ]
            self.item("training_sessions", n, f"业务培训{fn}期")
            self.item("training_attendees", people, f"参训人员共计{fp}人次")
        elif s.training == "T3":
            n = r.randint(1, 3)
            people = r.randint(3, 9) * 10 * (5 if big else 1)
            runs = [
                Run("召开政务公开工作培训会"),
                Run(str(n), tag=tag_s),
                Run(f"场，培训{self.LEVEL_WORD[s.level].removeprefix('本')}各单位信息公开工作人员"),
                Run(str(people), tag=tag_a),
                Run("多人次。"),
            ]
            self.item("training_sessions", n, f"培训会{n}场")
            self.item("training_attendees", people, f"培训…{people}多人次 (approximate)")
        else:  # T4: one session of its own, staff sent to the district's training
            sent = r.randint(2, 6)
            runs = [
                Run("开展政务公开业务培训"),
                Run("1", tag=tag_s),
                Run("次，并派员参加区级业务培训"),
                Run(str(sent), tag=tag_a),
                Run("人次。"),
            ]
            self.item("training_sessions", 1, "开展政务公开业务培训1次")
            self.item(
                "training_attendees",
                sent,
                f"派员参加区级业务培训{sent}人次 (people sent to others' training)",
            )
        return runs

    # -- 六: proposals, fees --------------------------------------------------------------------
    def proposals(self) -> list[Run]:
        s, r = self.spec, self.rng
        if s.proposals is None:
            return []
        big = s.scale > 200
        npc = r.randint(20, 200) if big else r.randint(2, 20)
        cppcc = r.randint(20, 150) if big else r.randint(1, 15)
        tn, tc = "items.npc_suggestions_handled", "items.cppcc_proposals_handled"
        if s.proposals == "N1":
            runs = [
                Run("全年承办人大代表建议"),
                Run(str(npc), tag=tn),
                Run("件、政协提案"),
                Run(str(cppcc), tag=tc),
                Run("件，办结率100%，办理结果均已按要求向社会公开。"),
            ]
            raw = f"承办人大代表建议{npc}件、政协提案{cppcc}件"
        elif s.proposals == "N2":
            runs = [
                Run("共收到人大建议"),
                Run(str(npc), tag=tn),
                Run("件、政协提案"),
                Run(str(cppcc), tag=tc),
                Run("件，均在规定时间内办结。"),
            ]
            raw = f"共收到人大建议{npc}件、政协提案{cppcc}件"
        else:  # N3 / N3cn: with the level, 委员提案 and a satisfaction rate
            cn = s.proposals == "N3cn"
            lv = self.PEOPLE_WORD[s.level]
            lv = "全国" if s.level == "ministry" else lv
            fn = cn_number(npc) if cn else str(npc)
            fc = cn_number(cppcc) if cn else str(cppcc)
            runs = [
                Run(f"办理{lv}人大代表建议"),
                Run(fn, tag=tn),
                Run(f"件、{lv}政协委员提案"),
                Run(fc, tag=tc),
                Run(f"件，满意和基本满意率达{r.randint(96, 100)}%。"),
            ]
            raw = f"{lv}人大代表建议{fn}件、{lv}政协委员提案{fc}件"
        self.item("npc_suggestions_handled", npc, raw)
        self.item("cppcc_proposals_handled", cppcc, raw)
        return runs

    def fees(self) -> list[Run]:
        s, r = self.spec, self.rng
        tag = "items.info_processing_fees_yuan"
        if s.fees == "F0a":
            runs = [Run("本年度未收取信息处理费。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "本年度未收取信息处理费 -> 0")
        elif s.fees == "F0b":  # before the 2021 信息处理费 rules
            runs = [Run("本机关依申请公开政府信息未收取任何费用。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "依申请公开政府信息未收取任何费用 -> 0")
        elif s.fees == "F0c":
            runs = [Run(f"{s.year}年，本机关未产生政府信息公开信息处理费。", tag=tag)]
            self.item("info_processing_fees_yuan", 0, "未产生政府信息公开信息处理费 -> 0")
        elif s.fees == "F1":
            k = r.randint(1, 3)
            fee = k * 100 + r.choice((80, 180, 280))
            runs = [
                Run(
                    f"依据《政府信息公开信息处理费管理办法》，{s.year}年共有{k}件申请"
                    "按规定收取信息处理费，合计"
                ),
                Run(str(fee), tag=tag),
                Run("元。"),
            ]
            self.item(
                "info_processing_fees_yuan",
                fee,
                f"{k}件申请…合计{fee}元 (the 件 count is not the fee)",
            )
        else:  # F2
            fee = r.randint(2, 16) * 100 + r.choice((0, 40))
            runs = [
                Run(
                    f"{s.year}年，严格落实《政府信息公开信息处理费管理办法》，"
                    "全年收取政府信息公开信息处理费"
                ),
                Run(str(fee), tag=tag),
                Run("元。"),
            ]
            self.item("info_processing_fees_yuan", fee, f"收取政府信息公开信息处理费{fee}元")
        return runs


# Neutral sentences for the parts without figures, drawn per report to vary the text.
FILLER = {
    "general": [
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》各项规定。",
        "紧紧围绕中心工作，以公开促落实、以公开促规范、以公开促服务。",
        "不断完善政府信息公开制度，健全政府信息公开保障机制。",
        "推动政务公开工作规范化、标准化、便民化水平持续提升。",
    ],
    "manage": [
        "严格执行“先审查、后公开”和“一事一审”工作原则，落实信息发布审核制度。",
        "动态调整主动公开基本目录，做好政府信息公开属性源头认定工作。",
        "对已公开的政策文件开展清理，及时标注失效、废止情况。",
        "建立健全公开保密审查协调机制，防止泄密和侵犯个人隐私。",
    ],
    "platform": [
        "进一步优化政府网站政务公开专栏设置，提升栏目内容更新时效。",
        "加强政务新媒体日常监管，对更新不及时、互动不回应的账号及时整改。",
        "依托政务服务平台集中公开办事指南，方便群众查询办理。",
        "完善政府信息公开查阅点建设，为群众提供现场查阅服务。",
    ],
    "supervise": [
        "将政务公开工作纳入年度绩效考核，压实工作责任。",
        "定期开展政府网站和政务新媒体检查，及时通报存在问题。",
        "畅通社会评议渠道，认真听取群众意见建议。",
        "本年度未发生因政府信息公开工作被责任追究的情况。",
    ],
    "problems": [
        "一是政策解读的形式还不够丰富，解读的针对性和通俗性有待提高；",
        "二是依申请公开答复的规范化水平仍需提升，疑难申请会商机制尚不完善；",
        "三是政务公开队伍人员变动较快，业务能力有待加强。",
    ],
    "improve": [
        "下一步，将进一步加强政策解读，丰富图表、音视频等解读形式；",
        "健全依申请公开办理机制，规范答复文书格式；",
        "加强业务培训和工作指导，不断提升政务公开工作质效。",
    ],
    "points": [
        "认真落实年度政务公开工作要点，各项任务均按时完成。",
        "持续推进基层政务公开标准化规范化建设，更新完善公开事项清单。",
    ],
}


def build_report(spec: Spec, t: Template) -> Report:
    """The whole report as data and as typeset blocks (deterministic for a given spec)."""
    rng = random.Random(f"{SEED}:{spec.name}")
    values, notes = make_numbers(spec, t, rng)
    prose = Prose(spec, values, rng)
    style = STYLES[spec.style]
    publish = f"{spec.year + 1}-{rng.randint(1, 3):02d}-{rng.randint(10, 28):02d}"
    meta = {
        "agency": spec.agency,
        "year": spec.year,
        "publish_date": publish if spec.signature else None,
    }
    rep = Report(spec, meta, values, {}, {}, {}, notes)
    B = rep.blocks

    if spec.title_one_line:
        B.append(Block("title", lines=[f"{spec.agency}{spec.year}{REPORT_TITLE}"]))
    else:
        B.append(Block("title", lines=[spec.agency, f"{spec.year}{REPORT_TITLE}"]))
    notice = (
        "国办公开办函〔2019〕60号"
        if spec.t2_format == "2019" and spec.year < 2021
        else "国办公开办函〔2021〕30号"
    )
    phone = f"0{rng.randint(100, 999)}-{rng.randint(60000000, 89999999)}"
    B.append(
        Block(
            "para",
            runs=[
                Run(
                    f"本报告由{spec.office}根据《中华人民共和国政府信息公开条例》"
                    f"（以下简称《条例》）和{notice}要求编制。"
                    f"报告中所列数据统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"
                    f"如对本报告有疑问，请与{spec.office}联系（电话：{phone}）。"
                )
            ],
        )
    )

    headings = dict(spec.headings)
    secs = {s.number: headings.get(s.number, s.canonical) for s in t.sections}

    def heading(n: int) -> Block:
        rep.sections.append(n)
        return Block("heading", runs=[Run(secs[n], font="hei", tag=f"heading:{n}")])

    def sub(title: str, body: list[Run]) -> Block:
        return Block("para", runs=[Run(title, font="kai"), *body])

    def filler(key: str, k: int) -> Run:
        return Run("".join(prose.pick(FILLER[key], k)))

    B.append(heading(1))
    B.append(Block("para", runs=[Run(f"{spec.year}年，{spec.agency}"), filler("general", 3)]))
    B.append(sub("（一）主动公开情况。", prose.proactive()))
    B.append(
        sub(
            "（二）依申请公开情况。",
            [Run("进一步规范依申请公开办理流程，畅通申请渠道。"), *prose.figures_runs()],
        )
    )
    B.append(sub("（三）政府信息管理情况。", [filler("manage", 2)]))
    B.append(sub("（四）政府信息公开平台建设情况。", [filler("platform", 2)]))
    B.append(sub("（五）监督保障情况。", [filler("supervise", 2), *prose.training()]))

    B.append(heading(2))
    B.append(Block("table", grid=table_two(spec, t, style, values, rep.printed)))
    B.append(heading(3))
    B.append(Block("table", grid=table_three(spec, t, style, values, rep.printed)))
    B.append(heading(4))
    B.append(Block("table", grid=table_four(spec, t, style, values, rep.printed)))

    B.append(heading(5))
    B.append(Block("para", runs=[Run("".join(FILLER["problems"]))]))
    B.append(Block("para", runs=[Run("".join(FILLER["improve"]))]))
    B.append(heading(6))
    proposals, fees = prose.proposals(), prose.fees()
    if spec.year >= 2021 and rng.random() < 0.6:  # sub-headings, as many reports since 2021
        B.append(sub("（一）落实政务公开工作要点情况。", [filler("points", 1)]))
        n = 2
        if proposals:
            B.append(sub("（二）人大代表建议和政协提案办理结果公开情况。", proposals))
            n = 3
        B.append(sub(f"（{cn_number(n)}）收取信息处理费情况。", fees))
    else:
        B.append(Block("para", runs=[*proposals, *fees, filler("points", 1)]))
    if spec.signature:
        y, m, d = publish.split("-")
        B.append(Block("signature", lines=[spec.agency, f"{y}年{int(m)}月{int(d)}日"]))

    for key, value in prose.items.items():
        values[f"items.{key}"] = value
    rep.items_raw = prose.items_raw
    rep.prose_figures = prose.figures
    return rep


# ---- the three tables as grids ----------------------------------------------------------------
def _cell_text(spec: Spec, path: str, value: Any, col_key: str | None) -> str:
    """How a value is printed: blanks for zero cells under the report's blank policy."""
    if value is None:
        return "/"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"
    if path.endswith(".delta"):
        return f"+{value}" if value > 0 else str(value)
    if path.endswith("central_procurement.total_amount"):
        return f"{value}元"
    if value == 0 and path.startswith("applications."):
        if spec.blank_zero == "orgs" and col_key not in ("natural_person", "total"):
            return ""
        if spec.blank_zero == "all_but_total" and col_key != "total":
            return ""
    return str(value)


def _value_cell(
    spec: Spec,
    style: Style,
    printed: dict[str, str],
    values: dict[str, Any],
    path: str,
    row: int,
    col: int,
    colspan: int = 1,
    col_key: str | None = None,
) -> Cell:
    text = _cell_text(spec, path, values[path], col_key)
    printed[path] = text
    return Cell(row, col, text, colspan=colspan, size=style.table_number, tag=path)


def table_two(
    spec: Spec, t: Template, style: Style, values: dict[str, Any], printed: dict[str, str]
) -> Grid:
    fmt = spec.t2_format
    spec_fmt = t.tables.active_disclosure.formats[fmt]
    rows = {r.key: r for r in spec_fmt.rows}
    width = _text_width(style)
    g = Grid("active_disclosure", [width * 0.34] + [width * 0.22] * 3, 0, 0)
    r = 0
    hs = style.table_label + 1
    for block, keys, single_header in T2_BLOCKS[fmt]:
        g.cells.append(
            Cell(r, 0, T2_BLOCK_TITLES[block], colspan=4, shade=style.shade is not None, size=hs)
        )
        g.keep_with_next.add(r)
        r += 1
        cols = rows[keys[0]].columns
        g.cells.append(Cell(r, 0, INFO_CONTENT, font=style.header_font, size=hs))
        if cols is None:
            g.cells.append(
                Cell(r, 1, single_header or "", colspan=3, font=style.header_font, size=hs)
            )
        else:
            spans = [1] * (len(cols) - 1) + [4 - len(cols)]
            c = 1
            for ck, span in zip(cols, spans, strict=True):
                g.cells.append(
                    Cell(
                        r,
                        c,
                        spec_fmt.column_labels[ck],
                        colspan=span,
                        font=style.header_font,
                        size=hs,
                    )
                )
                c += span
        g.keep_with_next.add(r)
        r += 1
        for key in keys:
            row = rows[key]
            g.cells.append(Cell(r, 0, row.labels[0], align="l", size=hs))
            prefix = (
                f"active_disclosure.{spec_fmt.record_block}."
                if spec_fmt.record_block
                else "active_disclosure."
            )
            if row.columns is None:
                g.cells.append(
                    _value_cell(spec, style, printed, values, prefix + key, r, 1, colspan=3)
                )
            else:
                spans = [1] * (len(row.columns) - 1) + [4 - len(row.columns)]
                c = 1
                for ck, span in zip(row.columns, spans, strict=True):
                    g.cells.append(
                        _value_cell(
                            spec, style, printed, values, f"{prefix}{key}.{ck}", r, c, colspan=span
                        )
                    )
                    c += span
            r += 1
    g.n_rows = r
    g.header_rows = 0
    return g


def table_three(
    spec: Spec, t: Template, style: Style, values: dict[str, Any], printed: dict[str, str]
) -> Grid:
    apps = t.tables.applications
    width = _text_width(style)
    data_w = width * 0.5 / 7
    stub = width - data_w * 7
    g = Grid("applications", [stub * 0.11, stub * 0.27, stub * 0.62] + [data_w] * 7, 0, 3)
    ls, hf = style.table_label, style.header_font
    sh = style.shade is not None
    g.cells += [
        Cell(0, 0, T3_NOTE, rowspan=3, colspan=3, size=ls, align="l"),
        Cell(0, 3, T3_APPLICANTS, colspan=7, size=ls, font=hf, shade=sh),
        Cell(1, 3, apps.columns[0].labels[0], rowspan=2, size=ls, font=hf, shade=sh),
        Cell(1, 4, T3_ORGS, colspan=5, size=ls, font=hf, shade=sh),
        Cell(1, 9, apps.columns[-1].labels[0], rowspan=2, size=ls, font=hf, shade=sh),
    ]
    for i, col in enumerate(apps.columns[1:-1]):
        g.cells.append(Cell(2, 4 + i, col.labels[0], size=ls, font=hf, shade=sh))
    g.keep_with_next |= {0, 1, 2}

    rows = _t3_rows(t, spec.t3_format)
    groups = {gr.key: gr.labels[0] for gr in apps.groups}
    first_leaf = next(i for i, r in enumerate(rows) if r.leaf)
    total_i = next(i for i, r in enumerate(rows) if r.key == "total")
    g.cells.append(
        Cell(
            3 + first_leaf,
            0,
            groups["results"],
            rowspan=total_i - first_leaf + 1,
            vertical=True,
            size=ls,
            font=hf,
        )
    )
    r = 3
    i = 0
    while i < len(rows):
        row = rows[i]
        label = row.labels[0]
        group = row.key.split(".")[0] if "." in row.key else None
        if group in groups and label != groups[group]:
            members = [x for x in rows if x.key.startswith(group + ".")]
            g.cells.append(Cell(r, 1, groups[group], rowspan=len(members), size=ls, align="l"))
            for m in members:
                g.cells.append(Cell(r, 2, m.labels[0], size=ls, align="l"))
                _t3_values(spec, style, g, printed, values, m.key, r, apps)
                r += 1
            i += len(members)
            continue
        if i < first_leaf or i > total_i:
            g.cells.append(Cell(r, 0, label, colspan=3, size=ls, align="l", font=hf))
        else:
            g.cells.append(Cell(r, 1, label, colspan=2, size=ls, align="l"))
        _t3_values(spec, style, g, printed, values, row.key, r, apps)
        r += 1
        i += 1
    g.n_rows = r
    g.repeat_header = spec.t3_layout == "split_repeat"
    g.keep_together = spec.t3_layout == "keep"
    return g


def _t3_values(
    spec: Spec,
    style: Style,
    g: Grid,
    printed: dict[str, str],
    values: dict[str, Any],
    key: str,
    r: int,
    apps: Any,
) -> None:
    for j, col in enumerate(apps.columns):
        g.cells.append(
            _value_cell(
                spec,
                style,
                printed,
                values,
                f"applications.{key}.{col.key}",
                r,
                3 + j,
                col_key=col.key,
            )
        )


def table_four(
    spec: Spec, t: Template, style: Style, values: dict[str, Any], printed: dict[str, str]
) -> Grid:
    rl = t.tables.review_litigation
    width = _text_width(style)
    g = Grid("review_litigation", [width / 15] * 15, 4, 3)
    ls, hf = style.table_label, style.header_font
    sh = style.shade is not None
    review, direct, after = rl.groups
    g.cells += [
        Cell(0, 0, review.labels[0], colspan=5, size=ls, font=hf, shade=sh),
        Cell(0, 5, T4_LITIGATION, colspan=10, size=ls, font=hf, shade=sh),
        Cell(1, 5, direct.labels[0], colspan=5, size=ls, font=hf, shade=sh),
        Cell(1, 10, after.labels[0], colspan=5, size=ls, font=hf, shade=sh),
    ]
    for j, col in enumerate(rl.columns):
        g.cells.append(Cell(1, j, col.labels[0], rowspan=2, size=ls, font=hf, shade=sh))
        g.cells.append(Cell(2, 5 + j, col.labels[0], size=ls, font=hf, shade=sh))
        g.cells.append(Cell(2, 10 + j, col.labels[0], size=ls, font=hf, shade=sh))
    for gi, grp in enumerate(rl.groups):
        for j, col in enumerate(rl.columns):
            path = f"review_litigation.{grp.key}.{col.key}"
            g.cells.append(_value_cell(spec, style, printed, values, path, 3, gi * 5 + j))
    g.keep_together = True
    return g


# ---- typesetting ---------------------------------------------------------------------------
PAGE_W, PAGE_H = A4
NO_LINE_START = set("，。、；：？！）》」』”’%．.,;:)")
ASCII_WORD = re.compile(r"[0-9A-Za-z.%@/+\-]+")


def _text_width(style: Style) -> float:
    return PAGE_W - style.margins[0] - style.margins[1]


def _tokens(runs: list[Run]) -> Iterator[tuple[str, str, str | None]]:
    """Break runs into line-breaking units: one CJK character, or a whole ASCII word/number."""
    for run in runs:
        pos = 0
        while pos < len(run.text):
            m = ASCII_WORD.match(run.text, pos)
            if m:
                yield m.group(), run.font, run.tag
                pos = m.end()
            else:
                yield run.text[pos], run.font, run.tag
                pos += 1


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap_cell(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for tok, _, _ in _tokens([Run(text, font)]):
        if cur and _width(cur + tok, font, size) > width and tok not in NO_LINE_START:
            lines.append(cur)
            cur = tok
        else:
            cur += tok
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class PageRecord:
    parts: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", "", "".join(self.parts))


class Composer:
    """Lays blocks out on A4 pages with reportlab, recording each page's text and the truth
    paths printed on it (for per-page truth, CER measurement and single-page images)."""

    PAD = 2.5

    def __init__(self, path: Path, style: Style, title: str) -> None:
        self.c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("nianbao sample_scans")
        self.c.setCreator("nianbao sample_scans/generate.py")
        self.s = style
        self.left, self.right, self.top, self.bottom = style.margins
        self.width = PAGE_W - self.left - self.right
        self.pages: list[PageRecord] = [PageRecord()]
        self.y = PAGE_H - self.top
        self.table_pages: dict[str, list[int]] = {}

    # -- pages ----------------------------------------------------------------------------
    @property
    def page(self) -> PageRecord:
        return self.pages[-1]

    def room(self) -> float:
        return self.y - self.bottom

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.pages.append(PageRecord())
        self.y = PAGE_H - self.top

    def _footer(self) -> None:
        n = len(self.pages)
        if self.s.page_numbers == "none":
            return
        text = f"- {n} -"
        self.c.setFont("song", 14)
        w = _width(text, "song", 14)
        if self.s.page_numbers == "center":
            x = (PAGE_W - w) / 2
        else:  # 公文 style: odd pages right, even pages left
            x = PAGE_W - self.right - w - 14 if n % 2 else self.left + 14
        self.c.drawString(x, self.bottom - 40, text)
        self.page.parts.append(text)

    def finish(self) -> None:
        self._footer()
        self.c.save()

    # -- text -----------------------------------------------------------------------------
    def _draw_line(
        self,
        toks: list[tuple[str, str, str | None]],
        x: float,
        base: float,
        size: float,
        char_space: float = 0.0,
        stroke: bool = False,
    ) -> None:
        # The text render mode belongs to the graphics state and outlives the text object, so a
        # stroked (bold) line is drawn inside save/restore or all later text would turn bold.
        if stroke:
            self.c.saveState()
            self.c.setLineWidth(size * 0.03)
        t = self.c.beginText(x, base)
        t.setCharSpace(char_space)
        if stroke:
            t.setTextRenderMode(2)
        font = None
        for tok, f, tag in toks:
            if f != font:
                t.setFont(f, size)
                font = f
            t.textOut(tok)
            if tag:
                self.page.tags.add(tag)
        self.c.drawText(t)
        if stroke:
            self.c.restoreState()
        self.page.parts.append("".join(tok for tok, _, _ in toks))

    def paragraph(
        self,
        runs: list[Run],
        indent_chars: float = 2,
        size: float | None = None,
        keep_lines: int = 1,
    ) -> None:
        size = size or self.s.body_size
        lines = self._break(runs, size, indent_chars * size)
        if self.room() < self.s.line_h * min(keep_lines, len(lines)):
            self.new_page()
        for i, (toks, natural) in enumerate(lines):
            if self.room() < self.s.line_h:
                self.new_page()
            x = self.left + (indent_chars * size if i == 0 else 0)
            avail = self.width - (x - self.left)
            chars = sum(len(tok) for tok, _, _ in toks)
            last = i == len(lines) - 1
            cs = (
                0.0
                if last or chars < 2
                else max(0.0, min((avail - natural) / (chars - 1), size * 0.5))
            )
            base = self.y - self.s.line_h * 0.5 - size * 0.35
            self._draw_line(toks, x, base, size, cs)
            self.y -= self.s.line_h

    def _break(
        self, runs: list[Run], size: float, first_indent: float
    ) -> list[tuple[list[Any], float]]:
        lines: list[tuple[list[Any], float]] = []
        cur: list[tuple[str, str, str | None]] = []
        w = 0.0
        avail = self.width - first_indent
        for tok, font, tag in _tokens(runs):
            tw = _width(tok, font, size)
            if cur and w + tw > avail + 0.01 and tok not in NO_LINE_START:
                lines.append((cur, w))
                cur, w, avail = [], 0.0, self.width
            cur.append((tok, font, tag))
            w += tw
        if cur:
            lines.append((cur, w))
        return lines

    def title(self, lines: list[str]) -> None:
        # A long one-line title shrinks to the text width, as word processors' "fit" does.
        size = min(self.s.title_size, *(self.width / _width(line, "song", 1) for line in lines))
        self.y -= size * 0.6
        for line in lines:
            w = _width(line, "song", size)
            self._draw_line(
                [(line, "song", "meta:title")], (PAGE_W - w) / 2, self.y - size, size, stroke=True
            )
            self.y -= size * 1.6
        self.y -= size * 0.9

    def heading(self, runs: list[Run], next_block: Block | None) -> None:
        need = self.s.line_h * 3
        if next_block is not None and next_block.kind == "table" and next_block.grid is not None:
            need = self.s.line_h + self._first_chunk_need(next_block.grid)
        if self.room() < need:
            self.new_page()
        self.paragraph(runs, indent_chars=2, size=self.s.head_size)

    def signature(self, lines: list[str]) -> None:
        size = self.s.body_size
        if self.room() < self.s.line_h * 4:
            self.new_page()
        self.y -= self.s.line_h
        for line in lines:
            w = _width(line, "song", size)
            self._draw_line(
                [(line, "song", "meta:signature")],
                self.left + self.width - w - 2 * size,
                self.y - self.s.line_h * 0.5 - size * 0.35,
                size,
            )
            self.y -= self.s.line_h

    # -- tables ---------------------------------------------------------------------------
    def _cell_width(self, g: Grid, cell: Cell) -> float:
        return sum(g.col_widths[cell.col : cell.col + cell.colspan])

    def _line_h(self, cell: Cell) -> float:
        return cell.size * 1.3

    def _needed(self, g: Grid, cell: Cell) -> float:
        if cell.vertical:
            return len(cell.text) * cell.size * 1.15 + 2 * self.PAD
        lines = wrap_cell(cell.text, cell.font, cell.size, self._cell_width(g, cell) - 2 * self.PAD)
        return len(lines) * self._line_h(cell) + 2 * self.PAD + 2

    def row_heights(self, g: Grid) -> list[float]:
        h = [self.s.min_row] * g.n_rows
        for cell in sorted(g.cells, key=lambda c: c.rowspan):
            need = self._needed(g, cell)
            span = range(cell.row, cell.row + cell.rowspan)
            have = sum(h[r] for r in span)
            if need > have:
                if cell.rowspan == 1:
                    h[cell.row] = need
                else:
                    extra = (need - have) / cell.rowspan
                    for r in span:
                        h[r] += extra
        return h

    def _first_chunk_need(self, g: Grid) -> float:
        h = self.row_heights(g)
        if g.keep_together:
            return sum(h)
        r = 0
        while r in g.keep_with_next and r + 1 < g.n_rows:
            r += 1
        return sum(h[: r + 2])

    def _paginate(
        self, g: Grid, h: list[float], first_room: float, page_room: float
    ) -> list[tuple[int, int]]:
        chunks: list[tuple[int, int]] = []
        r, room = 0, first_room
        header_h = sum(h[: g.header_rows])
        while r < g.n_rows:
            start, used = r, (header_h if chunks and g.repeat_header else 0.0)
            while r < g.n_rows:
                k = r
                while k in g.keep_with_next and k + 1 < g.n_rows:
                    k += 1
                block = sum(h[r : k + 1])
                if used + block <= room:
                    used += block
                    r = k + 1
                elif r == start and not chunks and room < page_room:
                    break  # nothing fits on this page: caller starts a new page
                elif r == start:
                    used += block  # taller than a page: let it overflow rather than loop
                    r = k + 1
                else:
                    break
            if r == start:
                return []
            chunks.append((start, r))
            room = page_room
        return chunks

    def table(self, g: Grid) -> None:
        h = self.row_heights(g)
        page_room = PAGE_H - self.top - self.bottom
        if g.keep_together and sum(h) <= page_room and sum(h) > self.room():
            self.new_page()
        chunks = self._paginate(g, h, self.room(), page_room)
        if not chunks:
            self.new_page()
            chunks = self._paginate(g, h, self.room(), page_room)
        owner = {}
        for idx, cell in enumerate(g.cells):
            overlaps = [min(e, cell.row + cell.rowspan) - max(s, cell.row) for s, e in chunks]
            owner[idx] = max(range(len(chunks)), key=lambda i: (overlaps[i], -i))
        pages = []
        for ci, (s, e) in enumerate(chunks):
            if ci:
                self.new_page()
            pages.append(len(self.pages))
            rows = list(range(s, e))
            if ci and g.repeat_header:
                rows = list(range(g.header_rows)) + rows
            self._draw_chunk(g, h, rows, ci, owner)
        self.table_pages[g.kind] = pages
        self.y -= self.s.line_h * 0.4

    def _draw_chunk(
        self, g: Grid, h: list[float], rows: list[int], ci: int, owner: dict[int, int]
    ) -> None:
        c = self.c
        top: dict[int, float] = {}
        y = self.y
        for r in rows:
            top[r] = y
            y -= h[r]
        bottom_of = {r: top[r] - h[r] for r in rows}
        xs = list(itertools.accumulate([self.left, *g.col_widths]))
        visible = []
        for idx, cell in enumerate(g.cells):
            span = [r for r in range(cell.row, cell.row + cell.rowspan) if r in top]
            if not span:
                continue
            repeated = cell.row < g.header_rows and ci > 0 and g.repeat_header
            draw_text = repeated or owner[idx] == ci
            box = (xs[cell.col], bottom_of[span[-1]], xs[cell.col + cell.colspan], top[span[0]])
            visible.append((span[0], cell.col, idx, cell, box, draw_text))
        for *_, cell, (x0, y0, x1, y1), _ in visible:
            if cell.shade and self.s.shade:
                c.setFillColorRGB(*self.s.shade)
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        for _, _, _, cell, box, draw_text in sorted(visible, key=lambda v: (v[0], v[1])):
            if cell.tag:
                self.page.tags.add(cell.tag)
            if draw_text and cell.text:
                self._cell_text(cell, box)
        c.setLineWidth(self.s.border)
        c.setStrokeColorRGB(0, 0, 0)
        for *_, (x0, y0, x1, y1), _ in visible:
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        self.y = y

    def _cell_text(self, cell: Cell, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        size = cell.size
        if cell.vertical:
            step = size * 1.15
            ytop = (y0 + y1) / 2 + len(cell.text) * step / 2
            for k, ch in enumerate(cell.text):
                w = _width(ch, cell.font, size)
                self._draw_line(
                    [(ch, cell.font, None)],
                    (x0 + x1 - w) / 2,
                    ytop - (k + 1) * step + size * 0.2,
                    size,
                )
            return
        lines = wrap_cell(cell.text, cell.font, size, x1 - x0 - 2 * self.PAD)
        lh = self._line_h(cell)
        ytop = (y0 + y1) / 2 + len(lines) * lh / 2
        for k, line in enumerate(lines):
            w = _width(line, cell.font, size)
            x = x0 + self.PAD if cell.align == "l" else (x0 + x1 - w) / 2
            self._draw_line(
                [(line, cell.font, None)],
                x,
                ytop - (k + 1) * lh + (lh - size) / 2 + size * 0.15,
                size,
            )


def render_pdf(rep: Report, path: Path) -> Composer:
    """Typeset a report into a text-layer PDF; returns the composer with per-page records."""
    register_fonts()
    style = STYLES[rep.spec.style]
    comp = Composer(path, style, f"{rep.spec.agency}{rep.spec.year}{REPORT_TITLE}")
    for i, block in enumerate(rep.blocks):
        nxt = rep.blocks[i + 1] if i + 1 < len(rep.blocks) else None
        if block.kind == "title":
            comp.title(block.lines)
        elif block.kind == "heading":
            comp.heading(block.runs, nxt)
        elif block.kind == "para":
            comp.paragraph(block.runs)
        elif block.kind == "table" and block.grid is not None:
            comp.table(block.grid)
        elif block.kind == "signature":
            comp.signature(block.lines)
    comp.finish()
    return comp


# ---- truth ---------------------------------------------------------------------------------
def table_value_paths(t: Template, spec: Spec) -> list[str]:
    """The table paths a truth file lists, in the order of the hand-made fixtures."""
    paths = [p for p in t.table_field_paths() if p.startswith("active_disclosure.")]
    v19 = [p for p in paths if ".v2019." in p]
    v21 = [p for p in paths if ".v2019." not in p]
    if spec.t2_format == "2019":
        mapped = list(t.tables.active_disclosure.formats["2019"].maps_to_2021.values())
        out = v19 + [f"active_disclosure.{k}" for k in mapped]
        out += [p for p in v21 if p.split(".", 1)[1] not in mapped]
    else:
        out = v21
    return out + [p for p in t.table_field_paths() if not p.startswith("active_disclosure.")]


def synthetic_truth(t: Template, rep: Report, comp: Composer) -> dict[str, Any]:
    spec = rep.spec
    values = {p: rep.values[p] for p in table_value_paths(t, spec)}
    for key in (
        "proactive_items_published",
        "training_sessions",
        "training_attendees",
        "npc_suggestions_handled",
        "cppcc_proposals_handled",
        "info_processing_fees_yuan",
    ):
        if f"items.{key}" in rep.values:
            values[f"items.{key}"] = rep.values[f"items.{key}"]
    drawn = set().union(*(p.tags for p in comp.pages))
    # 2021 keys filled from a 2019 cell are printed as that cell.
    mapped = {
        f"active_disclosure.{k}": f"active_disclosure.v2019.{src}"
        for src, k in t.tables.active_disclosure.formats["2019"].maps_to_2021.items()
    }
    not_drawn = [
        p
        for p, v in values.items()
        if v is not None and p not in drawn and mapped.get(p) not in drawn
    ]
    if not_drawn:
        raise AssertionError(f"{spec.name}: values never printed: {not_drawn[:5]}")
    failed = failed_checks(t, values, spec.t3_format)
    return {
        "meta": rep.meta,
        "template_version": spec.t2_format,
        "table_formats": {"active_disclosure": spec.t2_format, "applications": spec.t3_format},
        "sections_found": sorted(set(rep.sections)),
        "values": values,
        "prose_figures": rep.prose_figures,
        "failed_checks_expected": failed,
        "notes": synthetic_notes(t, rep, comp),
        "pages": [{"page": i + 1, "text": p.text} for i, p in enumerate(comp.pages)],
    }


def synthetic_notes(t: Template, rep: Report, comp: Composer) -> str:
    """The truth file's notes: what is unusual in this report and how each item is phrased."""
    spec = rep.spec
    out = [
        f"Synthetic report (fictitious agency, {spec.level}), written by "
        f"sample_scans/generate.py with seed {SEED}; typeset in the '{spec.style}' style.",
    ]
    if spec.t2_format != spec.t3_format:
        out.append(
            f"Mixed template: table 二 in the {spec.t2_format} layout, table 三 in the "
            f"{spec.t3_format} layout (reports on 2023 that kept the 2019 table 二 exist); "
            "template_version follows table 二."
        )
    if spec.t2_format == "2019":
        out.append(
            "The 2019 table 二 blocks are under active_disclosure.v2019.*; "
            "licensing/penalty/coercion_decisions come from 处理决定数量; the other 2021 "
            "table-二 keys are null (missing). 本年增/减 is printed signed, 采购总金额 with 元."
        )
    if spec.t3_format == "2019":
        out.append(
            "Table 三 has the single （六）其他处理 row -> applications.other.other; "
            "other.overdue_* are null."
        )
    if spec.rules_na:
        out.append(
            "The 规章 row prints '/' in all three cells (the body cannot make 规章): "
            "values null, semantic not_applicable."
        )
    if spec.blank_zero == "orgs":
        out.append(
            "Zero cells of the five 法人或其他组织 columns of table 三 are blank (read as 0)."
        )
    elif spec.blank_zero == "all_but_total":
        out.append("Zero cells of table 三 are blank except in the 总计 column (read as 0).")
    split = comp.table_pages.get("applications", [])
    if len(split) > 1:
        how = "repeats" if spec.t3_layout == "split_repeat" else "does not repeat"
        out.append(
            f"Table 三 runs over pages {split} and {how} its three header rows there; a rowspan "
            "stub cut by the break prints its label on the part holding more of its rows."
        )
    for key, raw in rep.items_raw.items():
        out.append(f"items.{key} = {rep.values[f'items.{key}']}: '{raw}'.")
    if rep.prose_figures:
        figures = ", ".join(f"{k}={v}" for k, v in rep.prose_figures.items())
        out.append(f"Prose figures (section 一) agree with the tables: {figures}.")
    out += rep.notes
    headings = dict(spec.headings)
    if headings:
        out.append("Heading variants: " + "; ".join(headings.values()) + ".")
    return " ".join(out)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---- scanning ------------------------------------------------------------------------------
def rasterise(pdf: Path, dpi: int, pages: Iterable[int] | None = None) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        wanted = list(pages) if pages else list(range(1, len(doc) + 1))
        return [
            doc[p - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for p in wanted
        ]
    finally:
        doc.close()


def degrade(img: Image.Image, v: Variant, seed: int, page: int) -> Image.Image:
    """One page through a scanner (or a phone): skew, blur, lighting, noise, specks, tint,
    binarisation, then the page's orientation. Deterministic for (seed, page)."""
    rs = np.random.RandomState((seed + page * 7919) % 2**32)
    out = img
    if v.rotation_deg:
        out = out.rotate(v.rotation_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if v.blur:
        out = out.filter(ImageFilter.GaussianBlur(v.blur))
    arr = np.asarray(out).astype(np.float32)
    if v.lighting:
        hgt, wid = arr.shape
        yy, xx = np.mgrid[0:hgt, 0:wid].astype(np.float32)
        cx, cy = wid * rs.uniform(0.3, 0.7), hgt * rs.uniform(0.2, 0.5)
        d = np.sqrt(((xx - cx) / wid) ** 2 + ((yy - cy) / hgt) ** 2)
        arr = arr * (1 - v.lighting * np.clip(d, 0, 1))
    if v.noise:
        arr = arr + rs.normal(0, v.noise, arr.shape)
    if v.speckle:
        mask = rs.random_sample(arr.shape) < v.speckle
        arr[mask] = rs.uniform(0, 90, int(mask.sum()))
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    out = Image.fromarray(arr, "L")
    if v.bilevel:
        out = out.point(lambda x: 255 if x > 150 else 0).convert("1")
    elif v.tint:
        out = ImageOps.colorize(out, black=(40, 34, 30), white=(246, 238, 214))
    turn = dict(v.orientation).get(page, 0)
    if (
        turn
    ):  # content turned clockwise by `turn` = image rotated by -turn (PIL is counter-clockwise)
        out = out.rotate(-turn, expand=True)
    return out


def save_scan(images: list[Image.Image], path: Path, v: Variant) -> None:
    if v.output == "pdf":
        kw: dict[str, Any] = {
            "resolution": v.dpi,
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
            "producer": "nianbao sample_scans",
            "title": path.stem,
        }
        if v.jpeg_quality is not None and not v.bilevel:
            kw["quality"] = v.jpeg_quality
        images[0].save(path, "PDF", save_all=True, append_images=images[1:], **kw)
    elif v.output == "tiff":
        comp = "group4" if v.bilevel else "tiff_lzw"
        images[0].save(
            path,
            "TIFF",
            save_all=True,
            append_images=images[1:],
            compression=comp,
            dpi=(v.dpi, v.dpi),
        )
    elif v.output == "png":
        images[0].save(path, "PNG", optimize=True, dpi=(v.dpi, v.dpi))
    else:
        images[0].save(path, "JPEG", quality=v.jpeg_quality or 75, dpi=(v.dpi, v.dpi))


EXT = {"pdf": ".pdf", "tiff": ".tiff", "png": ".png", "jpg": ".jpg"}


def variant_record(v: Variant, source: str, n_pages: int) -> dict[str, Any]:
    orient = dict(v.orientation)
    pages = list(v.pages) if v.pages else list(range(1, n_pages + 1))
    return {
        "source": source,
        "dpi": v.dpi,
        "rotation_deg": float(v.rotation_deg),
        "blur_radius_px": float(v.blur),
        "noise": float(v.noise),
        "speckle": float(v.speckle),
        "jpeg_quality": v.jpeg_quality,
        "orientation": [orient.get(p, 0) for p in pages],
        "bilevel": v.bilevel,
        "tint": v.tint,
        "lighting": float(v.lighting),
        "format": v.output,
        "source_pages": pages,
    }


def subset_truth(
    t: Template, truth: dict[str, Any], pages: list[int], page_tags: list[set[str]]
) -> dict[str, Any]:
    """Truth of a document made of some pages of another: only what those pages print. The
    failed checks are recomputed on that subset, so a check whose cells are not all there is
    not assessable and drops out."""
    tags = set().union(*(page_tags[p - 1] for p in pages))
    formats = truth["table_formats"]
    sub = dict(truth)
    sub["values"] = {k: v for k, v in truth["values"].items() if k in tags}
    sub["prose_figures"] = {k: v for k, v in truth["prose_figures"].items() if f"prose:{k}" in tags}
    sub["sections_found"] = [n for n in truth["sections_found"] if f"heading:{n}" in tags]
    meta = truth["meta"]
    sub["meta"] = {
        "agency": meta["agency"] if tags & {"meta:title", "meta:signature"} else None,
        "year": meta["year"] if "meta:title" in tags else None,
        "publish_date": meta["publish_date"] if "meta:signature" in tags else None,
    }
    if any(k.startswith("active_disclosure.") for k in sub["values"]):
        sub["template_version"] = formats["active_disclosure"]
    elif any(k.startswith("applications.") for k in sub["values"]):
        sub["template_version"] = formats["applications"]
    else:
        sub["template_version"] = "unknown"
    sub["failed_checks_expected"] = failed_checks(t, sub["values"], formats["applications"])
    sub["pages"] = [
        {"page": i + 1, "text": truth["pages"][p - 1]["text"]} for i, p in enumerate(pages)
    ]
    sub["notes"] = (
        f"Page(s) {pages} of the source report only: values, sections, "
        "meta and prose figures are those printed on them. " + truth["notes"]
    )
    return sub


# ---- the real published PDFs ------------------------------------------------------------------
# Values read off the page images of shared/real-pdfs (every table cell), in template order.
# Table 三 rows list the 7 columns (自然人 … 总计); "other" is the single （六）其他处理 row
# where the report prints the 2019 layout.
REAL: dict[str, dict[str, Any]] = {
    "hongze-district-2023": {
        "agency": "洪泽区人民政府",
        "year": 2023,
        "t2": [0, 0, 0, 0, 5, 5, 550, 4119, 195, 7730.28],
        "t3_format": "2019",
        "t3": {
            "new": [21, 0, 0, 0, 0, 0, 21],
            "carried_over": [0] * 7,
            "disclosed": [0] * 7,
            "partially_disclosed": [4, 0, 0, 0, 0, 0, 4],
            "not_disclosed.state_secret": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.prohibited_by_law": [0] * 7,
            "not_disclosed.three_safety_one_stability": [0] * 7,
            "not_disclosed.third_party_rights": [0] * 7,
            "not_disclosed.internal_affairs": [0] * 7,
            "not_disclosed.process_info": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.enforcement_case_files": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.administrative_query": [0] * 7,
            "cannot_provide.not_held": [10, 0, 0, 0, 0, 0, 10],
            "cannot_provide.needs_creation": [3, 0, 0, 0, 0, 0, 3],
            "cannot_provide.unclear_after_correction": [0] * 7,
            "not_processed.petition_complaint": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.repeated": [0] * 7,
            "not_processed.publications": [0] * 7,
            "not_processed.mass_repeated": [0] * 7,
            "not_processed.confirm_or_reissue": [0] * 7,
            "other.other": [0] * 7,
            "total": [21, 0, 0, 0, 0, 0, 21],
            "carried_forward": [0] * 7,
        },
        "t4": [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
        "items": {"proactive_items_published": 1136, "info_processing_fees_yuan": 0},
        "prose_figures": {"applications.new.total": 21},
        "notes": (
            "Real report (淮安市洪泽区人民政府, 2023), as published. "
            "Title prints '洪泽区人民政府' (the intro names 淮安市洪泽区人民政府办公室); "
            "no publication date is printed. "
            "Table 二 is the 2021 layout but table 三 prints the 2019 layout: "
            "one （六）其他处理 row (all 0) -> applications.other.other; other.overdue_* are null. "
            "The 不予公开 row 2 is misprinted '2.其他法律行政止公开' (法规禁 missing). "
            "Table 四 prints 10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0: the 行政复议 and 复议后起诉 "
            "总计 are 0 although their parts add up to 11 and 5, so the source is inconsistent "
            "in itself; the truth is what is printed. "
            "Table 二 行政事业性收费 prints 7730.28 (万元). "
            "Table 二 runs over pages 2-3 (the （六） block title at the foot of page 2). "
            "Table 三 runs over pages 3-4 without repeating its header; the cut （四）无法提供 "
            "group keeps its label on page 3 only. "
            "Prose: '受理政府信息公开申请 21 件' (= 一 总计); '主动公开政府信息 1136 条'; "
            "'收取政府信息公开信息处理费 0 元'. No training or 建议/提案 figures."
        ),
    },
    "hongze-district-2024": {
        "agency": "淮安市洪泽区人民政府",
        "year": 2024,
        "t2": [0, 0, 0, 3, 0, 8, 9487, 2776, 84, 7545],
        "t3_format": "2019",
        "t3": {
            "new": [95, 0, 0, 0, 0, 0, 95],
            "carried_over": [0] * 7,
            "disclosed": [50, 0, 0, 0, 0, 0, 50],
            "partially_disclosed": [9, 0, 0, 0, 0, 0, 9],
            "not_disclosed.state_secret": [0] * 7,
            "not_disclosed.prohibited_by_law": [0] * 7,
            "not_disclosed.three_safety_one_stability": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.third_party_rights": [0] * 7,
            "not_disclosed.internal_affairs": [0] * 7,
            "not_disclosed.process_info": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.enforcement_case_files": [1, 0, 0, 0, 0, 0, 1],
            "not_disclosed.administrative_query": [0] * 7,
            "cannot_provide.not_held": [31, 0, 0, 0, 0, 0, 31],
            "cannot_provide.needs_creation": [1, 0, 0, 0, 0, 0, 1],
            "cannot_provide.unclear_after_correction": [0] * 7,
            "not_processed.petition_complaint": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.repeated": [0] * 7,
            "not_processed.publications": [0] * 7,
            "not_processed.mass_repeated": [0] * 7,
            "not_processed.confirm_or_reissue": [0] * 7,
            "other.other": [0] * 7,
            "total": [95, 0, 0, 0, 0, 0, 95],
            "carried_forward": [0] * 7,
        },
        "t4": [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
        "items": {"proactive_items_published": 2428, "info_processing_fees_yuan": 0},
        "prose_figures": {},
        "notes": (
            "Real report (淮安市洪泽区人民政府, 2024), as published; "
            "no publication date is printed. "
            "Table 二 is the 2021 layout, table 三 again the 2019 layout (single （六）其他处理 "
            "row -> other.other; other.overdue_* null) with the same misprinted label "
            "'2.其他法律行政止公开'. "
            "Table 四's first header row leaves an empty cell between 行政复议 and 行政诉讼 "
            "(the 行政诉讼 cell starts one column late). All relations hold. "
            "Prose says '区政府办代表区政府受理政府信息公开申请 17 件' while table 三 "
            "一 总计 is 95: "
            "a different scope (the office only), so it is not recorded as a prose figure. "
            "'主动发布各类政府信息 2428 条' (主动发布, not 主动公开) -> "
            "proactive_items_published; "
            "'收取政府信息公开信息处理费 0 元'. "
            "Table 二 runs over pages 2-3 (after 行政许可); table 三 runs over pages 3-4 "
            "without repeating its header, its （四）无法提供 label on page 3 only."
        ),
    },
    "huaian-city-2024": {
        "agency": "淮安市人民政府",
        "year": 2024,
        "t2": [1, 0, 11, 8, 26, 66, 447228, 3985758, 88283, 96171.6],
        "t3_format": "2021",
        "t3": {
            "new": [3001, 53, 0, 0, 61, 4, 3119],
            "carried_over": [34, 0, 0, 0, 0, 0, 34],
            "disclosed": [1288, 21, 0, 0, 50, 3, 1362],
            "partially_disclosed": [447, 7, 0, 0, 0, 0, 454],
            "not_disclosed.state_secret": [2, 0, 0, 0, 0, 0, 2],
            "not_disclosed.prohibited_by_law": [30, 1, 0, 0, 0, 0, 31],
            "not_disclosed.three_safety_one_stability": [5, 0, 0, 0, 0, 0, 5],
            "not_disclosed.third_party_rights": [6, 0, 0, 0, 0, 0, 6],
            "not_disclosed.internal_affairs": [7, 1, 0, 0, 0, 0, 8],
            "not_disclosed.process_info": [12, 0, 0, 0, 0, 0, 12],
            "not_disclosed.enforcement_case_files": [9, 0, 0, 0, 0, 0, 9],
            "not_disclosed.administrative_query": [105, 0, 0, 0, 0, 0, 105],
            "cannot_provide.not_held": [746, 12, 0, 0, 10, 1, 769],
            "cannot_provide.needs_creation": [11, 0, 0, 0, 0, 0, 11],
            "cannot_provide.unclear_after_correction": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.petition_complaint": [56, 6, 0, 0, 0, 0, 62],
            "not_processed.repeated": [25, 0, 0, 0, 0, 0, 25],
            "not_processed.publications": [0] * 7,
            "not_processed.mass_repeated": [0] * 7,
            "not_processed.confirm_or_reissue": [1, 0, 0, 0, 0, 0, 1],
            "other.overdue_correction": [67, 3, 0, 0, 1, 0, 71],
            "other.overdue_fee": [6, 0, 0, 0, 0, 0, 6],
            "other.other": [108, 2, 0, 0, 0, 0, 110],
            "total": [2932, 53, 0, 0, 61, 4, 3050],
            "carried_forward": [103, 0, 0, 0, 0, 0, 103],
        },
        "t4": [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20],
        "items": {"proactive_items_published": 5500, "info_processing_fees_yuan": 3940},
        "prose_figures": {
            "applications.new.total": 3119,
            "applications.carried_over.total": 34,
            "applications.carried_forward.total": 103,
            "review_litigation.review.total": 351,
        },
        "notes": (
            "Real report (淮安市人民政府, 2024), as published; no publication date is printed. "
            "Both tables in the 2021 layout; all relations hold. "
            "Table 二 block titles print '第二十条 第（一）项' with a space, and the table runs "
            "over pages 3-4 (after the （六） block title); large values (行政处罚 3985758, "
            "行政许可 447228, 行政事业性收费 96171.6 万元). "
            "Table 三 runs over pages 4-5 without repeating its header; the cut （四）无法提供 "
            "stub prints '（四）无' on page 4 and '法提供' on page 5; header cells wrap as "
            "'商 业 企/业'. The （六） sub-rows number '1、' '2、' '3、' instead of '1.'. "
            "Prose: '受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件， "
            "另有 103 件顺延到下年度答复）', '行政复议 351 件', '行政诉讼 46 件' (= 26 + 20), "
            "'主动公开各类政府信息 5500 余条' (approximate), '收取政府信息公开信息处理费 3940 元'. "
            "Training is mentioned without figures (调研式培训、过堂式培训): no training item."
        ),
    },
}


def real_truth(t: Template, name: str) -> dict[str, Any]:
    """Truth of a real PDF from the values above and the PDF's own text layer (page text)."""
    r = REAL[name]
    ad = t.tables.active_disclosure.formats["2021"]
    paths = []
    for row in ad.rows:
        paths += (
            [f"active_disclosure.{row.key}.{c}" for c in row.columns]
            if row.columns
            else [f"active_disclosure.{row.key}"]
        )
    values: dict[str, Any] = dict(zip(paths, r["t2"], strict=True))
    apps = t.tables.applications
    for row in apps.row_keys():
        printed = r["t3"].get(row)
        for i, col in enumerate(apps.columns):
            values[f"applications.{row}.{col.key}"] = printed[i] if printed else None
    rl = t.tables.review_litigation
    i = 0
    for g in rl.groups:
        for c in rl.columns:
            values[f"review_litigation.{g.key}.{c.key}"] = r["t4"][i]
            i += 1
    for k, v in r["items"].items():
        values[f"items.{k}"] = v
    pages = []
    doc = pdfium.PdfDocument(str(REAL_PDFS / f"{name}.pdf"))
    try:
        for i in range(len(doc)):
            text = re.sub(r"\s+", "", doc[i].get_textpage().get_text_range())
            # The page number is printed at the foot but comes first in the text layer.
            m = re.match(r"^(-\d+-)(.*)$", text)
            if m:
                text = m.group(2) + m.group(1)
            pages.append({"page": i + 1, "text": text})
    finally:
        doc.close()
    return {
        "meta": {"agency": r["agency"], "year": r["year"], "publish_date": None},
        "template_version": "2021",
        "table_formats": {"active_disclosure": "2021", "applications": r["t3_format"]},
        "sections_found": [1, 2, 3, 4, 5, 6],
        "values": values,
        "prose_figures": r["prose_figures"],
        "failed_checks_expected": failed_checks(t, values, r["t3_format"]),
        "notes": r["notes"],
        "pages": pages,
    }


# ---- driver ----------------------------------------------------------------------------------
@dataclass
class Output:
    manifest: list[dict[str, Any]] = field(default_factory=list)
    written: set[Path] = field(default_factory=set)
    pages_by_kind: dict[str, int] = field(default_factory=dict)


def _record(
    out: Output,
    root: Path,
    path: Path,
    truth: dict[str, Any],
    kind: str,
    variant: dict[str, Any] | None,
    origin: str,
) -> None:
    truth_path = path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json")
    truth["variant"] = variant
    write_json(truth_path, truth)
    out.written |= {path, truth_path}
    out.manifest.append(
        {
            "file": path.relative_to(root).as_posix(),
            "truth": truth_path.relative_to(root).as_posix(),
            "kind": kind,
            "origin": origin,
            "pages": len(truth["pages"]),
            "template_version": truth["template_version"],
            "variant": variant,
        }
    )
    label = kind if variant is None else f"{kind} {variant['dpi']}dpi"
    out.pages_by_kind[label] = out.pages_by_kind.get(label, 0) + len(truth["pages"])


def _kind(v: Variant) -> str:
    return "scan_pdf" if v.output == "pdf" else "image"


def generate_synthetic(
    spec: Spec, root: Path, out: Output, t: Template, scans: bool = True
) -> None:
    rep = build_report(spec, t)
    pdf = root / "pdf" / f"{spec.name}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    comp = render_pdf(rep, pdf)
    if spec.t3_layout.startswith("split") and len(comp.table_pages.get("applications", [])) < 2:
        raise AssertionError(f"{spec.name}: table 三 was meant to break across pages but did not")
    truth = synthetic_truth(t, rep, comp)
    base = dict(truth)
    _record(out, root, pdf, truth, "text_pdf", None, "synthetic")
    if not scans:
        return
    page_tags = [p.tags for p in comp.pages]
    for v in VARIANTS.get(spec.name, []):
        seed = SEED + sum(map(ord, spec.name + v.suffix))
        images = rasterise(pdf, v.dpi, v.pages)
        pages = list(v.pages) if v.pages else list(range(1, len(images) + 1))
        images = [degrade(img, v, seed, p) for img, p in zip(images, pages, strict=True)]
        folder = "scans" if v.output == "pdf" else "images"
        path = root / folder / f"{spec.name}-{v.suffix}{EXT[v.output]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_scan(images, path, v)
        vt = subset_truth(t, base, pages, page_tags) if v.pages else dict(base)
        _record(
            out,
            root,
            path,
            vt,
            _kind(v),
            variant_record(v, f"pdf/{spec.name}.pdf", len(comp.pages)),
            "synthetic",
        )


def generate_real(name: str, root: Path, out: Output, t: Template) -> None:
    src = REAL_PDFS / f"{name}.pdf"
    truth = real_truth(t, name)
    for v in REAL_VARIANTS:
        seed = SEED + sum(map(ord, name + v.suffix))
        images = [degrade(img, v, seed, i + 1) for i, img in enumerate(rasterise(src, v.dpi))]
        path = root / "real" / f"{name}-{v.suffix}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_scan(images, path, v)
        _record(
            out,
            root,
            path,
            dict(truth),
            "scan_pdf",
            variant_record(v, f"shared/real-pdfs/{name}.pdf", len(images)),
            "real",
        )


def dir_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def write_readme_table(root: Path, out: Output) -> None:
    """Refresh the generated part of README.md (between the markers), keeping the rest."""
    readme = root / "README.md"
    if not readme.exists():
        return
    begin, end = "<!-- generated: documents -->", "<!-- /generated -->"
    rows = ["| file | kind | pages | template | variant |", "|---|---|---|---|---|"]
    for m in out.manifest:
        v = m["variant"]
        if v is None:
            desc = "text layer"
        else:
            bits = [f"{v['dpi']} dpi"]
            if v["rotation_deg"]:
                bits.append(f"skew {v['rotation_deg']:+}°")
            if any(v["orientation"]):
                bits.append(
                    "turned "
                    + ", ".join(
                        f"p{p}:{o}°"
                        for p, o in zip(v["source_pages"], v["orientation"], strict=True)
                        if o
                    )
                )
            if v["noise"]:
                bits.append(f"noise σ{v['noise']:g}")
            if v["blur_radius_px"]:
                bits.append(f"blur {v['blur_radius_px']:g}px")
            if v["bilevel"]:
                bits.append("bilevel G4")
            if v["tint"]:
                bits.append("colour, tinted paper")
            if v["lighting"]:
                bits.append("uneven lighting")
            if v["jpeg_quality"]:
                bits.append(f"JPEG q{v['jpeg_quality']}")
            if len(v["source_pages"]) < 3:
                bits.append(f"page {','.join(map(str, v['source_pages']))} only")
            desc = ", ".join(bits)
        rows.append(
            f"| `{m['file']}` | {m['kind']} | {m['pages']} | {m['template_version']} | {desc} |"
        )
    size = dir_size(root)
    block = "\n".join(
        [
            begin,
            f"Total size of sample_scans/: {size / 1e6:.1f} MB ({len(out.manifest)} documents).",
            "",
            *rows,
            end,
        ]
    )
    text = readme.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output root (default: sample_scans/)")
    ap.add_argument("--only", nargs="*", help="synthetic report names to build (default: all)")
    ap.add_argument("--skip-real", action="store_true", help="do not rasterise shared/real-pdfs")
    ap.add_argument("--no-scans", action="store_true", help="text-layer PDFs only")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    t = load_template()
    root: Path = args.out
    out = Output()
    specs = [s for s in SPECS if not args.only or s.name in args.only]
    for spec in specs:
        generate_synthetic(spec, root, out, t, scans=not args.no_scans)
        print(f"  {spec.name}")
    if not args.skip_real:
        if not REAL_PDFS.is_dir():
            raise SystemExit(f"{REAL_PDFS} not found (use --skip-real)")
        for name in REAL:
            generate_real(name, root, out, t)
            print(f"  {name} (real)")
    full = not args.only and not args.skip_real and not args.no_scans
    if full:
        for d in GENERATED_DIRS:
            for p in (root / d).glob("*"):
                if p.is_file() and p not in out.written:
                    p.unlink()
                    print(f"  removed stale {p.relative_to(root)}")
        write_json(
            root / "manifest.json",
            {"seed": SEED, "generator": "sample_scans/generate.py", "documents": out.manifest},
        )
        write_readme_table(root, out)
    took = time.perf_counter() - started
    print(f"{len(out.manifest)} documents, pages by kind: {out.pages_by_kind}")
    print(f"size of {root}: {dir_size(root) / 1e6:.1f} MB; took {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
