"""A report specification made into blocks: section prose and the three tables as grids."""

from __future__ import annotations

import random

from ..template.loader import ApplicationsSpec, Template
from .model import Block, Cell, Grid, Meta, Report, Run, Value
from .prose import (
    FILLER,
    INFO_CONTENT,
    REPORT_TITLE,
    T2_BLOCK_TITLES,
    T2_BLOCKS,
    T3_APPLICANTS,
    T3_NOTE,
    T3_ORGS,
    T4_LITIGATION,
    Prose,
    cn_number,
)
from .specs import SEED, STYLES, Spec, Style
from .typeset import text_width
from .values import make_numbers, t3_rows


def build_report(spec: Spec, t: Template) -> Report:
    """The whole report as data and as typeset blocks (deterministic for a given spec)."""
    rng = random.Random(f"{SEED}:{spec.name}")
    values, notes = make_numbers(spec, t, rng)
    prose = Prose(spec, values, rng)
    style = STYLES[spec.style]
    publish = f"{spec.year + 1}-{rng.randint(1, 3):02d}-{rng.randint(10, 28):02d}"
    meta: Meta = {
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
def _cell_text(spec: Spec, path: str, value: Value, col_key: str | None) -> str:
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
    values: dict[str, Value],
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
    spec: Spec, t: Template, style: Style, values: dict[str, Value], printed: dict[str, str]
) -> Grid:
    fmt = spec.t2_format
    spec_fmt = t.tables.active_disclosure.formats[fmt]
    rows = {r.key: r for r in spec_fmt.rows}
    width = text_width(style)
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
    spec: Spec, t: Template, style: Style, values: dict[str, Value], printed: dict[str, str]
) -> Grid:
    apps = t.tables.applications
    width = text_width(style)
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

    rows = t3_rows(t, spec.t3_format)
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
    values: dict[str, Value],
    key: str,
    r: int,
    apps: ApplicationsSpec,
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
    spec: Spec, t: Template, style: Style, values: dict[str, Value], printed: dict[str, str]
) -> Grid:
    rl = t.tables.review_litigation
    width = text_width(style)
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
