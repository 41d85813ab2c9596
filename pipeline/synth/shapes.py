"""Real-page shapes for the labelled documents (issue #13): how published reports look when a
web page, a PDF-to-markdown converter or a poor text extraction hands them over.

Why: the calibration is fitted on labelled generated documents; if they only ever look like the
generator's own clean HTML and tab-separated text, the confidence it learns says nothing about a
real page. Real openings (shared/real-openings) show the shapes imitated here, each a choice a
document draws with a configurable rate (configs/train/default.yaml `shapes:`):

tables (one per document)
- html_blank     web-page tables: zero cells as empty <td></td> or &nbsp; (often every cell
                 but 自然人 and 总计 blank), the rowspan=3 colspan=3 勾稽 note, real spans for
                 申请人情况, 法人或其他组织 and the vertical 三、本年度办理结果 group, <br> inside
                 header cells
- markdown       converter pipe tables (`| 规章 | 0 | 0 | 0 |`, `|---|` under the first row),
                 '-' or nothing for blank, merged labels empty or repeated, `## 表三：…` titles,
                 <br> in cells, `#` headings; written as .md or inside a .txt
- markdown_rows  the same, but table 三 as one pipe table per row under a made-up header
                 (`| 类别 | 数据1 | … | 数据6 | 总计 |`) with the row groups as ###/#### headings
- torn           flattened text whose labels come apart from the numbers: label fragments on
                 lines of their own, the vertical group label cut in pieces between rows, header
                 words cut mid-word, rows of numbers without a label, one cell per line ending
                 ' |', pipe rows mixed with plain lines; blank cells dropped or kept as empty
                 separators (the numbers stay in template order)
- legacy         the existing renderings (HTML or tab-separated text)
meta
- header_date    a page-header date (发布时间：2023-03-15 09:20 …); with no date under the
                 signature it is the publish date; `signature_too` keeps both (signature wins)
- agency         preamble sentence only, a 名称：/单位： label line, 政府 vs 人民政府, only the
                 short form in the body, only in the signature, one character misread in one
                 mention, a traditional-script page, or not named at all
content
- cut            an opening: the text stops at a random point after section 一 (mid-sentence,
                 mid-table)
- images         the tables are images ([图片]); the prose states some figures

The truth follows what the text states: a cut document lists only the values printed before
the cut (and the prose figures), an image document only the prose figures, by the conventions
of shared/real-openings/README.md (a combined figure is not split; 未收到申请 → new = 0;
未发生行政复议、行政诉讼 → every table-四 cell 0). Everything is drawn from the random stream
the caller passes (seeded per document).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .model import Grid, Report, Run, count_at
from .specs import Spec

TABLE_SHAPES = ("legacy", "html_blank", "markdown", "markdown_rows", "torn")
AGENCY_SHAPES = (
    "title",
    "preamble",
    "label_line",
    "gov_variant",
    "short_form",
    "signature_only",
    "misread",
    "traditional",
    "unnamed",
)
REPORT = "政府信息公开工作年度报告"


@dataclass(frozen=True)
class ShapeRates:
    """How often each real-page shape is drawn (configs/train/default.yaml `shapes:`)."""

    tables: Mapping[str, float]  # weights of TABLE_SHAPES (one per document)
    agency: Mapping[str, float]  # weights of AGENCY_SHAPES (one per document)
    header_date: float  # a page-header date line
    signature_too: float  # ... of those, the signature keeps its date too
    markdown_as_txt: float  # a converter's markdown saved as .txt
    cut: float  # an opening cut after section 一
    images: float  # tables as images, figures in the prose
    rich_figures: float  # the figures paragraph in the richer phrasings (always when cut/images)
    page_break: float  # table 三 broken over pages: a header-only part, then the rest
    ascii_punctuation: float  # full-width （）：，； printed as ASCII (as many web pages return)
    other_bureau: float  # a bureau the legacy documents never draw (发改委, 司法局 …)

    def __post_init__(self) -> None:
        for name, keys, got in (
            ("tables", TABLE_SHAPES, self.tables),
            ("agency", AGENCY_SHAPES, self.agency),
        ):
            unknown = set(got) - set(keys)
            if unknown:
                raise ValueError(f"unknown {name} shapes: {sorted(unknown)}")
            if not any(v > 0 for v in got.values()):
                raise ValueError(f"no {name} shape has a positive weight")


@dataclass
class Plan:
    """The shapes one document drew."""

    tables: str
    agency: str
    header_date: bool
    signature_too: bool
    as_txt: bool
    cut: bool
    images: bool
    rich_figures: bool
    blank: str  # "spec" | "orgs" | "all_but_total" | "all_zero": which zero cells print blank
    page_break: bool = False
    ascii_punctuation: bool = False
    bureau: str | None = None

    def names(self) -> list[str]:
        out = [f"tables:{self.tables}", f"agency:{self.agency}", f"blank:{self.blank}"]
        if self.header_date:
            out.append("header_date+signature" if self.signature_too else "header_date")
        flags = ("cut", "images", "rich_figures", "as_txt", "page_break", "ascii_punctuation")
        out += [n for n in flags if getattr(self, n)]
        return out


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = [k for k, v in weights.items() if v > 0]
    return rng.choices(keys, [weights[k] for k in keys])[0]


# bureaus the legacy documents never draw, with the short forms bodies use for them
OTHER_BUREAUS = {
    "发展和改革委员会": "发改委",
    "司法局": "司法局",
    "水利局": "水利局",
    "公安局": "公安局",
    "民政局": "民政局",
    "文化和旅游局": "文旅局",
    "应急管理局": "应急局",
    "统计局": "统计局",
}
BUREAU_SHORT = {
    "自然资源和规划局": "自然资源规划局",
    "市场监督管理局": "市场监管局",
    "交通运输局": "交通局",
    "卫生健康委员会": "卫健委",
    "人力资源和社会保障局": "人社局",
    "住房和城乡建设局": "住建局",
    **OTHER_BUREAUS,
}


def draw_plan(rng: random.Random, rates: ShapeRates, spec: Spec) -> Plan:
    tables = weighted(rng, rates.tables)
    agency = weighted(rng, rates.agency)
    if agency == "gov_variant" and "人民政府" not in spec.agency:
        agency = "short_form"
    header = rng.random() < rates.header_date
    cut = rng.random() < rates.cut
    images = not cut and rng.random() < rates.images
    if agency == "misread" and cut:  # the signature is cut off: too few mentions to agree
        agency = "title"
    bureau = None
    local = spec.level in ("city_bureau", "county") and "人民政府" not in spec.agency
    if local and rng.random() < rates.other_bureau:
        bureau = rng.choice(list(OTHER_BUREAUS))
    return Plan(
        tables=tables,
        agency=agency,
        header_date=header,
        signature_too=header and rng.random() < rates.signature_too,
        as_txt=tables in ("markdown", "markdown_rows") and rng.random() < rates.markdown_as_txt,
        cut=cut,
        images=images,
        rich_figures=cut or images or rng.random() < rates.rich_figures,
        blank=rng.choice(["spec", "orgs", "orgs", "all_but_total", "all_zero"]),
        bureau=bureau,
        page_break=rng.random() < rates.page_break,
        ascii_punctuation=rng.random() < rates.ascii_punctuation,
    )


def with_bureau(spec: Spec, bureau: str | None) -> Spec:
    """The spec with another bureau (same place and level): its agency and office renamed."""
    if bureau is None:
        return spec
    m = re.match(r"^(..[市区县])(.+?)$", spec.agency)
    if not m:
        return spec
    old = m.group(2)
    return replace(
        spec,
        agency=m.group(1) + bureau,
        office=spec.office.replace(old, bureau),
    )


# ---- pieces ----------------------------------------------------------------------------------
@dataclass
class Piece:
    """A labelled stretch of the document: prose lines, a table grid or an image placeholder.
    `runs` (prose paragraphs) keep the truth tags of the words; `kind` is the block kind
    (title, para, heading, table, signature) or "noise" / "header" / "image"."""

    label: str
    lines: list[str]
    grid: Grid | None = None
    heading: int | None = None
    runs: list[Run] | None = None
    kind: str = ""


def piece_tags(p: Piece) -> set[str]:
    """Truth tags a piece prints whole."""
    if p.grid is not None:
        return {c.tag for c in p.grid.cells if c.tag}
    if p.runs is not None:
        return {r.tag for r in p.runs if r.tag}
    return set()


# ---- agency mentions ---------------------------------------------------------------------------
def short_form(agency: str) -> str:
    """How a body names its own agency for short: 市发改委, 县政府, 松涛街道 …"""
    m = re.match(r"^..区人民政府(.+?)街道办事处$", agency)
    if m:
        return f"{m.group(1)}街道"
    m = re.match(r"^..([省市县区镇])(.+)$", agency)
    if not m:
        return agency
    level, rest = m.groups()
    if rest == "人民政府":
        return f"{level}政府"
    return level + BUREAU_SHORT.get(rest, rest)


def pronoun(agency: str) -> str:
    if agency.endswith("委员会"):
        return "我委"
    if agency.endswith("局"):
        return "我局"
    if agency.endswith("街道办事处"):
        return "我街道"
    m = re.match(r"^..([省市县区镇])人民政府$", agency)
    if m:
        return f"我{m.group(1)}"
    return "本机关"


# one-character OCR misreads of characters agency names are made of
MISREADS = {
    "局": "周",
    "政": "攻",
    "县": "具",
    "市": "巿",
    "区": "医",
    "府": "俯",
    "民": "氏",
    "人": "入",
    "镇": "填",
    "街": "衔",
    "委": "季",
    "会": "合",
    "育": "盲",
    "财": "材",
    "源": "原",
    "生": "牛",
    "环": "坏",
    "境": "镜",
    "健": "建",
    "康": "唐",
    "监": "盐",
    "管": "菅",
    "理": "埋",
    "通": "涌",
    "农": "衣",
    "住": "往",
    "设": "没",
    "资": "咨",
    "保": "堡",
    "司": "可",
    "水": "木",
    "利": "科",
    "公": "么",
    "安": "案",
    "统": "纺",
    "计": "汁",
    "急": "怠",
}


def misread(agency: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(agency) if ch in MISREADS and i >= 2]
    i = rng.choice(spots)
    return agency[:i] + MISREADS[agency[i]] + agency[i + 1 :]


PREAMBLES_NAMED = [
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，特编制{agency}{year}年"
    + REPORT
    + "。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    "按照《中华人民共和国政府信息公开条例》和上级有关工作要求，{agency}编制了本年度报告，"
    "现向社会公布。报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
]
PREAMBLES_PLAIN = [
    "根据《中华人民共和国政府信息公开条例》规定和上级有关工作要求，现将{who}{year}年度政府信息"
    "公开工作情况报告如下。本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
    "本年度报告根据《中华人民共和国政府信息公开条例》相关要求编制，内容包括总体情况、主动公开"
    "政府信息情况等六部分。报告所列数据统计期限为{year}年1月1日至12月31日。",
]
LABEL_LINES = ["单位：{agency}", "名称：{agency}", "发布机构：{agency}", "单位名称：{agency}"]


def _find(pieces: list[Piece], kind: str, label: str | None = None) -> Piece | None:
    for p in pieces:
        if p.kind == kind and (label is None or p.label == label):
            return p
    return None


def _para_replace(p: Piece, old: str, new: str) -> None:
    """Replace `old` in a paragraph's untagged runs (and its line)."""
    if p.runs is None:
        return
    p.runs = [
        r if r.tag or old not in r.text else Run(r.text.replace(old, new), r.font, r.tag)
        for r in p.runs
    ]
    p.lines = ["".join(r.text for r in p.runs)]


