"""Series of reports: several agencies over consecutive years, with the truth of what the
archive checks (pipeline/archive) must find (issue #16).

Records are made directly (no rendering, no OCR): the values each report prints, read back as
the reader would, with the in-report 勾稽 checks of stages/checks.py run on them as a stored
record would carry them. Consecutive years carry over per applicant column (四 of N = 二 of N+1)
and table 二's 行政规范性文件 in force follow 制发 and 废止 (sometimes with documents that lapse,
which the soft relation reports as a difference). Breaks, each listed in the truth:

- `misread`: one carried cell (二、上年结转 of N+1 or 四、结转下年度 of N) read wrong; the
  report's reading context decides whether an in-report check can see it (`full`: every cell
  read; `totals_only`: the report prints only the 总计 column; `row_unread`: the report's
  本年新收 row was not read, so its column balances cannot be assessed; `sparse`: both);
- `missing_year`: a year's report absent (a year gap);
- `duplicate` / `revised`: a second report of one year, the same figures or one figure changed;
- `renamed`: the agency changes its name from a year on, and that year's report says so
  (原X更名为Y);
- name variants that must still group: 人民政府 / 政府, with and without the province, one
  character OCR-misread in the name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from ..datamodel.base import Method, ReviewReason, reason
from ..datamodel.document import ReportDoc
from ..datamodel.record import (
    CheckRecord,
    Provenance,
    ReportRecord,
    SectionRecord,
    Semantic,
    Source,
    Status,
    TemplateInfo,
)
from ..settings import Settings
from ..stages.checks import Checks
from ..template.loader import load_template
from .values import Numbers

Context = Literal["full", "totals_only", "row_unread", "sparse"]
CONTEXTS: tuple[Context, ...] = ("full", "totals_only", "row_unread", "sparse")
BreakKind = Literal["misread", "missing_year", "duplicate", "revised", "renamed"]

PROVINCES = ["云岭省", "望江省", "青川省", "白山省"]
CITIES = [
    "望舒市",
    "临川市",
    "青禾市",
    "南浦市",
    "东陵市",
    "石泉市",
    "柳溪市",
    "金沙市",
    "云台市",
    "北麓市",
    "安澜市",
    "春江市",
]
ORGANS = [
    "教育局",
    "司法局",
    "民政局",
    "财政局",
    "市场监督管理局",
    "自然资源和规划局",
    "卫生健康委员会",
    "人民政府办公室",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "审计局",
]
RENAMES = [
    ("文化广电新闻出版局", "文化和旅游局"),
    ("国土资源局", "自然资源和规划局"),
    ("环境保护局", "生态环境局"),
    ("卫生和计划生育委员会", "卫生健康委员会"),
]
CONFUSED = {"局": "周", "委": "季", "市": "巿"}
# more fictional places: two characters of this pool (none an OCR confusion of another)
POOL = "安宁和平清河云山长乐永丰兴隆明月松林桃源梅溪兰亭竹石凤鸣龙泉金华玉泽丹阳青峰白鹭"
LEVELS = "市县区"


def place(s: int) -> str:
    """The place of series `s`: the named cities first, then two pool characters and a level."""
    if s < len(CITIES):
        return CITIES[s]
    s -= len(CITIES)
    n = len(POOL)
    return POOL[s % n] + POOL[(s // n) % n] + LEVELS[(s // (n * n)) % len(LEVELS)]


@dataclass
class Break:
    kind: BreakKind
    series: int  # index of the agency series
    year: int
    path: str | None = None  # the misread field
    true_value: int | None = None
    read_value: int | None = None
    context: Context = "full"
    report: int | None = None  # index in Corpus.reports of the report carrying it


@dataclass
class GeneratedReport:
    series: int  # the true agency
    year: int
    agency: str  # as printed
    record: ReportRecord
    role: Literal["primary", "duplicate", "revised"] = "primary"


@dataclass
class Corpus:
    reports: list[GeneratedReport]
    breaks: list[Break]
    names: list[str] = field(default_factory=list)  # each series' latest name

    def breaks_of(self, kind: BreakKind) -> list[Break]:
        return [b for b in self.breaks if b.kind == kind]


class _Tables:
    def __init__(self, rng: random.Random) -> None:
        t = load_template()
        self.rng = rng
        self.num = Numbers(rng)
        apps = t.tables.applications
        self.applicants = [c.key for c in apps.columns if not c.is_total]
        self.leaves = [r.key for r in apps.rows_for("2021") if r.leaf]
        self.rows = apps.row_keys()
        self.weights = {k: w for k, w in Numbers.LEAF_WEIGHTS.items() if k in self.leaves}
        rl = t.tables.review_litigation
        self.groups = [g.key for g in rl.groups]
        self.parts = [c.key for c in rl.columns if not c.is_total]

    def year(
        self, scale: int, back: dict[str, int], in_force: int
    ) -> tuple[dict[str, int], dict[str, int], int]:
        """One year's printed values given last year's 结转 (per column) and 现行有效件数."""
        values: dict[str, int] = {}
        per_col = self.num.spread(self.num.around(scale), Numbers.APPLICANT_WEIGHTS)
        forward_out: dict[str, int] = {}
        for col in self.applicants:
            total = max(per_col[col], back.get(col, 0))
            cells = self.num.spread(total, self.weights)
            for leaf in self.leaves:
                values[f"applications.{leaf}.{col}"] = cells[leaf]
            forward = round(total * self.rng.uniform(0.0, 0.1))
            carried = back.get(col, 0)
            values[f"applications.total.{col}"] = total
            values[f"applications.carried_forward.{col}"] = forward
            values[f"applications.carried_over.{col}"] = carried
            values[f"applications.new.{col}"] = total + forward - carried
            forward_out[col] = forward
        for row in self.rows:
            cells_ = [values.get(f"applications.{row}.{c}") for c in self.applicants]
            if all(v is not None for v in cells_):
                values[f"applications.{row}.total"] = sum(v for v in cells_ if v is not None)
        for g in self.groups:
            split = {p: self.rng.choice([0, 0, 0, 1, 2]) for p in self.parts}
            for p in self.parts:
                values[f"review_litigation.{g}.{p}"] = split[p]
            values[f"review_litigation.{g}.total"] = sum(split.values())
        issued = self.rng.randint(0, 6)
        repealed = self.rng.randint(0, min(3, in_force))
        lapsed = self.rng.choice([0, 0, 0, 1]) if in_force - repealed > 1 else 0
        now = in_force + issued - repealed - lapsed
        values["active_disclosure.normative_documents.issued"] = issued
        values["active_disclosure.normative_documents.repealed"] = repealed
        values["active_disclosure.normative_documents.in_force"] = now
        for col in ("issued", "repealed", "in_force"):
            values[f"active_disclosure.regulations.{col}"] = 0
        values["active_disclosure.licensing_decisions"] = self.rng.randint(0, 500)
        values["active_disclosure.penalty_decisions"] = self.rng.randint(0, 200)
        values["active_disclosure.coercion_decisions"] = self.rng.randint(0, 20)
        return values, forward_out, now


_CHECKS: Checks | None = None


def _checks() -> Checks:
    global _CHECKS
    if _CHECKS is None:
        _CHECKS = Checks(Settings().tables, load_template())
    return _CHECKS


def make_record(
    agency: str,
    year: int,
    values: dict[str, int | None],
    *,
    text: str = "",
    publish_date: str | None = None,
    label: str = "",
) -> ReportRecord:
    """A stored-shape record of printed `values` (None: not read), with its in-report checks
    run and the fields of failed hard checks sent to review as a real record's would be."""
    record = ReportRecord(
        source=Source(path=label or f"{agency}{year}.html", input_kind="html"),
        status=Status.ok,
        template=TemplateInfo(version="2021", confidence=1.0),
        provenance=Provenance(nianbao_version="synth", config_hash="series"),
    )
    record.meta.agency.value = agency
    record.meta.agency.raw = agency
    record.meta.agency.semantic = Semantic.text
    record.meta.agency.confidence = 0.95
    record.meta.agency.method = Method.meta_title
    record.meta.year.value = year
    record.meta.year.semantic = Semantic.number
    record.meta.year.confidence = 0.99
    record.meta.year.method = Method.meta_title
    if publish_date:
        record.meta.publish_date.value = publish_date
        record.meta.publish_date.semantic = Semantic.text
        record.meta.publish_date.method = Method.meta_signature
    fields = {}
    for path, v in values.items():
        if v is None:
            continue
        f = record.get(path)
        f.value = v
        f.raw = str(v)
        f.semantic = Semantic.zero if v == 0 else Semantic.number
        f.confidence = 0.95
        f.method = Method.table_html
        fields[path] = f
    record.sections = [
        SectionRecord(number=1, canonical_heading="一、总体情况", found=True, text=text)
    ]
    doc = ReportDoc(source=record.source, fields=fields, template=record.template)
    doc = _checks()(doc)
    record.checks = [c for c in doc.checks if isinstance(c, CheckRecord)]
    for check in record.checks:
        if check.passed is False and check.severity == "hard":
            for path in check.fields:
                f = record.get(path)
                f.review.reasons.append(reason(ReviewReason.check_failed, check.rule))
                f.review.needed = True
    record.review.fields = [p for p, f in record.iter_fields() if f.review.needed]
    record.review.needed = bool(record.review.fields)
    return record


