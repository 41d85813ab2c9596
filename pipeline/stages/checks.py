"""checks: run the 勾稽 relations of pipeline/template/rules.yaml over the fields.

Each rule expands into one check per binding (per column, per row, per group). A check is
`passed: null` when a value it needs is missing, not applicable or not a number. A failed hard
check names its fields; each gets `checks_failed` (lowering its confidence) and the review
reason `check_failed:<rule>`; a passed one adds `checks_passed`. When every cell in a failed
check was read with a certain position and a clean label, the detail says the source itself is
inconsistent rather than blaming the reading. Soft rules (prose vs table) only report: a
prose figure agreeing with the table cell adds `corroborated` to the cell, one disagreeing adds
the review reason `prose_conflict` (evidence about the source, prose and tables often count
different things; the table value stays).
`inequality` rules (sum lhs >= sum rhs) and `same_applicability` rules (cells all "/" or none)
fail like equations; when they hold they add no `checks_passed` (a bound confirms little).

Localisation: a field whose failed relations all run one way (rules.yaml `axis`) while one
running the other way through it passes is `exonerated` (scored, no forced review: the culprit
is elsewhere in the failed row or column), unless the decoder placed it (a decoded row one
row off keeps its own sum); a `position_uncertain` cell whose relations all pass,
one per axis at least, is `position_confirmed` (its inferred column is settled).

Repair (rules.yaml `axis`): when the failed relations of one table all contain one and the same
cell, at least one of them a row relation and one a column relation, and each implies the same
non-negative value for that cell, that cell is located. Read by OCR, it is the misread one: its
value becomes the implied one with method `repaired.consistency` (raw keeps what was read;
review reason `repaired_consistency:<rules>`), and the relations it repairs pass. Read from
text (a text layer, HTML, plain text), the source prints that value: the checks stay failed and
say the source is inconsistent at that cell and what the relations imply. Anything else (two
cells off, relations that disagree) is left failed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from ..datamodel.base import Feature, ReviewReason, reason
from ..datamodel.document import Relations, Repair, ReportDoc, Slot
from ..datamodel.record import CheckRecord, ReportField, Semantic
from ..settings import Settings, TableSettings
from ..template import Template
from ..template.loader import Binding, Format, RuleSpec
from .base import Stage

_NUMERIC = {Semantic.number, Semantic.zero, Semantic.blank}
Fields = dict[str, ReportField]


def _record(b: Binding, rule: RuleSpec, **kw: Any) -> CheckRecord:
    return CheckRecord.of(b.rule_id, b.label, severity=rule.severity, passed=None, **kw)


def _sides(fields: Fields, b: Binding) -> tuple[float, float] | None:
    """The sums of both sides, or None when a value is missing, not applicable or text."""
    values = []
    for path in b.lhs + b.rhs:
        f = fields.get(path)
        if f is None or f.semantic not in _NUMERIC or not isinstance(f.value, int | float):
            return None
        values.append(float(f.value))
    return sum(values[: len(b.lhs)]), sum(values[len(b.lhs) :])


class Checks(Stage[TableSettings]):
    name = "checks"
    reads = frozenset({Slot.table_fields, Slot.item_fields})
    writes = frozenset({Slot.checks})

    def __init__(self, options: TableSettings, template: Template) -> None:
        super().__init__(options)
        self.template = template
        self.clean_label = options.clean_label_score
        self.clean_ocr = options.clean_ocr_confidence
        self.axis = {r.id: r.axis for r in template.rules if r.axis}
        # a one-sided bound (inequality, applicability) that holds confirms little: only its
        # failure counts
        self.bounds = {r.id for r in template.rules if r.kind != "equation"}
        self.prose_rules = {r.id for r in template.rules if r.kind == "prose_vs_table"}
        self.run: dict[str, Callable[[Fields, RuleSpec, Format], list[CheckRecord]]] = {
            "equation": self._equation,
            "inequality": self._inequality,
            "same_applicability": self._same_applicability,
            "non_negative": self._non_negative,
        }

    @classmethod
    def options_from(cls, settings: Settings) -> TableSettings:
        return settings.tables

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        fmt = self._format(doc)
        fields = doc.values()  # prose figures fill table paths the tables left empty
        for rule in self.template.rules:
            if rule.kind == "prose_vs_table":
                doc.checks += self._prose_vs_table(doc, fields, rule)
            else:
                doc.checks += self.run[rule.kind](fields, rule, fmt)
        relations: dict[str, Relations] = {}
        fields = self._repair(doc.checks, fields, relations, fmt)
        axes = self._axes(doc.checks, fields)
        # a decoded cell's row is the decoder's choice: a whole row placed one row off keeps
        # its own sum, so a row relation holding says nothing of where the row belongs
        placed = {
            p: a
            for p, a in axes.items()
            if not (p in fields and fields[p].features.get(Feature.decoded))
        }
        cleared = _cleared(doc.checks, placed)
        for check in doc.checks:
            if check.severity != "hard" or check.passed is None:
                continue
            if check.passed and check.rule_id in self.bounds:
                continue
            for path in check.fields:
                rel = relations.setdefault(path, Relations())
                key = Feature.checks_passed if check.passed else Feature.checks_failed
                rel.features[key] = rel.features.get(key, 0.0) + 1
                if not check.passed and path not in cleared:
                    rel.reasons.append(reason(ReviewReason.check_failed, check.rule))
        for check in doc.checks:
            if check.rule_id in self.prose_rules and check.passed is not None:
                rel = relations.setdefault(check.fields[0], Relations())
                if check.passed:
                    rel.features[Feature.corroborated] = 1.0
                else:
                    rel.reasons.append(reason(ReviewReason.prose_conflict))
        for path, by_axis in axes.items():
            field = fields.get(path)
            if field is None:
                continue
            if path in cleared:
                relations.setdefault(path, Relations()).features[Feature.exonerated] = 1.0
            elif field.features.get(Feature.position_uncertain) and _confirmed(by_axis):
                rel = relations.setdefault(path, Relations())
                rel.features[Feature.position_confirmed] = 1.0
        doc.relations = relations
        return doc

    def recheck(self, fields: Fields, fmt: Format) -> list[CheckRecord]:
        """The equation, bound and non-negative checks over `fields`, in rule order, marking
        nothing. For values that changed after extraction (the review page re-runs a document's
        checks after a correction). Prose-vs-table checks are left out: they need the prose
        figures, which only the working document holds."""
        out: list[CheckRecord] = []
        for rule in self.template.rules:
            if rule.kind != "prose_vs_table":
                out += self.run[rule.kind](fields, rule, fmt)
        return out

    @staticmethod
    def _format(doc: ReportDoc) -> Format:
        reading = doc.reading("applications")
        if reading is not None and reading.format != "unknown":
            return reading.format
        return "2019" if doc.template.version == "2019" else "2021"

    # ---- the rule kinds ----------------------------------------------------------------------
    def _equation(self, fields: Fields, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        """sum(lhs) == sum(rhs) per binding; a blank total beside a positive sum is not a
        contradiction; a failure where every cell was read cleanly names the source."""
        out = []
        for b in self.template.bindings(rule, fmt):
            paths = b.lhs + b.rhs
            record = _record(b, rule, fields=paths)
            out.append(record)
            sides = _sides(fields, b)
            if sides is None:
                unusable = [
                    p
                    for p in paths
                    if (f := fields.get(p)) is None
                    or f.semantic not in _NUMERIC
                    or not isinstance(f.value, int | float)
                ]
                record.detail = f"not assessable: {len(unusable)} value(s) missing or not numeric"
                continue
            left, right = sides
            record.detail = f"{_fmt(left)} vs {_fmt(right)}"
            if math.isclose(left, right, abs_tol=1e-6):
                record.passed = True
            elif all(fields[p].semantic == Semantic.blank for p in b.lhs) and right > 0:
                record.detail += "; total left blank in the source (blank is not a contradiction)"
            else:
                record.passed = False
                if all(_clean(fields[p], self.clean_label, self.clean_ocr) for p in paths):
                    record.detail += "; source inconsistent: every cell was read unambiguously"
        return out

    def _inequality(self, fields: Fields, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        """sum(lhs) >= sum(rhs) per binding the document has cells of."""
        out = []
        for b in self._present(fields, rule, fmt):
            record = _record(b, rule, fields=b.lhs + b.rhs)
            out.append(record)
            sides = _sides(fields, b)
            if sides is None:
                record.detail = "not assessable: a value missing or not numeric"
                continue
            left, right = sides
            record.passed = left >= right - 1e-6
            record.detail = f"{_fmt(left)} >= {_fmt(right)}"
        return out

    def _same_applicability(self, fields: Fields, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        """The lhs cells are all "/" or none is, per binding the document has cells of."""
        out = []
        for b in self._present(fields, rule, fmt):
            paths = b.lhs + b.rhs
            record = _record(b, rule, fields=paths)
            out.append(record)
            got = [fields.get(p) for p in paths]
            if all(f is not None and f.semantic != Semantic.missing for f in got):
                na = [f is not None and f.semantic == Semantic.not_applicable for f in got]
                record.passed = all(na) or not any(na)
                record.detail = f"{sum(na)} of {len(na)} cells not applicable"
        return out

    def _present(self, fields: Fields, rule: RuleSpec, fmt: Format) -> Iterator[Binding]:
        """Bindings with at least one cell in the document (none: the other table format)."""
        for b in self.template.bindings(rule, fmt):
            got = [fields.get(p) for p in b.lhs + b.rhs]
            if not all(f is None or f.semantic == Semantic.missing for f in got):
                yield b

    @staticmethod
    def _non_negative(fields: Fields, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        bad = [
            p
            for p, f in fields.items()
            if p.split(".")[0] in rule.prefixes
            and p.split(".")[-1] not in rule.except_columns
            and isinstance(f.value, int | float)
            and f.semantic in _NUMERIC
            and f.value < 0
        ]
        if not bad:
            return [CheckRecord.of(rule.id, passed=True, detail="no negative counts")]
        return [
            CheckRecord.of(rule.id, p, passed=False, fields=[p], detail="negative count")
            for p in bad
        ]

    @staticmethod
    def _prose_vs_table(doc: ReportDoc, fields: Fields, rule: RuleSpec) -> list[CheckRecord]:
        out = []
        for target, prose in doc.prose_figures.items():
            table = fields.get(target)
            if table is None or not table.method.from_table or table.semantic not in _NUMERIC:
                continue
            detail = f"prose {prose.raw!r} vs table {table.raw!r}"
            passed: bool | None = prose.value == table.value
            if prose.features.get(Feature.approximate):
                passed = None  # 100余件 states a bound, not the count
                detail += "; the prose figure is approximate"
            elif not passed:
                detail += "; prose and tables often count different things: evidence, not an error"
            out.append(
                CheckRecord.of(
                    rule.id, target, passed=passed, fields=[target], detail=detail, severity="soft"
                )
            )
        return out

    # ---- locating a misread ------------------------------------------------------------------
    def _repair(
        self,
        checks: list[CheckRecord],
        fields: Fields,
        relations: dict[str, Relations],
        fmt: Format,
    ) -> Fields:
        """See the module docstring. Returns the fields with repaired values (copies), so the
        localisation after it sees them; the repair itself is recorded in `relations`."""
        failed: dict[str, list[CheckRecord]] = {}
        for check in checks:
            if check.passed is False and check.severity == "hard" and check.rule_id in self.axis:
                failed.setdefault(check.fields[0].split(".")[0], []).append(check)
        out = dict(fields)
        for group in failed.values():
            axes = {self.axis[c.rule_id] for c in group}
            common = set(group[0].fields).intersection(*(c.fields for c in group[1:]))
            if axes != {"row", "column"} or len(common) != 1:
                continue
            path = common.pop()
            implied = {self._implied(fields, c, path, fmt) for c in group}
            if len(implied) != 1:
                continue
            value = implied.pop()
            if value is None or value < 0:
                continue
            field = fields[path]
            read, implied_text = field.raw, _fmt(value)
            if Feature.ocr_confidence not in field.features:
                # read from text, not pixels: the source prints this value, so the source is
                # inconsistent in itself; the cell is named, its value kept
                for c in group:
                    c.detail += (
                        f"; source inconsistent at {path}: printed {read!r},"
                        f" the relations imply {implied_text}"
                    )
                continue
            number = int(value) if float(value).is_integer() else value
            rules = [c.rule for c in group]
            rel = relations.setdefault(path, Relations())
            rel.repair = Repair(value=number, rules=rules)
            rel.features[Feature.repaired] = 1.0
            rel.reasons.append(reason(ReviewReason.repaired_consistency, ",".join(rules)))
            out[path] = rel.repair.apply(field)
            for c in group:
                c.passed = True
                c.detail += f"; passes after repairing {path}: read {read!r}, implied {number}"
        return out

    def _implied(self, fields: Fields, check: CheckRecord, path: str, fmt: Format) -> float | None:
        """The value `path` must have for the check's equation to hold."""
        values: dict[str, float] = {}
        for p in check.fields:
            v = fields[p].value
            if not isinstance(v, int | float):
                return None
            values[p] = float(v)
        n_lhs = self._lhs_count(check, fmt)
        left = sum(values[p] for p in check.fields[:n_lhs] if p != path)
        right = sum(values[p] for p in check.fields[n_lhs:] if p != path)
        return right - left if path in check.fields[:n_lhs] else left - right

    def _lhs_count(self, check: CheckRecord, fmt: Format) -> int:
        """How many of the check's fields are its left side (its rule expanded again)."""
        rule = next(r for r in self.template.rules if r.id == check.rule_id)
        b = next(b for b in self.template.bindings(rule, fmt) if b.label == check.binding)
        return len(b.lhs)

    def _axes(
        self, checks: list[CheckRecord], fields: Fields
    ) -> dict[str, dict[str, list[bool | None]]]:
        """Per field: axis (row | column) -> outcomes of the hard relations with an axis that
        the field is in (True passed, False failed, None not assessable)."""
        out: dict[str, dict[str, list[bool | None]]] = {}
        for check in checks:
            a = self.axis.get(check.rule_id)
            if a is None or check.severity != "hard":
                continue
            for path in check.fields:
                out.setdefault(path, {}).setdefault(a, []).append(check.passed)
            if check.passed and not any(_nonzero(fields.get(p)) for p in check.fields):
                # 0 = 0 holds wherever the zeros sit: it vouches for values, not positions
                for path in check.fields:
                    out[path].setdefault("zeros_only", []).append(True)
        return out