def apply_agency(pieces: list[Piece], rep: Report, plan: Plan, rng: random.Random) -> str | None:
    """Rewrite the agency's mentions (title, preamble, section 一's first sentence, signature)
    as the plan says; returns the agency the truth names (None: not named)."""
    spec = rep.spec
    full, year = spec.agency, spec.year
    title = _find(pieces, "title")
    preamble = next((p for p in pieces if p.kind == "para" and p.label == "front_matter"), None)
    body = next((p for p in pieces if p.kind == "para" and p.label == "section_1"), None)
    sig = _find(pieces, "signature")
    shape = plan.agency
    bare_title = [f"{year}年{REPORT}"]
    who = pronoun(full)

    def set_preamble(text: str) -> None:
        if preamble is not None:
            preamble.runs = [Run(text)]
            preamble.lines = [text]

    def signature(name: str | None) -> None:
        """The signature names `name` (None: date only); one is added when the spec has none."""
        nonlocal sig
        if sig is None:
            if name is None:
                return
            sig = Piece("section_6", [name], kind="signature")
            pieces.append(sig)
            return
        date = [ln for ln in sig.lines if ln != full]
        sig.lines = ([name] if name else []) + date

    if shape in ("title", "traditional"):
        return full
    if shape == "preamble":
        if title:
            title.lines = bare_title
        set_preamble(rng.choice(PREAMBLES_NAMED).format(agency=full, year=year))
        if body:
            _para_replace(body, full, who)
        signature(None)
        return full
    if shape == "label_line":
        if title:
            title.lines = bare_title if rng.random() < 0.7 else title.lines
            i = pieces.index(title)
            line = rng.choice(LABEL_LINES).format(agency=full)
            pieces.insert(i + 1, Piece("front_matter", [line], kind="header"))
        set_preamble(rng.choice(PREAMBLES_PLAIN).format(who=who, year=year))
        if body:
            _para_replace(body, full, who)
        signature(None)
        return full
    if shape == "gov_variant":
        gov = full.replace("人民政府", "政府")
        set_preamble(rng.choice(PREAMBLES_NAMED).format(agency=gov, year=year))
        if body:
            _para_replace(body, full, gov)
        signature(gov)
        return full
    if shape == "short_form":
        short = short_form(full)
        office = spec.office if not spec.office.startswith(full) else short + "办公室"
        text = preamble.lines[0] if preamble else ""
        set_preamble(text.replace(spec.office, office).replace(full, short))
        if body:
            _para_replace(body, full, short)
        signature(full if rng.random() < 0.5 else short)
        return full
    if shape == "signature_only":
        if title:
            title.lines = bare_title
        set_preamble(rng.choice(PREAMBLES_PLAIN).format(who=who, year=year))
        if body:
            _para_replace(body, full, who)
        signature(full)
        return full
    if shape == "misread":
        wrong = misread(full, rng)
        signature(full)
        spots = [p for p in (title, body, sig) if p is not None]
        at = rng.choice(spots)
        if at is body:
            _para_replace(body, full, wrong)
        else:
            at.lines = [ln.replace(full, wrong) for ln in at.lines]
        return full
    # unnamed
    if title:
        title.lines = bare_title
    set_preamble(rng.choice(PREAMBLES_PLAIN).format(who=who, year=year))
    if body:
        _para_replace(body, full, who)
    signature(None)
    return None


