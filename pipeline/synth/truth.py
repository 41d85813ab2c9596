"""Truth files: the values, pages and expected failed checks of each document."""

from __future__ import annotations

import itertools
import json
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from ..template.loader import Format, RuleSpec, Template
from .model import Report
from .specs import SEED, Spec
from .typeset import Composer

# Values read off the page images of shared/real-pdfs (every table cell), in template order.
# Table 三 rows list the 7 columns (自然人 … 总计); "other" is the single （六）其他处理 row
# where the report prints the 2019 layout. Package data: the PDFs themselves are not shipped.
REAL: dict[str, dict[str, Any]] = json.loads(
    resources.files(__package__).joinpath("real_reports.json").read_text(encoding="utf-8")
)


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
            nums = [v for v in vals if isinstance(v, int | float)]
            if len(nums) < len(vals):
                continue
            left, right = sum(nums[: len(lhs)]), sum(nums[len(lhs) :])
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


def item_values(t: Template, rep: Report) -> dict[str, Any]:
    """The named items the report states, as truth values (`items.<key>`), in the order the
    prose states them: the template's items are the keys, the report's text their order."""
    return {p: v for p, v in rep.values.items() if p.removeprefix("items.") in t.items.items}


def synthetic_truth(t: Template, rep: Report, comp: Composer) -> dict[str, Any]:
    spec = rep.spec
    values = {p: rep.values[p] for p in table_value_paths(t, spec)}
    values.update(item_values(t, rep))
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


def real_truth(t: Template, name: str, pdf: Path) -> dict[str, Any]:
    """Truth of the real PDF `pdf` (`name` in real_reports.json): its values from there, its
    page text from the PDF's own text layer."""
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
    for key in apps.row_keys():
        printed = r["t3"].get(key)
        for i, col in enumerate(apps.columns):
            values[f"applications.{key}.{col.key}"] = printed[i] if printed else None
    rl = t.tables.review_litigation
    i = 0
    for g in rl.groups:
        for c in rl.columns:
            values[f"review_litigation.{g.key}.{c.key}"] = r["t4"][i]
            i += 1
    for k, v in r["items"].items():
        values[f"items.{k}"] = v
    pages = []
    doc = pdfium.PdfDocument(str(pdf))
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
