"""Labelled documents in real-page shapes (nianbao.synth.shapes): each shape renders as it
says, its truth is what the text states (consistent with the 勾稽 relations, every number in it
printed), the same seed gives the same document, and the documents without shapes are the old
ones."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from nianbao.settings import TrainSettings
from nianbao.synth import shapes
from nianbao.synth.labelled import LabelledDoc, labelled_doc
from nianbao.synth.prose import cn_number
from nianbao.synth.shapes import AGENCY_SHAPES, TABLE_SHAPES, ShapeRates
from nianbao.synth.truth import failed_checks
from nianbao.template import Template, load_template

T = load_template()
CFG = TrainSettings()  # configs/train/default.yaml lists these defaults
DEFAULT = ShapeRates(**CFG.shapes.model_dump(exclude={"calibration_docs", "heldout_docs"}))
NONE = {"header_date": 0.0, "cut": 0.0, "images": 0.0, "page_break": 0.0, "ascii_punctuation": 0.0}


def only(tables: str = "html_blank", agency: str = "title", **kw: float) -> ShapeRates:
    """The default rates with one table rendering and one agency variant, others as given."""
    return replace(DEFAULT, tables={tables: 1.0}, agency={agency: 1.0}, **{**NONE, **kw})


def docs(rates: ShapeRates, n: int = 6, seed: int = 3) -> list[LabelledDoc]:
    return [labelled_doc(T, "train", seed, i, None, rates) for i in range(n)]


def flat(text: str) -> str:
    """The text as a reader sees it: markup and entities gone, whitespace removed."""
    text = re.sub(r"<[^>]+>", "", text).replace("&nbsp;", "")
    return re.sub(r"\s+", "", text)


def printed_forms(v: int | float, trad: bool) -> list[str]:
    if isinstance(v, float):
        return [f"{v:.2f}".rstrip("0").rstrip(".")]
    forms = [str(v), f"+{v}"] + ([cn_number(v)] if v >= 0 else [])
    return forms + [shapes.traditional(f) for f in forms] if trad else forms


def check_truth(t: Template, d: LabelledDoc) -> None:
    """What every shaped document's truth must satisfy."""
    values = d.truth["values"]
    year = d.truth["meta"]["year"]
    assert failed_checks(t, values, "2021" if year >= 2021 else "2019") == []
    text = flat(d.text)
    trad = "agency:traditional" in d.shapes
    for path, v in values.items():
        # a zero may print blank; training sessions are printed as the parts of a sum
        if v in (None, 0) or path == "items.training_sessions":
            continue
        assert any(f in text for f in printed_forms(v, trad)), (d.name, path, v)
    agency = d.truth["meta"]["agency"]
    assert agency is None or agency in text
    date = d.truth["meta"]["publish_date"]
    if date is not None:
        y, m, day = (int(x) for x in date.split("-"))
        assert date in text or f"{y}年{m}月{day}日" in text or f"{y}年{m:02d}月{day:02d}日" in text


@pytest.mark.parametrize("table", TABLE_SHAPES)
def test_every_table_shape_renders_with_consistent_truth(table: str) -> None:
    for d in docs(only(table), n=5):
        assert f"tables:{table}" in d.shapes and d.extraction_errors == []
        check_truth(T, d)
        assert len(d.truth["values"]) >= 200  # a whole report: every table path
        lines = d.text.splitlines()
        if table == "html_blank":
            assert d.suffix == ".html" and 'rowspan="3" colspan="3"' in d.text
            assert "rowspan='1'" not in d.text and 'rowspan="1"' not in d.text
            vertical = r'<td rowspan="\d+">(<p[^>]*><span>)?(三、本年度办理结果|三<br/>、)'
            assert re.search(vertical, d.text)
            assert len(d.html_tables) == 3
        elif table == "markdown":
            assert d.suffix in (".md", ".txt")
            assert any(re.fullmatch(r"\| 规章 \|( [^|]* \|){3}", ln) for ln in lines)
            assert any(re.fullmatch(r"(\| --- )+\|", ln) for ln in lines)
            assert any(ln.startswith("# ") for ln in lines)
        elif table == "markdown_rows":
            assert "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |" in lines
            assert "### 三、本年度办理结果" in lines
            assert any(ln.startswith("#### （三）") for ln in lines)
        elif table == "torn":
            assert d.suffix == ".txt" and "<td" not in d.text


