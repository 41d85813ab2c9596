"""Labelled corpora for training and measuring the passage classifier and the calibration.

Why: the section classifier must learn what each of the six sections, the front matter and
non-report noise read like, and the calibration needs fields whose truth is known. Both come
from the synthetic reports (report.py), drawn here from random specifications instead of the
eight fixed ones, written as HTML (ruled tables kept) or as flattened text (tables as tab rows,
like a poor extraction), and perturbed the way real reports break: garbled, misnumbered,
unnumbered, split or missing headings, a lost section, web navigation, page furniture and
pasted unrelated pages injected between paragraphs.

A document is drawn from one *split*: `train` and `heldout` use different agencies (disjoint
place-name pools) and different seeds, so held-out documents are never seen by training. Every
document gives (text, suffix, truth, passages): the truth in the format of sample_scans'
truth files, and each written line with its label (front_matter, section_1..section_6, noise).
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ..template.loader import Format, Template
from . import noise, renderings, shapes
from .model import Grid, Report
from .prose import cn_number
from .report import build_report
from .shapes import Piece as _Piece
from .shapes import ShapeRates
from .specs import SPECS, Level, Spec
from .truth import item_values, table_value_paths

Split = Literal["train", "heldout"]

# Disjoint place-name pools: held-out agencies never appear in training.
_TRAIN_PLACES = (
    "东阳西平南山北川青田白河红安金溪银川玉林宁远安化长乐永和"
    "太平清河丰城高邑桃源柳江松溪梅县兰陵竹山石门云和凤台龙泉鹤山鹿邑"
)
_HELDOUT_PLACES = "江宁湖口海安山阴河间泉州溪口岭南峰峰泽州沧源潞城洛南汝阳渭南汉阴淮滨泗洪澧县沅陵"
PLACES: dict[Split, list[str]] = {
    "train": [_TRAIN_PLACES[i : i + 2] for i in range(0, len(_TRAIN_PLACES), 2)],
    "heldout": [_HELDOUT_PLACES[i : i + 2] for i in range(0, len(_HELDOUT_PLACES), 2)],
}
# level, agency and office name patterns, applications a year (low, high)
LEVELS: list[tuple[Level, str, str, tuple[int, int]]] = [
    ("province", "省人民政府", "省人民政府办公厅", (800, 3000)),
    ("city", "市人民政府", "市人民政府办公室", (300, 3000)),
    ("city_bureau", "市{bureau}", "市{bureau}办公室", (20, 300)),
    ("county", "县人民政府", "县人民政府办公室", (20, 200)),
    ("county", "区{bureau}", "区{bureau}办公室", (5, 80)),
    ("town", "镇人民政府", "镇党政综合办公室", (1, 20)),
    ("street", "区人民政府{place2}街道办事处", "{place2}街道党政办公室", (1, 15)),
]
BUREAUS = [
    "自然资源和规划局",
    "生态环境局",
    "市场监督管理局",
    "交通运输局",
    "教育局",
    "卫生健康委员会",
    "人力资源和社会保障局",
    "财政局",
    "住房和城乡建设局",
    "农业农村局",
]

# Extra prose so the classifier does not learn the generator's few fixed sentences by heart.
EXTRA = {
    1: [
        "全年共召开政务公开工作专题会议{n}次，研究部署年度重点任务。",
        "围绕优化营商环境、乡村振兴等重点领域，及时公开政策文件和执行情况。",
        "加强政策解读，通过图文、视频、新闻发布会等形式解读重要政策{n}篇。",
        "规范依申请公开办理流程，严格按照法定时限答复，答复规范率达到100%。",
        "政府网站全年发布各类信息{n}条，回应公众关切{n}次。",
        "对照主动公开基本目录，逐项梳理公开事项，确保应公开尽公开。",
    ],
    5: [
        "对照新形势新要求，政府信息公开工作仍存在一些不足：",
        "一是部分栏目信息更新不够及时；二是政策解读的质量有待提升。",
        "下一步，我们将认真落实上级部署，持续加强信息发布审核，提升公开质量。",
        "针对上述问题，将加强培训指导，完善考核机制，推动工作落到实处。",
    ],
    6: [
        "本机关未开展政府信息公开收费工作。",
        "无其他需要报告的事项。",
        "按照年度政务公开工作要点，认真抓好各项任务落实，取得了较好成效。",
        "积极推进政务公开标准化规范化工作，编制完善基层政务公开事项标准目录。",
    ],
}
NAV_TITLES = ["工作动态", "通知公告", "政策法规", "政策解读", "部门动态", "热点专题", "图片新闻"]
NAV_ITEMS = [
    "关于开展{x}专项检查的通知",
    "{x}工作推进会召开",
    "{place}召开{x}工作会议",
    "关于公布{x}名单的公告",
    "{x}工作简报（第{n}期）",
    "市领导调研{x}工作",
]
TOPICS = ["安全生产", "食品安全", "人居环境整治", "防汛抗旱", "营商环境", "森林防火", "文明创建"]
FURNITURE = [
    "【打印本页】【关闭窗口】",
    "扫一扫在手机打开当前页",
    "扫码使用手机浏览本页内容",
    "相关链接",
    "字体：【大 中 小】",
    "分享到：",
    "今天是：{y}年{m}月{d}日 星期三 | 无障碍 | 长者模式",
    "当前位置：首页 > 政府信息公开 > 年度报告",
    "主办单位：{place}人民政府办公室",
    "网站标识码：{code}",
    "- {n} -",
    "第{n}页 共{k}页",
    "上一篇：{place}{y}年政府信息公开工作年度报告",
    "下一篇：关于{x}的通知",
    "浏览次数：{code}",
]
PASTED = [
    "{m}月{d}日，{place}组织召开{x}工作会议，传达学习上级有关文件精神。",
    "会议指出，要切实提高政治站位，扎实做好{x}各项工作。",
    "会议强调，各单位要压实责任，加强督促检查，确保{x}工作落到实处。",
    "{place}{x}工作领导小组成员单位负责同志参加会议。",
    "现将有关事项通知如下：请各单位于{m}月{d}日前报送{x}工作总结。",
    "附件：{x}工作情况统计表",
]
PASTED_LABELS = ["标题：关于{x}的通知", "索引号：{code}/{y}-00{n}", "发文日期：{y}年{m}月{d}日"]


@dataclass
class LabelledDoc:
    name: str
    split: Split
    suffix: str  # .html or .txt (.md: a real-page shape)
    text: str
    truth: dict[str, Any]
    passages: list[tuple[str, str]]  # (line text, label), in document order
    html_tables: set[int]  # indices of passages that stand for a whole HTML table
    perturbations: list[str]
    extraction_errors: list[str]  # noise.py events (the truth is unchanged)
    shapes: list[str] = field(default_factory=list)  # real-page shapes drawn (shapes.py)


def random_spec(rng: random.Random, split: Split, index: int) -> Spec:
    place = rng.choice(PLACES[split])
    level, agency_t, office_t, (lo, hi) = rng.choice(LEVELS)
    bureau, place2 = rng.choice(BUREAUS), rng.choice(PLACES[split])
    agency = place + agency_t.format(bureau=bureau, place2=place2)
    office = (place2 if level == "street" else place) + office_t.format(
        bureau=bureau, place2=place2
    )
    year = rng.randint(2019, 2025)
    new = year >= 2021
    base = rng.choice(SPECS)  # style and phrasings are taken from one of the fixed specs
    t2: Format = "2021" if new and rng.random() < 0.85 else "2019"
    headings = ()
    return replace(
        base,
        name=f"{split}-{index:04d}",
        agency=agency,
        office=office,
        level=level,
        year=year,
        scale=rng.randint(lo, hi),
        t2_format=t2,
        t3_format="2021" if new else "2019",
        blank_zero=rng.choice(["none", "none", "orgs", "all_but_total"]),
        rules_na=rng.random() < 0.2,
        makes_rules=level in ("province", "city", "ministry") and rng.random() < 0.7,
        faults=(),
        zero_t4=rng.random() < 0.3,
        training=rng.choice(["T1", "T1cn", "T2", "T2cn", "T3", "T4"]),
        proposals=rng.choice(["N1", "N2", "N3", "N3cn", None]),
        fees=rng.choice(["F0a", "F0b", "F0c", "F1", "F2"]),
        proactive=rng.choice(["P1", "P2", "P3", "P4"]),
        figures=rng.choice(["A", "B", "C"]),
        headings=headings,
        signature=rng.random() < 0.85,
        title_one_line=rng.random() < 0.5,
    )


def _fill(rng: random.Random, template: str, place: str, year: int) -> str:
    return template.format(
        x=rng.choice(TOPICS),
        place=place,
        n=rng.randint(1, 30),
        k=rng.randint(3, 12),
        y=year,
        m=rng.randint(1, 12),
        d=rng.randint(1, 28),
        code=rng.randint(10000000, 99999999),
    )


# ---- rendering -------------------------------------------------------------------------------
def _grid_text_rows(grid: Grid) -> list[str]:
    ncols = len(grid.col_widths)
    rows = [[""] * ncols for _ in range(grid.n_rows)]
    for c in grid.cells:
        rows[c.row][c.col] = c.text.replace("\n", "")
    return ["\t".join(r).rstrip("\t") for r in rows if any(r)]


def _grid_table(grid: Grid, as_html: bool) -> noise.Table:
    """The grid as extracted rows of cells: HTML keeps the merged cells, flattened text has one
    cell per column (a merged cell's other columns read as blanks)."""
    if as_html:
        rows = [
            [
                noise.Cell(c.text.replace("\n", ""), c.rowspan, c.colspan)
                for c in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)
            ]
            for r in range(grid.n_rows)
        ]
    else:
        rows = [[noise.Cell(t) for t in line.split("\t")] for line in _grid_text_rows(grid)]
    return noise.Table(rows, grid.header_rows)


