"""The tables' numbers, drawn from the seeded generator so that every 勾稽 relation holds."""

from __future__ import annotations

import itertools
import math
import random
from typing import ClassVar

from ..template.loader import Format, RowSpec, Template
from .model import Value, count_at
from .specs import Spec


class Numbers:
    """Draws the tables' numbers so that every 勾稽 relation holds (report-format.md §5)."""

    # Shares of the applicant columns and of the result rows, roughly as in real reports.
    APPLICANT_WEIGHTS: ClassVar[dict[str, float]] = {
        "natural_person": 0.87,
        "commercial": 0.07,
        "research": 0.004,
        "social_welfare": 0.006,
        "legal_services": 0.03,
        "other_org": 0.02,
    }
    LEAF_WEIGHTS: ClassVar[dict[str, float]] = {
        "disclosed": 0.34,
        "partially_disclosed": 0.09,
        "not_disclosed.state_secret": 0.003,
        "not_disclosed.prohibited_by_law": 0.012,
        "not_disclosed.three_safety_one_stability": 0.004,
        "not_disclosed.third_party_rights": 0.01,
        "not_disclosed.internal_affairs": 0.01,
        "not_disclosed.process_info": 0.015,
        "not_disclosed.enforcement_case_files": 0.008,
        "not_disclosed.administrative_query": 0.03,
        "cannot_provide.not_held": 0.24,
        "cannot_provide.needs_creation": 0.02,
        "cannot_provide.unclear_after_correction": 0.012,
        "not_processed.petition_complaint": 0.03,
        "not_processed.repeated": 0.015,
        "not_processed.publications": 0.004,
        "not_processed.mass_repeated": 0.004,
        "not_processed.confirm_or_reissue": 0.006,
        "other.overdue_correction": 0.03,
        "other.overdue_fee": 0.004,
        "other.other": 0.035,
    }

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def spread(self, n: int, weights: dict[str, float]) -> dict[str, int]:
        """Split n into the keys by weight (a seeded multinomial, stable across Python versions)."""
        keys = list(weights)
        cum = list(itertools.accumulate(weights[k] for k in keys))
        out = dict.fromkeys(keys, 0)
        for _ in range(n):
            x = self.rng.random() * cum[-1]
            out[keys[next(i for i, c in enumerate(cum) if x <= c)]] += 1
        return out

    def around(self, base: float, spread: float = 0.35) -> int:
        return max(0, round(base * (1 + self.rng.uniform(-spread, spread))))


def t3_rows(t: Template, fmt: Format) -> list[RowSpec]:
    return t.tables.applications.rows_for(fmt)


def make_numbers(spec: Spec, t: Template, rng: random.Random) -> tuple[dict[str, Value], list[str]]:
    """Intended values of the three tables; then the spec's faults change one printed cell."""
    num = Numbers(rng)
    apps = t.tables.applications
    applicants = [c.key for c in apps.columns if not c.is_total]
    leaves = [r.key for r in t3_rows(t, spec.t3_format) if r.leaf]
    weights = {k: w for k, w in num.LEAF_WEIGHTS.items() if k in leaves}
    if spec.t3_format == "2019":  # the single （六）其他处理 row takes what 2021 splits in three
        weights["other.other"] = 0.07
    values: dict[str, Value] = {}
    notes: list[str] = []

    processed = num.around(spec.scale)
    per_col = num.spread(processed, num.APPLICANT_WEIGHTS)
    for col in applicants:
        cells = num.spread(per_col[col], weights)
        for leaf in leaves:
            values[f"applications.{leaf}.{col}"] = cells[leaf]
        total = per_col[col]
        forward = round(total * rng.uniform(0.0, 0.08))
        back = min(total + forward, round(total * rng.uniform(0.0, 0.07)))
        values[f"applications.total.{col}"] = total
        values[f"applications.carried_forward.{col}"] = forward
        values[f"applications.carried_over.{col}"] = back
        values[f"applications.new.{col}"] = total + forward - back
    for row in apps.row_keys():
        cols = [values.get(f"applications.{row}.{c}") for c in applicants]
        nums = [v for v in cols if v is not None]
        if len(nums) == len(cols):
            values[f"applications.{row}.total"] = sum(nums)
    for row in apps.row_keys():  # rows the format does not have: missing
        for c in apps.columns:
            values.setdefault(f"applications.{row}.{c.key}", None)

    rl = t.tables.review_litigation
    parts = [c.key for c in rl.columns if not c.is_total]
    base = 0 if spec.zero_t4 else max(0.0, math.log10(max(spec.scale, 1)) - 0.6)
    for g, factor in zip(rl.groups, (6.0, 2.5, 1.5), strict=True):
        split = {p: 0 for p in parts}
        if base:
            split = num.spread(
                num.around(base * factor, 0.6), dict(zip(parts, (5, 1.5, 2, 1.5), strict=True))
            )
        for p in parts:
            values[f"review_litigation.{g.key}.{p}"] = split[p]
        values[f"review_litigation.{g.key}.total"] = sum(split.values())

    values.update(_table_two(spec, num, rng))

    for fault in spec.faults:
        if fault == "t3_cell":
            # One applicant cell printed one too high; its row total and column total were
            # computed from the right value, so exactly one row and one column relation break.
            path = "applications.disclosed.commercial"
            if values[path] == 0:
                path = "applications.disclosed.natural_person"
            right = count_at(values, path)
            values[path] = right + 1
            notes.append(
                f"Deliberate fault: {path} is printed {right + 1}; every total around it was "
                f"computed with {right}, the value the relations imply."
            )
        elif fault == "t4_total":
            path = "review_litigation.litigation_direct.total"
            right = count_at(values, path)
            values[path] = right + 1
            notes.append(
                f"Deliberate fault: {path} (未经复议直接起诉 总计) is printed {right + 1}; its"
                " four "
                f"parts add up to {right}."
            )
    return values, notes