def test_html_blank_cells_and_markdown_dashes() -> None:
    """Zero cells print empty (<td></td>, &nbsp;) or '-', and the truth still says 0."""
    html = docs(only("html_blank"), n=12)
    assert any("<td></td>" in d.text for d in html)
    assert any("<td>&nbsp;</td>" in d.text or "<p>&nbsp;</p>" in d.text for d in html)
    # the applicant rows of a document that blanks every 法人 column: only 自然人 and 总计 filled
    orgs = [d for d in html if "blank:orgs" in d.shapes]
    assert orgs
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_services"]
    cols += ["other_org", "total"]
    for d in orgs:
        row = next(r for r in d.text.split("<tr>") if "一、本年新收" in r)
        cells = [re.sub(r"<[^>]+>|&nbsp;", "", c) for c in re.findall(r"<td.*?</td>", row)]
        assert len(cells) == 8, d.name  # the label and seven cells
        for key, cell in zip(cols, cells[1:], strict=True):
            v = d.truth["values"][f"applications.new.{key}"]
            blank = v == 0 and key not in ("natural_person", "total")
            assert cell == ("" if blank else str(v)), (d.name, key)
    md = docs(only("markdown"), n=12)
    assert any(re.search(r"\| - \|", d.text) for d in md)


def test_torn_text_separates_labels_from_numbers() -> None:
    texts = [d.text for d in docs(only("torn"), n=12)]
    lines = [ln for t in texts for ln in t.splitlines()]
    number_rows = [ln for ln in lines if re.fullmatch(r"[\d\s|]+", ln) and len(ln.split()) >= 5]
    assert number_rows  # rows of numbers without a label
    assert any(ln.endswith(" |") for ln in lines)  # pipe fragments
    # the vertical group label cut in pieces between rows
    pieces = [ln for ln in lines if ln and "三、本年度办理结果".startswith(ln)]
    assert any(ln != "三、本年度办理结果" for ln in pieces)
    # header words cut mid-word: a line holding part of an applicant column's name only
    cut = ("商业企", "科研机", "社会公", "法律服", "商业", "科研", "法律服务机")
    assert any(ln in cut for ln in lines)


def test_header_date_is_the_publish_date_without_a_signature_date() -> None:
    seen = {"header": 0, "both": 0}
    for d in docs(only(header_date=1.0, signature_too=0.5), n=16):
        text = re.sub(r"<[^>]+>", "", d.text)
        date = d.truth["meta"]["publish_date"]
        assert date is not None
        y, m, day = date.split("-")
        signed = re.search(rf"^{y}年{int(m)}月{int(day)}日$", text, re.M)
        header = re.search(r"(发布时间|发布日期|发文日期|时间)[：:]\s*(\d{4}-\d\d-\d\d)", text)
        dated = re.search(r"(\d{4})年(\d\d)月(\d\d)日 来源", text)
        assert header or dated, d.name
        shown = header.group(2) if header else "-".join(dated.groups())  # type: ignore[union-attr]
        if "header_date+signature" in d.shapes and signed:
            seen["both"] += 1  # the signature's date wins
        else:
            assert shown == date, d.name
            assert not re.search(r"^\d{4}年\d{1,2}月\d{1,2}日$", text, re.M)
            seen["header"] += 1
    assert seen["header"] and seen["both"]


@pytest.mark.parametrize("shape", AGENCY_SHAPES)
def test_agency_variants(shape: str) -> None:
    for d in docs(only("torn", shape), n=6):
        check_truth(T, d)
        name = d.truth["meta"]["agency"]
        title = next(ln for ln in d.text.splitlines() if re.search("年度(报|報)告$", ln))
        # a gov_variant drawn for an agency without 人民政府 falls back to the short form
        agency = next(s.split(":")[1] for s in d.shapes if s.startswith("agency:"))
        if agency == "unnamed":
            assert name is None
            continue
        assert name is not None
        count = d.text.count(name)
        if agency in ("preamble", "signature_only"):
            assert name not in title and count == 1
        if agency == "label_line":  # the label line, and the title's first line or not
            assert count == 1 or (count == 2 and re.search(f"^{name}$", d.text, re.M))
        if agency == "preamble":
            assert re.search(f"(特编制|){name}", d.text)
        elif agency == "label_line":
            assert re.search(f"^(单位|名称|发布机构|单位名称)[：:]{name}$", d.text, re.M)
        elif agency == "signature_only":
            assert re.search(f"^{name}$", d.text, re.M)
        elif agency == "gov_variant":
            assert "人民政府" in name and name.replace("人民政府", "政府") in d.text
        elif agency == "short_form":
            assert count == 1 or re.search(f"^{name}$", d.text, re.M)
            assert shapes.short_form(name) in d.text
        elif agency == "misread":
            assert count >= 2
            rest = d.text.replace(name, "\n")
            windows = {rest[i : i + len(name)] for i in range(len(rest) - len(name) + 1)}
            near = [w for w in windows if sum(a != b for a, b in zip(w, name, strict=True)) == 1]
            assert len(near) == 1, d.name  # exactly one mention misread, by one character
        elif agency == "traditional":
            assert name == shapes.traditional(name) and name != shapes.traditional(name[:0])
            assert "年度報告" in d.text or "年度报告" not in d.text


