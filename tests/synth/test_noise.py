"""Extraction noise (nianbao.synth.noise): each kind makes the error it names, the
truth is untouched, the document under the noise is the document without it, and it is seeded."""

from __future__ import annotations

import random
import re

import pytest
from nianbao.synth import noise
from nianbao.synth.labelled import labelled_doc
from nianbao.synth.noise import Cell, NoiseRates, Table
from nianbao.template import load_template

ONLY = {kind: NoiseRates(0.0, 1, {kind: 1.0}) for kind in noise.KINDS}


def table() -> Table:
    rows = [
        ["信息内容", "本年新收", "上年结转", "总计"],
        ["自然人", "120", "5", "125"],
        ["法人或其他组织", "", "/", "1034"],
        ["其他", "3", "0", "3"],
    ]
    return Table([[Cell(t) for t in r] for r in rows], header_rows=1)


def texts(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


def run(kind: str, seed: int = 1) -> tuple[Table, list[list[str]], list[str]]:
    t, prose = table(), [["全年举办培训12期，参训人员共计360人次。"]]
    events = noise.apply(ONLY[kind], random.Random(seed), [t], prose)
    assert events and all(e.startswith(kind) for e in events)
    return t, prose, events


@pytest.mark.parametrize("seed", range(5))
def test_cell_misreads(seed: int) -> None:
    before = texts(table())
    t, _, _ = run("digit_confusion", seed)
    changed = [
        (a, b)
        for ra, rb in zip(before, texts(t), strict=True)
        for a, b in zip(ra, rb, strict=True)
        if a != b
    ]
    assert len(changed) == 1
    a, b = changed[0]
    assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    i = next(k for k in range(len(a)) if a[k] != b[k])
    assert b[i] in noise.CONFUSIONS[a[i]]
    chars = sum(len(c) for r in before for c in r)
    t, _, _ = run("digit_dropped", seed)
    assert sum(len(c) for r in texts(t) for c in r) == chars - 1
    t, _, _ = run("digit_doubled", seed)
    assert sum(len(c) for r in texts(t) for c in r) == chars + 1


def test_structural_errors() -> None:
    before = texts(table())
    header = before[0]
    t, _, _ = run("cells_merged")
    assert sum(len(r) for r in t.rows) == 15 and texts(t)[0] == header
    r = next(k for k, row in enumerate(t.rows) if len(row) == 3)
    merged = [before[r][c] + before[r][c + 1] for c in (1, 2)]
    assert any(cell.text in merged and cell.colspan == 2 for cell in t.rows[r])
    t, _, _ = run("cell_split")
    assert sum(len(r) for r in t.rows) == 17
    t, _, _ = run("blank_lost")
    assert texts(t)[2] == ["法人或其他组织", "/", "1034"]
    t, _, _ = run("row_lost")
    assert len(t.rows) == 3 and texts(t)[0] == header
    t, _, _ = run("na_misread")
    assert texts(t)[2][2] == "1"
    t, _, _ = run("thousands_sep")
    assert texts(t)[2][3] == "1,034"
    t, _, _ = run("label_garbled")
    labels = [r[0] for r in texts(t)]
    assert labels != [r[0] for r in texts(table())] and len(labels[2]) == len("法人或其他组织")


def test_prose_figure_and_rowspans() -> None:
    _, prose, _ = run("prose_figure")
    assert prose[0][0] != "全年举办培训12期，参训人员共计360人次。"
    assert re.sub(r"\d", "", prose[0][0]) == "全年举办培训期，参训人员共计人次。"
    # a row that a merged cell spans is never dropped (that would tear the table apart)
    spanned = Table(
        [[Cell("h")], [Cell("a", rowspan=2), Cell("1")], [Cell("2")], [Cell("b"), Cell("3")]], 1
    )
    assert noise.apply(ONLY["row_lost"], random.Random(0), [spanned], [])
    assert [[c.text for c in r] for r in spanned.rows] == [["h"], ["a", "1"], ["2"]]


def test_clean_share_and_unknown_kind() -> None:
    assert (
        noise.apply(
            NoiseRates(1.0, 3, {k: 1.0 for k in noise.KINDS}), random.Random(0), [table()], []
        )
        == []
    )
    with pytest.raises(ValueError, match="no_such_kind"):
        NoiseRates(0.0, 1, {"no_such_kind": 1.0})


def test_labelled_doc_noise_keeps_truth_and_document() -> None:
    t = load_template()
    every = NoiseRates(0.0, 2, {k: 1.0 for k in noise.KINDS})
    for i in range(3):
        clean = labelled_doc(t, "train", 5, i)
        noisy = labelled_doc(t, "train", 5, i, every)
        again = labelled_doc(t, "train", 5, i, every)
        assert clean.extraction_errors == [] and noisy.extraction_errors
        assert noisy.truth == clean.truth and noisy.perturbations == clean.perturbations
        assert noisy.text != clean.text and noisy.text == again.text
        assert len(noisy.passages) <= len(clean.passages) + 4  # cells split, rows lost
        kinds = {e.split(":")[0] for e in noisy.extraction_errors}
        assert {"digit_confusion", "row_lost", "prose_figure"} <= kinds