# ---- header dates ---------------------------------------------------------------------------
def header_lines(rng: random.Random, date: dt.date, source: str) -> list[str]:
    """A web page's date line(s) above the text."""
    hm = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    hms = f"{hm}:{rng.randint(0, 59):02d}"
    iso = date.isoformat()
    views = rng.randint(50, 9000)
    index = f"{rng.randint(10000000, 99999999)}/{date.year}-{rng.randint(100, 999)}"
    forms = [
        [f"发布时间：{iso} {hm}"],
        [f"发布日期：{iso}"],
        [f"发布时间: {iso} {hm} 字体:[大 中 小]"],
        [f"来源：{source}  发布时间：{iso} {hms}  浏览次数：{views}"],
        [f"{date.year}年{date.month:02d}月{date.day:02d}日 来源：{source}"],
        [f"时间：{iso}"],
        [f"索引号：{index}", f"发布机构：{source}", f"发文日期：{iso}"],
        [f"发布者：{source}   发布日期：{iso} {hms}   浏览次数：{views}"],
    ]
    return rng.choice(forms)


def apply_header_date(
    pieces: list[Piece], rep: Report, plan: Plan, rng: random.Random
) -> tuple[str | None, str | None]:
    """Insert the page-header date after the title; drop the signature's date unless the plan
    keeps both. Returns (header date, signature date kept) as ISO strings."""
    signed = rep.meta["publish_date"]
    sig = _find(pieces, "signature")
    if not plan.header_date:
        return None, signed if sig is not None else None
    if signed:
        base = dt.date.fromisoformat(signed)
        date = base + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3, 7, 14]))
    else:
        date = dt.date(rep.spec.year + 1, rng.randint(1, 3), rng.randint(5, 28))
    source = short_form(rep.spec.agency)
    lines = header_lines(rng, date, source)
    title = _find(pieces, "title")
    at = pieces.index(title) + 1 if title is not None else 0
    pieces.insert(at, Piece("front_matter", lines, kind="header"))
    kept = None
    if sig is not None:
        if plan.signature_too and signed:
            kept = signed
        else:
            sig.lines = [ln for ln in sig.lines if not re.search(r"\d+年\d+月\d+日", ln)]
            if not sig.lines:
                pieces.remove(sig)
    return date.isoformat(), kept