def _read(values: dict[str, int], context: Context, applicants: list[str]) -> dict[str, int | None]:
    """The values as the reader got them in a reading context (see the module docstring)."""
    out: dict[str, int | None] = dict(values)
    if context in ("totals_only", "sparse"):
        for path in out:
            if path.startswith("applications.") and path.rsplit(".", 1)[1] in applicants:
                out[path] = None
    if context in ("row_unread", "sparse"):
        for path in out:
            if path.startswith("applications.new."):
                out[path] = None
    return out


def _misread(value: int, rng: random.Random) -> int:
    """An OCR-style misreading: a digit changed, dropped or doubled."""
    text = str(value)
    choice = rng.choice(["digit", "drop", "double"] if len(text) > 1 else ["digit", "double"])
    if choice == "digit":
        i = rng.randrange(len(text))
        swap = {"1": "7", "7": "1", "3": "8", "8": "3", "0": "6", "6": "0", "5": "6", "9": "8"}
        d = swap.get(text[i], str((int(text[i]) + 1) % 10))
        text = text[:i] + d + text[i + 1 :]
    elif choice == "drop":
        i = rng.randrange(len(text))
        text = text[:i] + text[i + 1 :]
    else:
        text = text + text[-1]
    out = int(text or "0")
    return out if out != value else value + 10


