"""checks: run the 勾稽 relations of pipeline/template/rules.yaml over the fields.

Each rule expands into one check per binding (per column, per row, per group). A check is
`passed: null` when a value it needs is missing, not applicable or not a number. A failed hard
check names its fields; each gets `checks_failed` (lowering its confidence) and the review
reason `check_failed:<rule>`; a passed one adds `checks_passed`. When every cell in a failed
check was read with a certain position and a clean label, the detail says the source itself is
inconsistent rather than blaming the reading. Soft rules (prose vs table) only report.
`inequality` rules (sum lhs >= sum rhs) and `same_applicability` rules (cells all "/" or none)
fail like equations; when they hold they add no `checks_passed` (a bound confirms little).

Localisation: a field whose failed relations all run one way (rules.yaml `axis`) while one
running the other way through it passes is `exonerated` (scored, no forced review: the culprit
is elsewhere in the failed row or column); a `position_uncertain` cell whose relations all pass,
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

import itertools
import math
from collections.abc import Iterator

from ..datamodel.document import ReportDoc
from ..datamodel.record import CheckRecord, ReportField, Semantic, Severity, Source
from ..settings import TableSettings
from ..template import Template
from ..template.loader import Format, RuleSpec

_NUMERIC = {Semantic.number, Semantic.zero, Semantic.blank}


def _expand(term: str, bindings: dict[str, str]) -> str:
    for name, value in bindings.items():
        term = term.replace("{" + name + "}", value)
    return term


class Checks:
    name = "checks"

    def __init__(self, template: Template, tables: TableSettings) -> None:
        self.template = template
        self.clean_label = tables.clean_label_score
        self.clean_ocr = tables.clean_ocr_confidence

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        fmt = self._format(doc)
        lhs_count: dict[str, int] = {}  # check id -> how many of its fields are the left side
        for rule in self.template.rules:
            if rule.kind == "equation":
                doc.checks += self._equation(doc, rule, fmt, lhs_count)
            elif rule.kind in ("inequality", "same_applicability"):
                doc.checks += self._relation(doc, rule, fmt)
            elif rule.kind == "non_negative":
                doc.checks += self._non_negative(doc, rule)
            else:
                doc.checks += self._prose_vs_table(doc, rule)
        self._repair(doc, lhs_count)
        axes = self._axes(doc)
        # a one-sided bound (inequality, applicability) that holds confirms little: only its
        # failure counts
        bounds = {r.id for r in self.template.rules if r.kind != "equation"}
        cleared = _cleared(doc.checks, axes)
        for check in doc.checks:
            if check.severity != "hard" or check.passed is None:
                continue
            if check.passed and check.rule.split("[")[0] in bounds:
                continue
            for path in check.fields:
                f = doc.fields[path]
                key = "checks_passed" if check.passed else "checks_failed"
                f.features[key] = f.features.get(key, 0.0) + 1
                if not check.passed and path not in cleared:
                    f.review.reasons.append(f"check_failed:{check.rule}")
        for path, by_axis in axes.items():
            cell = doc.fields.get(path)
            if cell is None:
                continue
            if path in cleared:
                cell.features["exonerated"] = 1.0
            elif cell.features.get("position_uncertain") and _confirmed(by_axis):
                cell.features["position_confirmed"] = 1.0
        return doc

    def _axes(self, doc: ReportDoc) -> dict[str, dict[str, list[bool | None]]]:
        """Per field: axis (row | column) -> outcomes of the hard relations with an axis that
        the field is in (True passed, False failed, None not assessable)."""
        axis = {r.id: r.axis for r in self.template.rules if r.axis}
        out: dict[str, dict[str, list[bool | None]]] = {}
        for check in doc.checks:
            a = axis.get(check.rule.split("[")[0])
            if a is None or check.severity != "hard":
                continue
            for path in check.fields:
                out.setdefault(path, {}).setdefault(a, []).append(check.passed)
            if check.passed and not any(_nonzero(doc.fields.get(p)) for p in check.fields):
                # 0 = 0 holds wherever the zeros sit: it vouches for values, not positions
                for path in check.fields:
                    out[path].setdefault("zeros_only", []).append(True)
        return out

    def recheck(self, fields: dict[str, ReportField], fmt: Format) -> list[CheckRecord]:
        """The equation and non-negative checks over `fields`, in rule order, marking nothing.

        For values that changed after extraction (the review page re-runs a document's checks
        after a correction). Prose-vs-table checks are left out: they need the prose figures,
        which only the working document holds."""
        doc = ReportDoc(source=Source(path="(recheck)"), fields=fields)
        out: list[CheckRecord] = []
        for rule in self.template.rules:
            if rule.kind == "equation":
                out += self._equation(doc, rule, fmt, {})
            elif rule.kind in ("inequality", "same_applicability"):
                out += self._relation(doc, rule, fmt)
            elif rule.kind == "non_negative":
                out += self._non_negative(doc, rule)
        return out

    @staticmethod
    def _format(doc: ReportDoc) -> Format:
        for table in doc.tables:
            if table.kind == "applications" and table.format != "unknown":
                return table.format
        return "2019" if doc.template.version == "2019" else "2021"

    def _equation(
        self, doc: ReportDoc, rule: RuleSpec, fmt: Format, lhs_count: dict[str, int]
    ) -> list[CheckRecord]:
        out = []
        for rule_id, lhs, rhs in self._bindings(rule, fmt):
            out.append(self._evaluate(doc, rule_id, lhs, rhs, rule.severity))
            lhs_count[rule_id] = len(lhs)
        return out

    def _terms(
        self, terms: list[str], binding: dict[str, str], rule: RuleSpec, fmt: Format
    ) -> list[str]:
        paths = []
        for term in terms:
            term = _expand(term, binding)
            for name, list_name in rule.sum_over.items():
                if "{" + name + "}" in term:
                    paths += [
                        _expand(term, {name: v}) for v in self.template.named_list(list_name, fmt)
                    ]
                    break
            else:
                paths.append(term)
        return paths

    def _evaluate(
        self, doc: ReportDoc, rule_id: str, lhs: list[str], rhs: list[str], severity: Severity
    ) -> CheckRecord:
        clean_label = self.clean_label
        paths = lhs + rhs
        fields = [doc.fields.get(p) for p in paths]
        record = CheckRecord(rule=rule_id, passed=None, fields=paths, severity=severity)
        unusable = [
            p for p, f in zip(paths, fields, strict=True) if f is None or f.semantic not in _NUMERIC
        ]
        if unusable:
            record.detail = f"not assessable: {len(unusable)} value(s) missing or not numeric"
            return record
        values = [
            float(f.value) for f in fields if f is not None and isinstance(f.value, int | float)
        ]
        left, right = sum(values[: len(lhs)]), sum(values[len(lhs) :])
        record.detail = f"{_fmt(left)} vs {_fmt(right)}"
        lhs_fields = [doc.fields[p] for p in lhs]
        if math.isclose(left, right, abs_tol=1e-6):
            record.passed = True
        elif all(f.semantic == Semantic.blank for f in lhs_fields) and right > 0:
            record.detail += "; total left blank in the source (blank is not a contradiction)"
        else:
            record.passed = False
            if all(_clean(doc.fields[p], clean_label, self.clean_ocr) for p in paths):
                record.detail += "; source inconsistent: every cell was read unambiguously"
        return record

    def _bindings(self, rule: RuleSpec, fmt: Format) -> Iterator[tuple[str, list[str], list[str]]]:
        """Each binding of the rule's placeholders: the check's id and its lhs and rhs paths."""
        names = list(rule.for_each)
        lists = [self.template.named_list(rule.for_each[n], fmt) for n in names]
        for combo in itertools.product(*lists):
            binding = dict(zip(names, combo, strict=True))
            label = ",".join(combo)
            yield (
                f"{rule.id}[{label}]" if label else rule.id,
                self._terms(rule.lhs, binding, rule, fmt),
                self._terms(rule.rhs, binding, rule, fmt),
            )

    def _relation(self, doc: ReportDoc, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        """`inequality` (sum lhs >= sum rhs) and `same_applicability` (the lhs cells are all
        "/" or none is), one check per binding; a binding none of whose cells the document
        has (the other table format) gives no check."""
        out = []
        for rule_id, lhs, rhs in self._bindings(rule, fmt):
            paths = lhs + rhs
            fields = [doc.fields.get(p) for p in paths]
            if all(f is None or f.semantic == Semantic.missing for f in fields):
                continue
            record = CheckRecord(
                rule=rule_id,
                passed=None,
                fields=paths,
                severity=rule.severity,
            )
            out.append(record)
            if rule.kind == "same_applicability":
                na = [f is not None and f.semantic == Semantic.not_applicable for f in fields]
                if all(f is not None and f.semantic != Semantic.missing for f in fields):
                    record.passed = all(na) or not any(na)
                    record.detail = f"{sum(na)} of {len(na)} cells not applicable"
                continue
            if any(f is None or f.semantic not in _NUMERIC for f in fields):
                record.detail = "not assessable: a value missing or not numeric"
                continue
            values = [
                float(f.value) for f in fields if f is not None and isinstance(f.value, int | float)
            ]
            left, right = sum(values[: len(lhs)]), sum(values[len(lhs) :])
            record.passed = left >= right - 1e-6
            record.detail = f"{_fmt(left)} >= {_fmt(right)}"
        return out

    def _repair(self, doc: ReportDoc, lhs_count: dict[str, int]) -> None:
        axis = {r.id: r.axis for r in self.template.rules if r.axis}
        failed: dict[str, list[CheckRecord]] = {}
        for check in doc.checks:
            base = check.rule.split("[")[0]
            if check.passed is False and check.severity == "hard" and base in axis:
                failed.setdefault(check.fields[0].split(".")[0], []).append(check)
        for checks in failed.values():
            axes = {axis[c.rule.split("[")[0]] for c in checks}
            common = set(checks[0].fields).intersection(*(c.fields for c in checks[1:]))
            if axes != {"row", "column"} or len(common) != 1:
                continue
            path = common.pop()
            implied = {self._implied(doc, c, lhs_count[c.rule], path) for c in checks}
            if len(implied) != 1:
                continue
            value = implied.pop()
            if value is None or value < 0:
                continue
            field = doc.fields[path]
            rules = ",".join(c.rule for c in checks)
            read = field.raw
            implied_text = _fmt(value)
            if "ocr_confidence" not in field.features:
                # read from text, not pixels: the source prints this value, so the source is
                # inconsistent in itself; the cell is named, its value kept
                for c in checks:
                    c.detail += (
                        f"; source inconsistent at {path}: printed {read!r},"
                        f" the relations imply {implied_text}"
                    )
                continue
            field.value = int(value) if float(value).is_integer() else value
            field.semantic = Semantic.zero if value == 0 else Semantic.number
            field.method = "repaired.consistency"
            field.features["repaired"] = 1.0
            field.review.reasons.append(f"repaired_consistency:{rules}")
            for c in checks:
                c.passed = True
                c.detail += f"; passes after repairing {path}: read {read!r}, implied {field.value}"

    @staticmethod
    def _implied(doc: ReportDoc, check: CheckRecord, n_lhs: int, path: str) -> float | None:
        """The value `path` must have for the check's equation to hold."""
        values: dict[str, float] = {}
        for p in check.fields:
            v = doc.fields[p].value
            if not isinstance(v, int | float):
                return None
            values[p] = float(v)
        left = sum(values[p] for p in check.fields[:n_lhs] if p != path)
        right = sum(values[p] for p in check.fields[n_lhs:] if p != path)
        return right - left if path in check.fields[:n_lhs] else left - right

    def _non_negative(self, doc: ReportDoc, rule: RuleSpec) -> list[CheckRecord]:
        bad = [
            p
            for p, f in doc.fields.items()
            if p.split(".")[0] in rule.prefixes
            and p.split(".")[-1] not in rule.except_columns
            and isinstance(f.value, int | float)
            and f.semantic in _NUMERIC
            and f.value < 0
        ]
        if not bad:
            return [CheckRecord(rule=rule.id, passed=True, detail="no negative counts")]
        return [
            CheckRecord(rule=f"{rule.id}[{p}]", passed=False, fields=[p], detail="negative count")
            for p in bad
        ]

    @staticmethod
    def _prose_vs_table(doc: ReportDoc, rule: RuleSpec) -> list[CheckRecord]:
        out = []
        for target, prose in doc.prose_figures.items():
            table = doc.fields.get(target)
            if (
                table is None
                or not table.method.startswith("table.")
                or table.semantic not in _NUMERIC
            ):
                continue
            passed = prose.value == table.value
            detail = f"prose {prose.raw!r} vs table {table.raw!r}"
            if not passed:
                detail += "; prose and tables often count different things: evidence, not an error"
            out.append(
                CheckRecord(
                    rule=f"{rule.id}[{target}]",
                    passed=passed,
                    fields=[target],
                    detail=detail,
                    severity="soft",
                )
            )
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
        feats.get("position_uncertain", 0.0) == 0.0
        and feats.get("label_score", 1.0) >= min_label
        and feats.get("ocr_confidence", 1.0) >= min_ocr
        and not any(feats.get(k) for k in ("cell_split", "cell_reread", "inferred_rule"))
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
