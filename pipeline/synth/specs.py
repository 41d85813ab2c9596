"""What the corpus is made of: the seed, the typesetting styles, the synthetic report
specifications and the scan variants of each document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..template.loader import Format

SEED = 20250101

# The choices a report makes, one Literal each: a new phrasing or layout is a new member here
# and a branch where the choice is read (prose.py, values.py, report.py, typeset.py).
Font = Literal["song", "kai", "hei"]  # 仿宋-like body, 楷体 sub-headings, 黑体 headings
StyleName = Literal["gov", "compact", "plain"]
PageNumbers = Literal["alternate", "center", "none"]
Level = Literal["ministry", "province", "city", "city_bureau", "county", "street", "town"]
T3Layout = Literal["keep", "split", "split_repeat"]  # table 三 on one page, or broken (+header)
BlankZero = Literal["none", "orgs", "all_but_total"]  # which zero cells of table 三 print blank
Fault = Literal["t3_cell", "t4_total"]  # one deliberately wrong printed cell
Training = Literal["T1", "T1cn", "T2", "T2cn", "T3", "T4"]  # training sessions and attendees
Proposals = Literal["N1", "N2", "N3", "N3cn"]  # 人大代表建议 / 政协提案
Fees = Literal["F0a", "F0b", "F0c", "F1", "F2"]  # 信息处理费
Proactive = Literal["P1", "P2", "P3", "P4"]  # items proactively published
Figures = Literal["A", "B", "C"]  # section 一's prose figures of table 三
ScanOutput = Literal["pdf", "tiff", "png", "jpg"]


@dataclass(frozen=True)
class Style:
    """Typesetting of one report. Reports differ in size, shading and page furniture."""

    name: StyleName
    body_size: float
    line_h: float
    head_size: float
    title_size: float
    table_label: float
    table_number: float
    min_row: float
    shade: tuple[float, float, float] | None
    header_font: Font
    border: float  # rule width in points; 0: a borderless table (web pages printed to PDF)
    page_numbers: PageNumbers
    margins: tuple[float, float, float, float]  # left, right, top, bottom


STYLES: dict[StyleName, Style] = {
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
    level: Level
    year: int
    scale: int  # about how many applications a year
    t2_format: Format
    t3_format: Format
    style: StyleName
    t3_layout: T3Layout = "keep"
    blank_zero: BlankZero = "none"
    makes_rules: bool = False
    rules_na: bool = False  # prints "/" across the 规章 row
    faults: tuple[Fault, ...] = ()
    zero_t4: bool = False
    training: Training = "T1"
    proposals: Proposals | None = "N1"  # None: section 六 names none
    fees: Fees = "F0a"
    proactive: Proactive = "P1"
    figures: Figures = "A"
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
    output: ScanOutput = "pdf"
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