def _table_text_rows(table: noise.Table) -> list[str]:
    return ["\t".join(c.text for c in row).rstrip("\t") for row in table.rows]


def _table_html(table: noise.Table) -> str:
    out = ["<table border='1'>"]
    for row in table.rows:
        tds = "".join(
            f"<td rowspan='{c.rowspan}' colspan='{c.colspan}'>{html.escape(c.text)}</td>"
            for c in row
        )
        out.append(f"<tr>{tds}</tr>")
    out.append("</table>")
    return "".join(out)


def _pieces(rep: Report, rng: random.Random) -> list[_Piece]:
    """The report's blocks as labelled pieces, with the extra prose mixed in."""
    pieces: list[_Piece] = []
    section = 0
    place = rep.spec.agency[:2]
    for block in rep.blocks:
        label = "front_matter" if section == 0 else f"section_{section}"
        if block.kind == "heading":
            section = int(block.runs[0].tag.split(":")[1]) if block.runs[0].tag else section
            pieces.append(
                _Piece(f"section_{section}", [block.runs[0].text], heading=section, kind="heading")
            )
            extra = EXTRA.get(section)
            if extra and rng.random() < 0.5:
                sentence = _fill(rng, rng.choice(extra), place, rep.spec.year)
                pieces.append(_Piece(f"section_{section}", [sentence]))
        elif block.kind == "table" and block.grid is not None:
            pieces.append(_Piece(label, [], grid=block.grid, kind="table"))
        elif block.kind in ("title", "signature"):
            pieces.append(_Piece(label, list(block.lines), kind=block.kind))
        elif block.kind == "para":
            text = "".join(r.text for r in block.runs)
            pieces.append(_Piece(label, [text], runs=list(block.runs), kind="para"))
    return pieces