# ---- prose figures -----------------------------------------------------------------------------
def rich_figures(rep: Report, rng: random.Random) -> tuple[list[Run], dict[str, dict[str, int]]]:
    """Section 一（二）'s figures in the phrasings real reports use, and what they state (by the
    conventions of shared/real-openings: combined figures are not split). Each run that states
    something is tagged `prose#n`; the dict maps that tag to the paths and values it states."""
    v, year = rep.values, rep.spec.year
    new = count_at(v, "applications.new.total")
    back = count_at(v, "applications.carried_over.total")
    person = count_at(v, "applications.new.natural_person")
    stated: dict[str, dict[str, int]] = {}
    runs: list[Run] = []

    def say(text: str, values: dict[str, int] | None = None) -> None:
        if not values:
            runs.append(Run(text))
            return
        tag = f"prose#{len(stated)}"
        stated[tag] = values
        runs.append(Run(text, tag=tag))

    def num(path: str) -> None:
        value = count_at(v, path)
        say(str(value), {path: value})

    if new == 0 and back == 0:
        say(
            rng.choice([f"{year}年，未收到政府信息公开申请。", "本年度未收到依申请公开事项。"]),
            {"applications.new.total": 0},
        )
    else:
        form = rng.randrange(4)
        if form == 0:
            say("全年共受理政府信息公开申请")
            num("applications.new.total")
            say("件，办结")
            num("applications.total.total")
            say("件，结转")
            num("applications.carried_forward.total")
            say("件。")
        elif form == 1:
            say(f"{year}年，共收到政府信息公开申请")
            num("applications.new.total")
            if person == new:
                say("件，均为自然人申请。")
            else:
                say("件，其中自然人申请")
                num("applications.new.natural_person")
                say(f"件，法人或其他组织申请{new - person}件。")
            say("上年结转")
            num("applications.carried_over.total")
            say("件。")
        elif form == 2:
            say("本年度新收政府信息公开申请")
            num("applications.new.total")
            say("件，上年结转")
            num("applications.carried_over.total")
            say("件。其中予以公开")
            num("applications.disclosed.total")
            say("件，部分公开")
            num("applications.partially_disclosed.total")
            say("件，结转下年度继续办理")
            num("applications.carried_forward.total")
            say("件。")
        else:
            d = count_at(v, "applications.disclosed.total")
            pd = count_at(v, "applications.partially_disclosed.total")
            say(f"{year}年共答复政府信息公开申请")
            num("applications.total.total")
            say("件（含上年度结转申请")
            num("applications.carried_over.total")
            say(f"件），其中予以公开及部分公开{d + pd}件，另有")
            num("applications.carried_forward.total")
            say("件结转下年度继续办理。")
    rl = [k for k in v if k.startswith("review_litigation.")]
    in_review = [k for k in rl if k.startswith("review_litigation.review.")]
    in_court = [k for k in rl if k not in in_review]
    if all(v[k] == 0 for k in rl):
        sentence = rng.choice(
            [
                "全年未发生因政府信息公开引起的行政复议、行政诉讼。",
                "本年度未发生政府信息公开行政复议、行政诉讼案件。",
            ]
        )
        say(sentence, dict.fromkeys(rl, 0))
        return runs, stated
    if count_at(v, "review_litigation.review.total"):
        say("因政府信息公开工作被申请行政复议")
        num("review_litigation.review.total")
        if count_at(v, "review_litigation.review.upheld") and rng.random() < 0.5:
            say("件，其中维持")
            num("review_litigation.review.upheld")
        say("件；")
    else:
        say("未发生因政府信息公开引起的行政复议；", dict.fromkeys(in_review, 0))
    if all(v[k] == 0 for k in in_court):
        say("未发生行政诉讼。", dict.fromkeys(in_court, 0))
    else:
        direct = count_at(v, "review_litigation.litigation_direct.total")
        after = count_at(v, "review_litigation.litigation_after_review.total")
        say(f"被提起行政诉讼{direct + after}件。")
    return runs, stated


