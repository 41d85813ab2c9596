"""checks: run the 勾稽 relations of pipeline/template/rules.yaml over the fields.

Each rule expands into one check per binding (per column, per row, per group). A check is
`passed: null` when a value it needs is missing, not applicable or not a number. A failed hard
check names its fields; each gets `checks_failed` (lowering its confidence) and the review
reason `check_failed:<rule>`; a passed one adds `checks_passed`. When every cell in a failed
check was read with a certain position and a clean label, the detail says the source itself is
inconsistent rather than blaming the reading. Soft rules (prose vs table) only report.
"""

from __future__ import annotations

import itertools
import math

from pipeline.datamodel.document import ReportDoc
from pipeline.datamodel.record import CheckRecord, ReportField, Semantic, Severity, Source
from pipeline.settings import TableSettings
from pipeline.template import Template
from pipeline.template.loader import Format, RuleSpec

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

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        fmt = self._format(doc)
        for rule in self.template.rules:
            if rule.kind == "equation":
                doc.checks += self._equation(doc, rule, fmt)
            elif rule.kind == "non_negative":
                doc.checks += self._non_negative(doc, rule)
            else:
                doc.checks += self._prose_vs_table(doc, rule)
        for check in doc.checks:
            if check.severity != "hard" or check.passed is None:
                continue
            for path in check.fields:
                f = doc.fields[path]
                key = "checks_passed" if check.passed else "checks_failed"
                f.features[key] = f.features.get(key, 0.0) + 1
                if not check.passed:
                    f.review.reasons.append(f"check_failed:{check.rule}")
        return doc

    def recheck(self, fields: dict[str, ReportField], fmt: Format) -> list[CheckRecord]:
        """The equation and non-negative checks over `fields`, in rule order, marking nothing.

        For values that changed after extraction (the review page re-runs a document's checks
        after a correction). Prose-vs-table checks are left out: they need the prose figures,
        which only the working document holds."""
        doc = ReportDoc(source=Source(path="(recheck)"), fields=fields)
        out: list[CheckRecord] = []
        for rule in self.template.rules:
            if rule.kind == "equation":
                out += self._equation(doc, rule, fmt)
            elif rule.kind == "non_negative":
                out += self._non_negative(doc, rule)
        return out

    @staticmethod
    def _format(doc: ReportDoc) -> Format:
        for table in doc.tables:
            if table.kind == "applications" and table.format != "unknown":
                return table.format
        return "2019" if doc.template.version == "2019" else "2021"

    def _equation(self, doc: ReportDoc, rule: RuleSpec, fmt: Format) -> list[CheckRecord]:
        names = list(rule.for_each)
        lists = [self.template.named_list(rule.for_each[n], fmt) for n in names]
        out = []
        for combo in itertools.product(*lists):
            binding = dict(zip(names, combo, strict=True))
            lhs = self._terms(rule.lhs, binding, rule, fmt)
            rhs = self._terms(rule.rhs, binding, rule, fmt)
            label = ",".join(combo)
            rule_id = f"{rule.id}[{label}]" if label else rule.id
            out.append(self._evaluate(doc, rule_id, lhs, rhs, rule.severity))
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
            if all(_clean(doc.fields[p], clean_label) for p in paths):
                record.detail += "; source inconsistent: every cell was read unambiguously"
        return record

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


def _clean(f: ReportField, min_label: float) -> bool:
    """Read unambiguously: position certain and label matched at least `min_label`."""
    return (
        f.features.get("position_uncertain", 0.0) == 0.0
        and f.features.get("label_score", 1.0) >= min_label
    )


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
