"""pipeline/template/archive_rules.yaml as typed data (see the comments in that file)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from ..template.loader import Template, load_template

RULES_FILE = Path(__file__).resolve().parent.parent / "template" / "archive_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CrossYearRule(_Strict):
    id: str
    description: str
    severity: Literal["hard", "soft"]
    raises_confidence: bool = False  # agreement raises its fields' confidence (agreement.py)
    for_each: dict[str, str] = {}
    lhs: list[str]
    rhs: list[str]

    @model_validator(mode="after")
    def _one_cell_each(self) -> CrossYearRule:
        if self.raises_confidence and (len(self.lhs), len(self.rhs)) != (1, 1):
            raise ValueError(
                f"archive rule {self.id}: raises_confidence needs one term on each side"
            )
        return self


class IdentitySpec(_Strict):
    renames: list[str]
    rename_triggers: list[str]
    old_name_separators: list[str]
    confusions: list[tuple[str, str]]


class ArchiveRules(_Strict):
    cross_year: list[CrossYearRule]
    same_report_fields: list[str]
    series_figures: dict[str, list[str]]
    identity: IdentitySpec


@dataclass(frozen=True)
class Term:
    side: Literal["a", "b"]
    path: str
    sign: int  # +1 or -1


@dataclass(frozen=True)
class BoundCheck:
    """One cross-year rule bound to one name of its list (or unbound)."""

    rule: CrossYearRule
    binding: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]

    @property
    def paths(self) -> set[str]:
        return {t.path for t in (*self.lhs, *self.rhs)}

    def fields(self, side: str) -> list[str]:
        return [t.path for t in (*self.lhs, *self.rhs) if t.side == side]

    @property
    def expected(self) -> str:
        def show(terms: tuple[Term, ...]) -> str:
            out = ""
            for i, t in enumerate(terms):
                op = "-" if t.sign < 0 else ("+" if i else "")
                out += f" {op} {t.side}.{t.path}" if op else f"{t.side}.{t.path}"
            return out.strip()

        return f"{show(self.lhs)} == {show(self.rhs)}"


def _term(text: str, binding: dict[str, str]) -> Term:
    sign = -1 if text.startswith("-") else 1
    side, path = text.lstrip("-").split(":", 1)
    if side not in ("a", "b"):
        raise ValueError(f"archive rule term {text!r}: side must be a or b")
    return Term(side, path.format(**binding), sign)  # type: ignore[arg-type]


@cache
def load_archive_rules() -> ArchiveRules:
    with RULES_FILE.open(encoding="utf-8") as fh:
        return ArchiveRules.model_validate(yaml.safe_load(fh))


@cache
def bound_checks() -> tuple[BoundCheck, ...]:
    """Every cross-year rule expanded over its lists (the 2021 lists: applicant columns are the
    same in both formats)."""
    template: Template = load_template()
    out: list[BoundCheck] = []
    for rule in load_archive_rules().cross_year:
        if not rule.for_each:
            bindings: list[dict[str, str]] = [{}]
        else:
            ((name, listed),) = rule.for_each.items()
            bindings = [{name: v} for v in template.named_list(listed, "2021")]
        for b in bindings:
            out.append(
                BoundCheck(
                    rule=rule,
                    binding=next(iter(b.values()), ""),
                    lhs=tuple(_term(t, b) for t in rule.lhs),
                    rhs=tuple(_term(t, b) for t in rule.rhs),
                )
            )
    return tuple(out)