def replace_figures(pieces: list[Piece], runs: list[Run]) -> bool:
    """Put `runs` in place of the figures of section 一（二）; False when there is none."""
    for p in pieces:
        if p.runs and any((r.tag or "").startswith("prose:") for r in p.runs):
            first = next(i for i, r in enumerate(p.runs) if (r.tag or "").startswith("prose:"))
            p.runs = p.runs[: max(first - 1, 0)] + runs
            p.lines = ["".join(r.text for r in p.runs)]
            return True
    return False


# ---- blank cells -----------------------------------------------------------------------------
def blank_grid(grid: Grid, values: Mapping[str, Any], policy: str) -> Grid:
    """A copy of the grid whose zero cells print blank under `policy` (truth unchanged)."""
    if policy == "spec":
        return grid
    cells = []
    for c in grid.cells:
        text = c.text
        if c.tag and values.get(c.tag) == 0 and not isinstance(values.get(c.tag), float):
            col = c.tag.split(".")[-1]
            table3 = c.tag.startswith("applications.")
            if policy == "all_zero" or (
                table3
                and (
                    (policy == "orgs" and col not in ("natural_person", "total"))
                    or (policy == "all_but_total" and col != "total")
                )
            ):
                text = ""
        cells.append(replace(c, text=text))
    return replace(grid, cells=cells)