def test_cut_openings_state_only_what_is_printed() -> None:
    cut = docs(only("torn", cut=1.0), n=12) + docs(only("markdown", cut=1.0), n=6)
    complete = {d.name: d for d in docs(only("torn"), n=12)}
    wheres = set()
    for d in cut:
        check_truth(T, d)
        wheres |= {p.split(":")[1] for p in d.perturbations if p.startswith("cut:")}
        labels = [label for _, label in d.passages]
        assert "section_1" in labels and not {"section_5", "section_6"} & set(labels)
        whole = complete[d.name]  # the same report whole: the cut one states less of it
        assert len(d.truth["values"]) < len(whole.truth["values"])
        for path, v in d.truth["values"].items():
            assert whole.truth["values"].get(path, v) == v
    assert {"prose", "table"} <= wheres


def test_images_leave_the_prose_figures() -> None:
    for d in docs(only("markdown", images=1.0), n=8) + docs(only("html_blank", images=1.0), n=4):
        check_truth(T, d)
        assert "[图片]" in d.text or "<img" in d.text or "![](" in d.text
        assert d.truth["template_version"] == "unknown"
        tables = [p for p in d.truth["values"] if not p.startswith("items.")]
        assert tables and all(p.startswith(("applications.", "review_litigation.")) for p in tables)
        assert "第二十条" not in d.text


def test_rich_figures_follow_the_conventions() -> None:
    """未收到申请 -> new = 0; 未发生行政复议、行政诉讼 -> every table-四 cell 0; a combined figure
    (法人或其他组织申请N件, 予以公开及部分公开N件) is stated for no single cell."""
    seen: set[str] = set()
    for d in docs(only("torn", images=1.0), n=40, seed=11):
        v: dict[str, Any] = d.truth["values"]
        if "未收到" in d.text:
            seen.add("none")
            assert v["applications.new.total"] == 0
        if re.search("未发生[^。]*行政复议、行政诉讼", d.text):
            seen.add("no_review")
            assert sum(1 for k in v if k.startswith("review_litigation.")) == 15
        if "法人或其他组织申请" in d.text:
            seen.add("orgs")
            assert not any(
                k.startswith("applications.new.")
                and k.split(".")[-1] not in ("natural_person", "total")
                for k in v
            )
        if "予以公开及部分公开" in d.text:
            seen.add("combined")
            assert "applications.disclosed.total" not in v
    assert {"no_review", "orgs", "combined"} <= seen


def test_same_seed_same_document_and_no_shapes_no_change() -> None:
    for i in range(8):
        a = labelled_doc(T, "heldout", 9, i, None, DEFAULT)
        b = labelled_doc(T, "heldout", 9, i, None, DEFAULT)
        assert (a.text, a.truth, a.passages, a.shapes) == (b.text, b.truth, b.passages, b.shapes)
        plain = labelled_doc(T, "heldout", 9, i)
        assert plain.shapes == [] and plain.suffix in (".html", ".txt")
        # the shapes have their own random stream: the report underneath is the same one
        assert a.truth["meta"]["year"] == plain.truth["meta"]["year"]
    assert (
        labelled_doc(T, "heldout", 9, 0, None, DEFAULT).text
        != labelled_doc(T, "heldout", 10, 0, None, DEFAULT).text
    )


def test_passages_label_every_written_line() -> None:
    for d in docs(DEFAULT, n=20):
        labels = {label for _, label in d.passages}
        assert labels <= {"front_matter", "noise"} | {f"section_{n}" for n in range(1, 7)}
        if d.suffix != ".html":
            written = [ln for ln in d.text.splitlines() if ln.strip()]
            assert [p for p, _ in d.passages] == written


def test_rates_are_checked_and_the_config_names_every_shape() -> None:
    assert set(CFG.shapes.tables) == set(TABLE_SHAPES)
    assert set(CFG.shapes.agency) == set(AGENCY_SHAPES)
    with pytest.raises(ValueError, match="no_such"):
        replace(DEFAULT, tables={"no_such": 1.0})
    with pytest.raises(ValueError, match="positive"):
        replace(DEFAULT, agency={"title": 0.0})


def test_page_break_leaves_a_header_only_part() -> None:
    """Table 三 over a page break: its first part is the header with at most two rows, then the
    page's foot, then the rest; the truth is the whole table."""
    seen = set()
    for d in docs(only("html_blank", page_break=1.0), n=6):
        check_truth(T, d)
        assert len(d.html_tables) == 4  # 二, 三 (two parts), 四
        first = next(t for t in d.text.split("<table")[1:] if "勾稽" in flat(t))
        body = [r for r in first.split("<tr>")[1:] if "申请数量" in r]
        assert len(body) <= 2
        seen.add(len(body))
    for table in ("torn", "markdown", "markdown_rows"):
        for d in docs(only(table, page_break=1.0), n=4):
            check_truth(T, d)
            assert any(
                label == "noise" and re.fullmatch(r"- \d -|第\d页 共\d+页|\d|\f|.*年度报告", p)
                for p, label in d.passages
            )
    assert len(seen) > 1


def test_ascii_punctuation() -> None:
    for d in docs(only("torn", ascii_punctuation=1.0), n=4):
        check_truth(T, d)
        assert "（" not in d.text and "：" not in d.text and "(一)予以公开" in d.text