def _garble(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("口日曰人入〇|l_ ")
    return "".join(chars)


def _perturb(pieces: list[_Piece], rng: random.Random, year: int, place: str) -> list[str]:
    """Break headings and inject noise in place; returns what was done."""
    done: list[str] = []
    heads = [p for p in pieces if p.heading is not None]
    for p in heads:
        r = rng.random()
        text = p.lines[0]
        body = text.split("、", 1)[-1]
        if r < 0.06:
            p.lines = [_garble(text, rng)]
            done.append(f"garbled:{p.heading}")
        elif r < 0.11:
            wrong = rng.choice([n for n in range(1, 8) if n != p.heading])
            p.lines = [f"{cn_number(wrong)}、{body}"]
            done.append(f"misnumbered:{p.heading}")
        elif r < 0.16:
            p.lines = [body]
            done.append(f"unnumbered:{p.heading}")
        elif r < 0.21 and len(text) > 8:
            cut = rng.randint(3, len(text) - 3)
            p.lines = [text[:cut], text[cut:]]
            done.append(f"split_heading:{p.heading}")
        elif r < 0.27:
            p.lines = []
            done.append(f"missing_heading:{p.heading}")
    if rng.random() < 0.15:  # a section split into two by a stray numbered sub-heading
        p = rng.choice(heads)
        i = pieces.index(p)
        stray = (
            f"{cn_number(rng.randint(2, 9))}、{rng.choice(['工作举措', '主要做法', '有关情况'])}"
        )
        pieces.insert(i + 2, _Piece(p.label, [stray]))
        done.append(f"split_section:{p.heading}")
    if rng.random() < 0.08:  # section 5 lost altogether (it carries no values)
        for p in [p for p in pieces if p.label == "section_5"]:
            pieces.remove(p)
        done.append("lost_section:5")
    # noise: navigation blocks, furniture lines, pasted pages
    for _ in range(rng.choices([0, 1, 2, 3], [0.3, 0.35, 0.25, 0.1])[0]):
        kind = rng.choice(["nav", "furniture", "furniture", "pasted"])
        if kind == "nav":
            lines = [rng.choice(NAV_TITLES)] + [
                f"{_fill(rng, rng.choice(NAV_ITEMS), place, year)} "
                f"[{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}]"
                for _ in range(rng.randint(2, 6))
            ]
        elif kind == "furniture":
            lines = [_fill(rng, t, place, year) for t in rng.sample(FURNITURE, rng.randint(1, 3))]
        else:
            lines = [_fill(rng, t, place, year) for t in PASTED_LABELS[: rng.randint(2, 3)]]
            lines += [_fill(rng, t, place, year) for t in rng.sample(PASTED, rng.randint(2, 4))]
            lines.append(FURNITURE[0])  # a pasted page ends with its own page chrome
        # between prose, never right before a table (a table's caption stays with it)
        spots = [i for i in range(1, len(pieces) + 1) if i == len(pieces) or not pieces[i].grid]
        at = rng.choice(spots)
        pieces.insert(at, _Piece("noise", lines))
        done.append(kind)
    if rng.random() < 0.4:  # web page chrome before the title and after the end
        pieces.insert(0, _Piece("noise", [_fill(rng, rng.choice(FURNITURE[5:9]), place, year)]))
        pieces.append(_Piece("noise", [_fill(rng, rng.choice(FURNITURE[:4]), place, year)]))
        done.append("chrome")
    return done


def table_passage(rows: list[str]) -> str:
    """How a whole table reads as one passage: its cells' words without the numbers."""
    words = [c for r in rows for c in r.split("\t") if c and not c.replace(".", "").isdigit()]
    return "".join(words)


def _truth(t: Template, rep: Report) -> dict[str, Any]:
    values = {p: rep.values[p] for p in table_value_paths(t, rep.spec)}
    values.update(item_values(t, rep))
    return {
        "meta": rep.meta,
        "template_version": rep.spec.t2_format,
        "values": values,
    }


def labelled_doc(
    t: Template,
    split: Split,
    seed: int,
    index: int,
    rates: noise.NoiseRates | None = None,
    shape_rates: ShapeRates | None = None,
) -> LabelledDoc:
    """Document `index` of `split`; with `rates`, extraction noise (noise.py) on top of the same
    document (its own random stream: the document under the noise does not change). With
    `shape_rates`, the document in the real-page shapes of shapes.py (their own random stream;
    without them the document is exactly what it always was)."""
    rng = random.Random(f"{seed}:{split}:{index}")
    spec = random_spec(rng, split, index)
    plan = None
    if shape_rates is not None:
        srng = random.Random(f"{seed}:{split}:{index}:shapes")
        plan = shapes.draw_plan(srng, shape_rates, spec)
        spec = shapes.with_bureau(spec, plan.bureau)
    rep = build_report(spec, t)
    pieces = _pieces(rep, rng)
    done = _perturb(pieces, rng, spec.year, spec.agency[:2])
    as_html = rng.random() < 0.6
    if plan is not None:
        noise_rng = random.Random(f"{seed}:{split}:{index}:noise")
        return _shaped_doc(t, rep, pieces, done, as_html, plan, srng, rates, noise_rng, split)
    tables = {i: _grid_table(p.grid, as_html) for i, p in enumerate(pieces) if p.grid is not None}
    errors: list[str] = []
    if rates is not None:
        prose = [p.lines for p in pieces if p.grid is None and p.label != "noise"]
        noise_rng = random.Random(f"{seed}:{split}:{index}:noise")
        errors = noise.apply(rates, noise_rng, list(tables.values()), prose)
    passages: list[tuple[str, str]] = []
    body: list[str] = []
    html_tables: set[int] = set()
    for i, p in enumerate(pieces):
        if i in tables:
            rows = _table_text_rows(tables[i])
            if as_html:  # the pipeline reads an HTML table as one line: its labels, joined
                body.append(_table_html(tables[i]))
                html_tables.add(len(passages))
                passages.append((table_passage(rows), p.label))
                continue
            body += rows
            passages += [(r, p.label) for r in rows]
            continue
        for line in p.lines:
            body.append(f"<p>{html.escape(line)}</p>" if as_html else line)
            passages.append((line, p.label))
    if as_html:
        text = "<html><body>\n" + "\n".join(body) + "\n</body></html>\n"
    else:
        text = "\n".join(body) + "\n"
    return LabelledDoc(
        name=spec.name,
        split=split,
        suffix=".html" if as_html else ".txt",
        text=text,
        truth=_truth(t, rep),
        passages=passages,
        html_tables=html_tables,
        perturbations=done,
        extraction_errors=errors,
    )


# ---- the real-page shapes (shapes.py) -----------------------------------------------------------
def _stated_truth(
    t: Template,
    rep: Report,
    tags: set[str],
    cells: set[str],
    stated: dict[str, dict[str, int]],
) -> tuple[dict[str, Any], str]:
    """The values a cut or image document states: table cells printed before the cut (a 2021
    key of a 2019 table 二 with its source cell; a cell the format lacks - in no grid's `cells`
    - with its table), items whose runs are all there, and the prose figures; and the template
    version shown."""
    full = _truth(t, rep)["values"]
    mapped = {
        f"active_disclosure.{k}": f"active_disclosure.v2019.{src}"
        for src, k in t.tables.active_disclosure.formats["2019"].maps_to_2021.items()
    }
    shown = {p.split(".")[0] for p in tags if not p.startswith("prose#")}
    values: dict[str, Any] = {}
    for path, v in full.items():
        table = path.split(".")[0]
        printed = path in tags or mapped.get(path) in tags
        lacking = v is None and path not in cells and table in shown and table != "items"
        if printed or lacking:
            values[path] = v
    for tag, said in stated.items():
        if tag in tags:
            for path, v in said.items():
                values.setdefault(path, v)
    spec = rep.spec
    version: str
    if "active_disclosure" in shown:
        version = spec.t2_format
    elif "applications" in shown:
        version = spec.t3_format
    else:
        version = "unknown"
    return values, version


IMAGE_HTML = '<p style="text-align:center"><img src="/uploads/{y}/W0{code}.png" border="0"/></p>'


def _shaped_doc(
    t: Template,
    rep: Report,
    pieces: list[_Piece],
    done: list[str],
    as_html: bool,
    plan: shapes.Plan,
    rng: random.Random,
    rates: noise.NoiseRates | None,
    noise_rng: random.Random,
    split: Split,
) -> LabelledDoc:
    """The document in the shapes `plan` drew (see shapes.py), its truth what the text states."""
    spec = rep.spec
    shapes.apply_agency(pieces, rep, plan, rng)
    header, _ = shapes.apply_header_date(pieces, rep, plan, rng)
    stated: dict[str, dict[str, int]] = {}
    if plan.rich_figures:
        runs, stated = shapes.rich_figures(rep, rng)
        if not shapes.replace_figures(pieces, runs):
            stated = {}
    legacy = plan.tables == "legacy"
    fmt = "html" if plan.tables == "html_blank" or (legacy and as_html) else "text"
    if plan.tables in ("markdown", "markdown_rows"):
        fmt = "md"
    if plan.images:
        for i, p in enumerate(pieces):
            if p.grid is not None:
                pieces[i] = _Piece(p.label, ["[图片]"], kind="image")
    if not legacy:
        for p in pieces:
            if p.grid is not None:
                p.grid = shapes.blank_grid(p.grid, rep.values, plan.blank)
    cells = set().union(*(shapes.piece_tags(p) for p in pieces if p.grid is not None))
    lost: set[str] = set()
    if plan.cut:
        where, lost = shapes.apply_cut(pieces, rng, whole_tables=fmt == "html")
        done = [*done, f"cut:{where}"]
    tags = set().union(*(shapes.piece_tags(p) for p in pieces)) - lost
    # extraction noise on what is left (its own stream), then the rendering
    tables = {
        i: (_grid_table(p.grid, as_html) if legacy else renderings.grid_table(p.grid))
        for i, p in enumerate(pieces)
        if p.grid is not None
    }
    errors: list[str] = []
    if rates is not None:
        prose = [
            p.lines
            for p in pieces
            if p.grid is None and p.label != "noise" and p.kind not in ("header", "image")
        ]
        errors = noise.apply(rates, noise_rng, list(tables.values()), prose)
    # (written line, passage or None, label, stands for a whole HTML table)
    out: list[tuple[str, str | None, str, bool]] = []
    html_st = renderings.html_style(rng)
    md_st, torn_st = renderings.md_style(rng), renderings.torn_style(rng)
    table_no = {"active_disclosure": "二", "applications": "三", "review_litigation": "四"}
    table_title = {n: s.canonical.split("、", 1)[-1] for n, s in enumerate(t.sections, 1)}

    def render(table: noise.Table, kind: str, label: str, title: bool) -> None:
        if fmt == "html":
            rows = _table_text_rows(table)
            body = _table_html(table) if legacy else renderings.html_table(table, html_st, rng)
            out.append((body, table_passage(rows), label, True))
            return
        if legacy:
            lines = _table_text_rows(table)
        elif fmt == "md":
            lines = []
            if md_st.table_titles and title:
                n = table_no.get(kind, "")
                sec = {"二": 2, "三": 3, "四": 4}.get(n, 0)
                lines += [f"## 表{n}：{table_title.get(sec, '')}", ""]
            if plan.tables == "markdown_rows" and kind == "applications":
                lines += renderings.md_rows_table(table, md_st, rng)
            else:
                lines += renderings.md_table(table, md_st, rng)
        else:
            lines = renderings.torn_table(table, torn_st, rng)
        out.extend((ln, ln if ln.strip() else None, label, False) for ln in lines)
        if fmt == "md":
            out.append(("", None, label, False))

    for i, p in enumerate(pieces):
        if i in tables:
            grid = p.grid
            assert grid is not None
            parts = [tables[i]]
            if plan.page_break and grid.kind == "applications":
                parts = renderings.page_parts(tables[i], rng)
            for k, part in enumerate(parts):
                if k:  # the page's foot and the next page's head between the parts
                    for line in renderings.page_furniture(rng, spec.year):
                        if fmt == "html" and line.strip():
                            out.append((f"<p>{html.escape(line)}</p>", line, "noise", False))
                        elif fmt != "html":
                            out.append((line, line if line.strip() else None, "noise", False))
                render(part, grid.kind, p.label, title=k == 0)
            continue
        for line in p.lines:
            if fmt == "html":
                if p.kind == "image":
                    code = rng.randint(10**8, 10**9)
                    img = IMAGE_HTML.format(y=spec.year + 1, code=code)
                    out.append((img, None, p.label, False))
                elif p.kind == "title" and html_st.wrap:
                    out.append((f"<h2>{html.escape(line)}</h2>", line, p.label, False))
                else:
                    out.append((f"<p>{html.escape(line)}</p>", line, p.label, False))
                continue
            written = line
            if fmt == "md":
                if p.kind == "title":
                    written = f"# {line}"
                elif p.heading is not None and md_st.heading:
                    h = md_st.heading
                    written = f"{h} {line}" if h.startswith("#") else f"{h}{line}{h}"
                elif p.kind == "image" and rng.random() < 0.5:
                    written = f"![](media/image{i}.png)"
            out.append((written, written, p.label, False))
            if fmt == "md":
                out.append(("", None, p.label, False))
    plain = "\n".join(w for w, _, _, _ in out)
    agency = spec.agency if spec.agency in plain else None
    if plan.ascii_punctuation:
        out = [
            (shapes.ascii_punctuation(w), q and shapes.ascii_punctuation(q), lab, whole)
            for w, q, lab, whole in out
        ]
    if plan.agency == "traditional":
        out = [
            (shapes.traditional(w), None if q is None else shapes.traditional(q), lab, whole)
            for w, q, lab, whole in out
        ]
        agency = None if agency is None else shapes.traditional(agency)
    sig_date = any(p.kind == "signature" and any("年" in ln for ln in p.lines) for p in pieces)
    publish = rep.meta["publish_date"] if sig_date else header
    passages: list[tuple[str, str]] = []
    html_tables: set[int] = set()
    for _, passage, label, whole in out:
        if passage is None:
            continue
        if whole:
            html_tables.add(len(passages))
        passages.append((passage, label))
    if fmt == "html":
        text = (
            '<html><head><meta charset="utf-8"></head><body>\n<div class="article">\n'
            + "\n".join(w for w, _, _, _ in out)
            + "\n</div>\n</body></html>\n"
        )
        suffix = ".html"
    else:
        text = "\n".join(w for w, _, _, _ in out) + "\n"
        suffix = ".md" if fmt == "md" and not plan.as_txt else ".txt"
    truth = _truth(t, rep)
    if plan.cut or plan.images:
        truth["values"], truth["template_version"] = _stated_truth(t, rep, tags, cells, stated)
    truth["meta"] = {"agency": agency, "year": spec.year, "publish_date": publish}
    return LabelledDoc(
        name=spec.name,
        split=split,
        suffix=suffix,
        text=text,
        truth=truth,
        passages=passages,
        html_tables=html_tables,
        perturbations=done,
        extraction_errors=errors,
        shapes=plan.names(),
    )


def write_doc(doc: LabelledDoc, folder: Path) -> Path:
    """The document and its `<name>.truth.json` (the format `nianbao eval` reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc.name}{doc.suffix}"
    path.write_text(doc.text, encoding="utf-8")
    variant = {"perturbations": doc.perturbations, "extraction_errors": doc.extraction_errors}
    if doc.shapes:
        variant["shapes"] = doc.shapes
    truth = {**doc.truth, "variant": variant}
    (folder / f"{doc.name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path