# ---- cut -------------------------------------------------------------------------------------
def cut_grid(grid: Grid, row: int, col: int, rng: random.Random) -> Grid:
    """The grid up to cell (row, col) exclusive: the page ends inside the table; a label cell
    the cut falls in keeps its first characters."""
    cells = [c for c in grid.cells if c.row < row or (c.row == row and c.col < col)]
    last = next((c for c in grid.cells if c.row == row and c.col == col), None)
    if last is not None and not last.tag and len(last.text) > 3:
        cells.append(replace(last, text=last.text[: rng.randint(2, len(last.text) - 1)]))
    return replace(grid, cells=cells, n_rows=row + 1)


def apply_cut(pieces: list[Piece], rng: random.Random, whole_tables: bool) -> tuple[str, set[str]]:
    """Cut the document at a random point after section 一 begins (its text stops there);
    returns where, and the tags of the cut paragraph's runs that were lost (an item whose
    figures are printed in two runs is stated only when both are kept). A cut inside a table
    keeps the cells before it (`whole_tables`: only at a table's edge, for HTML)."""
    first = next(i for i, p in enumerate(pieces) if p.heading == 1 or p.label == "section_1")
    after = [i for i in range(first + 1, len(pieces))]
    prose = [i for i in after if pieces[i].kind == "para" and pieces[i].label == "section_1"]
    tables = [i for i in after if pieces[i].grid is not None]
    r = rng.random()
    if r < 0.5 or not tables:
        at = rng.choice(prose or after)
        p = pieces[at]
        text = p.lines[0] if p.lines else ""
        lost: set[str] = set()
        if p.runs is not None and len(text) > 6:
            k = rng.randint(4, len(text) - 1)
            kept, pos = [], 0
            for run in p.runs:
                if pos + len(run.text) <= k:
                    kept.append(run)
                else:
                    lost |= {run.tag} if run.tag else set()
                    if pos < k:
                        kept.append(Run(run.text[: k - pos]))  # a figure cut is no figure
                pos += len(run.text)
            p.runs = kept
            p.lines = ["".join(x.text for x in kept)]
        del pieces[at + 1 :]
        return "prose", lost
    at = tables[0] if r < 0.8 else rng.choice(tables)
    grid = pieces[at].grid
    assert grid is not None
    if whole_tables:
        del pieces[at:]
        return "before_table", set()
    row = rng.randint(grid.header_rows, min(grid.n_rows - 1, grid.header_rows + 10))
    cols = sorted({c.col for c in grid.cells if c.row == row}) or [0]
    grid = cut_grid(grid, row, rng.choice(cols), rng)
    pieces[at].grid = grid
    del pieces[at + 1 :]
    return "table", set()