def generate(
    n_agencies: int = 12,
    years: tuple[int, int] = (2019, 2025),
    *,
    seed: int = 16,
    broken: float = 0.5,
    kinds: tuple[BreakKind, ...] = ("misread", "missing_year", "duplicate", "revised", "renamed"),
    contexts: tuple[Context, ...] = ("full", "totals_only", "row_unread"),
) -> Corpus:
    """`n_agencies` series over `years` (inclusive); about `broken` of them carry one break
    (`kinds` in turn), the rest are consistent. Each series is read in one of `contexts` (in
    turn). Some consistent series print their name in another form in some years."""
    rng = random.Random(seed)
    tables = _Tables(rng)
    reports: list[GeneratedReport] = []
    breaks: list[Break] = []
    names: list[str] = []
    first, last = years
    for s in range(n_agencies):
        province = PROVINCES[s % len(PROVINCES)]
        city = place(s)
        organ = ORGANS[(s * 5 + s // len(CITIES)) % len(ORGANS)]
        kind: BreakKind | None = None
        if rng.random() < broken:
            kind = kinds[len(breaks) % len(kinds)]
        old_organ = organ
        if kind == "renamed":
            old_organ, organ = RENAMES[s % len(RENAMES)]
        span = list(range(first, last + 1))
        break_year = rng.choice(span[1:-1]) if len(span) > 2 else span[-1]
        back: dict[str, int] = {}
        in_force = rng.randint(5, 40)
        scale = rng.choice([20, 60, 150, 400, 1200])
        context: Context = contexts[s % len(contexts)]
        for year in span:
            values, back, in_force = tables.year(scale, back, in_force)
            name = f"{city}{organ if year >= break_year or kind != 'renamed' else old_organ}"
            text = f"{year}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》。"
            if kind == "renamed" and year == break_year:
                text += f"根据机构改革方案，原{city}{old_organ}更名为{city}{organ}。"
            printed = name
            variant = rng.random()
            if kind is None and variant < 0.15:
                printed = province + name  # with the parent region
            elif kind is None and variant < 0.25 and name.endswith("人民政府办公室"):
                printed = name.replace("人民政府", "政府")
            elif kind is None and variant < 0.32 and name[-1] in CONFUSED and year != first:
                printed = name[:-1] + CONFUSED[name[-1]]  # a character misread
            if kind == "missing_year" and year == break_year:
                breaks.append(Break("missing_year", s, year))
                continue
            read = _read(values, context, tables.applicants)
            brk: Break | None = None
            if kind == "misread" and year == break_year:
                side = rng.choice(["carried_over", "carried_forward"])
                col = "total"  # only the 总计 column is printed in totals_only and sparse
                if context in ("full", "row_unread"):
                    col = rng.choice(["natural_person", "total"])
                path = f"applications.{side}.{col}"
                true = values[path]
                read[path] = _misread(true, rng)
                brk = Break("misread", s, year, path, true, read[path], context)
            date = f"{year + 1}-01-{rng.randint(10, 28)}"
            record = make_record(
                printed, year, read, text=text, publish_date=date, label=f"s{s}/{year}.html"
            )
            if brk is not None:
                brk.report = len(reports)
                breaks.append(brk)
            reports.append(GeneratedReport(s, year, printed, record))
            if kind in ("duplicate", "revised") and year == break_year:
                again = dict(read)
                role: Literal["duplicate", "revised"] = kind
                if kind == "revised":
                    path = "active_disclosure.licensing_decisions"
                    again[path] = (again[path] or 0) + rng.randint(1, 9)
                later = f"{year + 1}-03-{rng.randint(10, 28)}"
                copy = make_record(
                    printed,
                    year,
                    again,
                    text=text,
                    publish_date=later,
                    label=f"s{s}/{year}-{kind}.html",
                )
                breaks.append(Break(kind, s, year, report=len(reports)))
                reports.append(GeneratedReport(s, year, printed, copy, role=role))
        if kind == "renamed":
            breaks.append(Break("renamed", s, break_year))
        names.append(f"{city}{organ}")
    return Corpus(reports, breaks, names)


def plain_series(
    n_agencies: int, years: tuple[int, int], *, seed: int = 16
) -> list[tuple[str, int, dict[str, int]]]:
    """Consistent series as bare values, fast (no record, no checks): (agency, year, values)
    in year order, for filling a large archive directly (benchmarks/archive.py)."""
    rng = random.Random(seed)
    tables = _Tables(rng)
    state: list[tuple[dict[str, int], int, int]] = [
        ({}, rng.randint(5, 40), rng.choice([20, 60, 150, 400])) for _ in range(n_agencies)
    ]
    out = []
    for year in range(years[0], years[1] + 1):
        for s in range(n_agencies):
            back, in_force, scale = state[s]
            values, back, in_force = tables.year(scale, back, in_force)
            state[s] = (back, in_force, scale)
            organ = ORGANS[(s * 5 + s // len(CITIES)) % len(ORGANS)]
            out.append((f"{place(s)}{organ}", year, values))
    return out