def _nonzero(f: ReportField | None) -> bool:
    return f is not None and isinstance(f.value, int | float) and f.value != 0


def _cleared(checks: list[CheckRecord], axes: dict[str, dict[str, list[bool | None]]]) -> set[str]:
    """The exonerated fields, except where that would clear every field of a failed relation:
    a failed relation has a culprit. The same misread in a row total and in the grand total
    (4 read as 1 twice) fails the row but adds up down the column; each cell of the row is
    then confirmed by its column, and without this none of them would be reviewed."""
    cleared = {path for path, by_axis in axes.items() if _exonerated(by_axis)}
    changed = True
    while changed:
        changed = False
        for check in checks:
            failed = check.severity == "hard" and check.passed is False and check.fields
            if failed and all(p in cleared for p in check.fields):
                cleared -= set(check.fields)
                changed = True
    return cleared


def _exonerated(by_axis: dict[str, list[bool | None]] | None) -> bool:
    """In failed relations of one axis only, and in a passing relation of the other: the
    relations that run through the field the other way hold, so the failure lies elsewhere
    in the failed row or column (when one row and one column fail, at their shared cell)."""
    if not by_axis:
        return False
    axes = {a: v for a, v in by_axis.items() if a != "zeros_only"}
    failed = {a for a, outcomes in axes.items() if False in outcomes}
    passed = {a for a, outcomes in axes.items() if True in outcomes}
    return len(failed) == 1 and bool(passed - failed)


def _confirmed(by_axis: dict[str, list[bool | None]]) -> bool:
    """No relation through the field failed and each axis it lies on has one that passed: a
    cell in the wrong column would break them."""
    axes = {a: v for a, v in by_axis.items() if a != "zeros_only"}
    outcomes = [o for v in axes.values() for o in v]
    trivial = len(by_axis.get("zeros_only", []))
    return (
        False not in outcomes
        and all(True in v for v in axes.values())
        and outcomes.count(True) > trivial
    )


def _clean(f: ReportField, min_label: float, min_ocr: float) -> bool:
    """Read unambiguously: position certain, label matched at least `min_label`, and (OCR)
    read with at least `min_ocr` confidence, not cut from a line crossing a rule, not re-read,
    no rule inferred."""
    feats = f.features
    return (
        feats.get(Feature.position_uncertain, 0.0) == 0.0
        and feats.get(Feature.label_score, 1.0) >= min_label
        and feats.get(Feature.ocr_confidence, 1.0) >= min_ocr
        and not any(
            feats.get(k) for k in (Feature.cell_split, Feature.cell_reread, Feature.inferred_rule)
        )
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