# ---- traditional script -----------------------------------------------------------------------
# Character by character, as mirror sites convert pages (simplified -> traditional), for the
# characters the generator writes; characters both scripts share are left alone.
_SIMPLIFIED = (
    "万与专业东两严个丰为举义乐习乡书于云产们众优会传体余党兰关兴内农决况准减凤划则创办务动势区华"
    "协单卫厅压县参发变号台后听员围国图场坚处复够头实审宁对导将尽层属岭并应废开强当录彻总态户扎执"
    "扫护报据数断无时机权条极构标栏检汉没沧泽浏满滨点热环现电畅监盖码确碍积称稳简类紧纠红级纳组织"
    "经结绕统继绩续维综编缴网罚职联范获营补见规视览计认训议许讼设访评识诉话询请读调负财责账质购贯"
    "费资转较输达过运还这进远采针银链镇长门闭问间闻阅队阳阴隐难顺预领频题额页项鹤龙来击载"
)
_TRADITIONAL = (
    "萬與專業東兩嚴個豐為舉義樂習鄉書於雲產們眾優會傳體餘黨蘭關興內農決況準減鳳劃則創辦務動勢區華"
    "協單衛廳壓縣參發變號臺後聽員圍國圖場堅處復夠頭實審寧對導將盡層屬嶺並應廢開強當錄徹總態戶紮執"
    "掃護報據數斷無時機權條極構標欄檢漢沒滄澤瀏滿濱點熱環現電暢監蓋碼確礙積稱穩簡類緊糾紅級納組織"
    "經結繞統繼績續維綜編繳網罰職聯範獲營補見規視覽計認訓議許訟設訪評識訴話詢請讀調負財責賬質購貫"
    "費資轉較輸達過運還這進遠採針銀鏈鎮長門閉問間聞閱隊陽陰隱難順預領頻題額頁項鶴龍來擊載"
)
TRADITIONAL = str.maketrans(_SIMPLIFIED, _TRADITIONAL)


def traditional(text: str) -> str:
    return text.translate(TRADITIONAL)


ASCII_PUNCTUATION = str.maketrans("（）：，；", "():,;")


def ascii_punctuation(text: str) -> str:
    return text.translate(ASCII_PUNCTUATION)