def _table_two(spec: Spec, num: Numbers, rng: random.Random) -> dict[str, Value]:
    """Table 二 in the report's format; 2019 also fills the 2021 keys it has a counterpart for."""
    s = spec.scale
    out: dict[str, Value] = {}
    licensing = num.around(s * 9 + 40)
    penalty = num.around(s * 2 + 10)
    coercion = num.around(s * 0.15 + 1, 0.6)
    rules = (
        (num.around(3, 0.7), num.around(1, 1.0), num.around(25, 0.6))
        if spec.makes_rules
        else (0, 0, 0)
    )
    norm_made = num.around(4 + s / 60, 0.6)
    norm = (norm_made, min(norm_made, num.around(2 + s / 150, 0.8)), num.around(12 + s / 8, 0.5))
    if spec.t2_format == "2021":
        for key, v in zip(("issued", "repealed", "in_force"), rules, strict=True):
            out[f"active_disclosure.regulations.{key}"] = None if spec.rules_na else v
        for key, v in zip(("issued", "repealed", "in_force"), norm, strict=True):
            out[f"active_disclosure.normative_documents.{key}"] = v
        out["active_disclosure.licensing_decisions"] = licensing
        out["active_disclosure.penalty_decisions"] = penalty
        out["active_disclosure.coercion_decisions"] = coercion
        # 街道 and 乡镇 offices levy no 行政事业性收费 of their own
        levies = spec.level not in ("street", "town") and rng.random() < 0.8
        fee = round(rng.uniform(0.5, 40) * max(1, s / 100), 2) if levies else 0
        out["active_disclosure.admin_fees_10k_yuan"] = fee
        return out
    v19 = "active_disclosure.v2019"
    made_r = rules[0]
    out[f"{v19}.regulations.new_made"] = made_r
    out[f"{v19}.regulations.new_published"] = made_r
    out[f"{v19}.regulations.total_published"] = rules[2]
    out[f"{v19}.normative_documents.new_made"] = norm[0]
    out[f"{v19}.normative_documents.new_published"] = max(
        0, norm[0] - (1 if rng.random() < 0.3 else 0)
    )
    out[f"{v19}.normative_documents.total_published"] = norm[2]
    for key, processed, prev in (
        ("licensing", licensing, num.around(20 + s / 20)),
        ("other_admin_services", num.around(s * 2 + 5), num.around(8 + s / 50)),
        ("punishment", penalty, num.around(40 + s / 4)),
        ("coercion", coercion, num.around(4 + s / 100)),
    ):
        out[f"{v19}.{key}.prev_count"] = prev
        out[f"{v19}.{key}.delta"] = rng.randint(-max(1, prev // 8), max(1, prev // 6))
        out[f"{v19}.{key}.processed"] = processed
    fees_prev = num.around(3 + s / 200)
    out[f"{v19}.admin_fees.prev_count"] = fees_prev
    out[f"{v19}.admin_fees.delta"] = rng.randint(-min(2, fees_prev), 1)
    projects = num.around(2 + s / 80)
    out[f"{v19}.central_procurement.project_count"] = projects
    out[f"{v19}.central_procurement.total_amount"] = projects * rng.randint(2, 90) * 1000
    out["active_disclosure.licensing_decisions"] = licensing
    out["active_disclosure.penalty_decisions"] = penalty
    out["active_disclosure.coercion_decisions"] = coercion
    for key in ("issued", "repealed", "in_force"):
        out[f"active_disclosure.regulations.{key}"] = None
        out[f"active_disclosure.normative_documents.{key}"] = None
    out["active_disclosure.admin_fees_10k_yuan"] = None
    return out
