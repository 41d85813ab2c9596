"""Load and validate the template YAML files into typed models (read once per process)."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

HERE = Path(__file__).parent
Format = Literal["2019", "2021"]
RuleKind = Literal["equation", "inequality", "same_applicability", "non_negative", "prose_vs_table"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionSpec(_Strict):
    number: int
    key: str
    canonical: str
    variants: list[str]


class ColumnSpec(_Strict):
    key: str
    labels: list[str]
    is_total: bool = False


class RowSpec(_Strict):
    key: str
    labels: list[str]
    columns: list[str] | None = None  # None: a single-value row (the key is the field)
    leaf: bool = False
    decimal: bool = False
    formats: list[Format] | None = None  # None: in every format


class GroupSpec(_Strict):
    key: str
    labels: list[str]


class DisclosureFormat(_Strict):
    detect: list[str]
    rows: list[RowSpec]
    column_labels: dict[str, str]
    record_block: str | None = None
    signed_columns: list[str] = []
    maps_to_2021: dict[str, str] = {}


class ActiveDisclosureSpec(_Strict):
    title: str
    formats: dict[Format, DisclosureFormat]


class ApplicationsSpec(_Strict):
    title: str
    columns: list[ColumnSpec]
    groups: list[GroupSpec]
    rows: list[RowSpec]
    detect_2021_rows: list[str]

    def rows_for(self, fmt: Format) -> list[RowSpec]:
        return [r for r in self.rows if r.formats is None or fmt in r.formats]

    def row_keys(self) -> list[str]:
        """Every row key of the record (the union of both formats, in template order)."""
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r.key, None)
        return list(seen)


class ReviewLitigationSpec(_Strict):
    title: str
    groups: list[GroupSpec]
    columns: list[ColumnSpec]


class CellValues(_Strict):
    not_applicable: list[str]
    ocr_confusables: dict[str, str]
    ocr_lone_confusables: dict[str, str]
    ocr_strays: list[str]
    units: list[str]


class TablesSpec(_Strict):
    active_disclosure: ActiveDisclosureSpec
    applications: ApplicationsSpec
    review_litigation: ReviewLitigationSpec
    cell_values: CellValues


class RuleSpec(_Strict):
    id: str
    description: str
    kind: RuleKind = "equation"
    severity: Literal["hard", "soft"] = "hard"
    for_each: dict[str, str] = {}
    sum_over: dict[str, str] = {}
    lhs: list[str] = []
    rhs: list[str] = []
    prefixes: list[str] = []
    except_columns: list[str] = []
    # repair: which way the relation runs through a table (a row sum or a column sum); a cell
    # that is in every failed relation, among them a row and a column one, is located
    axis: Literal["row", "column"] | None = None


class Binding(BaseModel):
    """One check a rule expands into: the binding's label and the paths of each side."""

    rule_id: str
    label: str
    lhs: list[str]
    rhs: list[str]


class QuantitySpec(_Strict):
    number: str
    approx_after: list[str]
    approx_before: list[str]
    units: list[str]
    numeral_token: str
    clause_breaks: list[str]
    max_gap_tokens: int
    joiners: list[str]
    # a bare Arabic number right after one of these words at the end of a clause is a figure
    # with no unit (结转上年申请数量为0): only prose figures that list "" among their units take it
    bare_number_after: list[str] = []
    # words right before a trigger that deny it (未纠错, 未被纠正): no figure is read for it
    negations: list[str] = []


class ItemSpec(_Strict):
    description: str
    triggers: list[str]
    units: list[str]
    exclude_in_clause: list[str] = []
    zero_patterns: list[str] = []
    # a clause break right before one of these words does not end the search
    # (…收取信息处理费，合计480元)
    continue_after_break: list[str] = []
    aggregate: Literal["first", "sum_in_sentence"] = "first"


class ProseFigureSpec(_Strict):
    """A figure the prose states for a table path (items.yaml `prose_figures`)."""

    target: str  # a record path; `{group}`: the table-四 group named last before the trigger
    triggers: list[str]
    units: list[str]
    requires: list[str] = []  # one of these must be in the trigger's clause (what is counted)
    exclude_in_clause: list[str] = []  # none of these may be in the trigger's clause
    exclude_between: list[str] = []  # ... nor between the trigger and its figure
    # where the figure may stand before its trigger: nowhere, right before it (1件尚未审结),
    # or anywhere earlier in its clause (9件申请均已答复) when none follows the trigger
    before: Literal["none", "adjacent", "clause"] = "none"
    # a figure earlier in the clause (not right before the trigger) needs one of these between
    # them (9件申请均已答复: all of them; not 其中5件已答复, a part)
    before_requires: list[str] = []
    # ... and may be another trigger's figure too with one of these between them (已办理的3件
    # 均属于本机关不掌握: the 3 are both)
    share_when: list[str] = []
    max_gap_tokens: int | None = None  # None: quantity.max_gap_tokens
    # a trigger with no figure in its clause says the path has this path's value
    # (行政复议1件，尚未审结: pending = the group's total)
    else_same_as: str | None = None


class ProseGroupSpec(_Strict):
    """Words naming a table-四 group, and the record groups they mean (more than one: a union
    only a 0 can be split, 行政诉讼 without 直接起诉 / 复议后起诉)."""

    words: list[str]
    groups: list[str]


class ProseStatementSpec(_Strict):
    """A phrasing that gives table paths a value without a figure of its own."""

    description: str
    patterns: list[str]
    exclude: list[str] = []  # a match whose clause holds one of these is not the statement
    zero: list[str] = []  # record paths (fnmatch globs) that are 0: 未收到申请
    same_as: dict[str, str] = {}  # path -> the path whose figure it takes (均为自然人)


class DeriveSpec(_Strict):
    """Consequences of prose figures by rules.yaml equations (one total = the sum of its parts)."""

    rules: list[str] = []  # the equations used
    # parts the text gives with figures, at least this many, adding up to the total: the
    # text enumerates every case, so the other parts are 0
    enumerated_parts: int = 2


class ItemsSpec(_Strict):
    quantity: QuantitySpec
    items: dict[str, ItemSpec]
    prose_groups: dict[str, ProseGroupSpec] = {}
    prose_figures: list[ProseFigureSpec]
    prose_statements: list[ProseStatementSpec] = []
    derive: DeriveSpec = Field(default_factory=DeriveSpec)


class NoiseSpec(_Strict):
    furniture: list[str]
    navigation_item: list[str]
    bullet: str
    never_navigation: list[str]
    pasted_page_labels: list[str]
    html_drop_tags: list[str]
    html_drop_class_words: list[str]
    html_block_tags: list[str]
    markdown_blank_cells: list[str]
    markdown_placeholder_headers: list[str]


class MentionSpec(_Strict):
    """A sentence that names the agency (sections.yaml `meta.mentions`)."""

    kind: str
    pattern: str  # regex on the simplified key, with a `name` group
    prefix: bool = False  # the group is a clause: the name is its longest agency-shaped start


class MetaSpec(_Strict):
    """Page labels and the shapes of agency names (sections.yaml `meta`; stages/agency.py)."""

    written_date_labels: list[str]
    title_labels: list[str]
    agency_labels: list[str]
    page_labels: list[str]
    breadcrumb_marks: list[str]
    organ_suffixes: list[str]
    inner_organs: list[str]
    place_suffixes: list[str]
    government_suffixes: list[str]
    equivalent_suffixes: list[list[str]]
    national_starts: list[str]
    national_suffixes: list[str]
    not_places: list[str]
    short_starts: list[str]
    pronouns: list[str]
    qualified_starts: list[str]
    not_in_names: list[str]
    site_suffixes: list[str]
    subunits: list[str]
    mentions: list[MentionSpec]
    period_year: str


class Template(_Strict):
    sections: list[SectionSpec]
    title_markers: list[str]
    title_stems: list[str]
    heading_strip: str
    date_labels: list[str]
    meta: MetaSpec
    publish_deadline: str  # "MM-DD" of the year after the report year (条例 第四十九条)
    tables: TablesSpec
    rules: list[RuleSpec]
    items: ItemsSpec
    noise: NoiseSpec = Field(repr=False)

    # ---- lists that rules and record models are built from -------------------------------
    def named_list(self, name: str, fmt: Format) -> list[str]:
        """Resolve a list name used in rules.yaml (see the comment at its top)."""
        apps = self.tables.applications
        rl = self.tables.review_litigation
        lists: dict[str, list[str]] = {
            "applications.columns": [c.key for c in apps.columns],
            "applications.applicants": [c.key for c in apps.columns if not c.is_total],
            "applications.rows": [r.key for r in apps.rows_for(fmt)],
            "applications.leaves": [r.key for r in apps.rows_for(fmt) if r.leaf],
            "review_litigation.groups": [g.key for g in rl.groups],
            "review_litigation.parts": [c.key for c in rl.columns if not c.is_total],
            # table 二 rows counting documents (规章, 规范性文件): the rows with columns in both
            "active_disclosure.documents": [
                r.key
                for r in self.tables.active_disclosure.formats["2021"].rows
                if r.columns
                and any(
                    r.key == r19.key and r19.columns
                    for r19 in self.tables.active_disclosure.formats["2019"].rows
                )
            ],
        }
        try:
            return lists[name]
        except KeyError:
            raise KeyError(
                f"rules.yaml names an unknown list {name!r}; known: {sorted(lists)}"
            ) from None

    def bindings(self, rule: RuleSpec, fmt: Format) -> list[Binding]:
        """Each binding of a rule's `for_each` placeholders: its label ("disclosed", "review",
        "" for a rule without placeholders) and the paths of each side, with every `sum_over`
        placeholder expanded over its list (the checks stage and the table decoder use these)."""
        names = list(rule.for_each)
        lists = [self.named_list(rule.for_each[n], fmt) for n in names]
        out = []
        for combo in itertools.product(*lists):
            binding = dict(zip(names, combo, strict=True))
            out.append(
                Binding(
                    rule_id=rule.id,
                    label=",".join(combo),
                    lhs=self._terms(rule.lhs, binding, rule, fmt),
                    rhs=self._terms(rule.rhs, binding, rule, fmt),
                )
            )
        return out

    def _terms(
        self, terms: list[str], binding: dict[str, str], rule: RuleSpec, fmt: Format
    ) -> list[str]:
        paths = []
        for term in terms:
            term = _expand(term, binding)
            for name, list_name in rule.sum_over.items():
                if "{" + name + "}" in term:
                    paths += [_expand(term, {name: v}) for v in self.named_list(list_name, fmt)]
                    break
            else:
                paths.append(term)
        return paths

    def table_field_paths(self) -> list[str]:
        """Every table field path of the record, in template order."""
        paths = self._active_disclosure_paths("2021") + self._active_disclosure_paths("2019")
        apps = self.tables.applications
        for rk in apps.row_keys():
            paths += [f"applications.{rk}.{c.key}" for c in apps.columns]
        rl = self.tables.review_litigation
        for g in rl.groups:
            paths += [f"review_litigation.{g.key}.{c.key}" for c in rl.columns]
        return paths

    def _active_disclosure_paths(self, fmt: Format) -> list[str]:
        """Table 二's record paths in format `fmt` (the 2019 ones under its `record_block`)."""
        layout = self.tables.active_disclosure.formats[fmt]
        prefix = ".".join(filter(None, ["active_disclosure", layout.record_block]))
        paths: list[str] = []
        for row in layout.rows:
            if row.columns:
                paths += [f"{prefix}.{row.key}.{c}" for c in row.columns]
            else:
                paths.append(f"{prefix}.{row.key}")
        return paths

    def format_field_paths(self, kind: str, fmt: Format) -> set[str]:
        """The record paths table `kind` printed in format `fmt` can fill (for table 二 in the
        2019 format: its v2019 cells and the 2021 keys they map to)."""
        if kind == "active_disclosure":
            layout = self.tables.active_disclosure.formats[fmt]
            mapped = {f"{kind}.{dst}" for dst in layout.maps_to_2021.values()}
            return set(self._active_disclosure_paths(fmt)) | mapped
        if kind == "applications":
            apps = self.tables.applications
            return {f"{kind}.{r.key}.{c.key}" for r in apps.rows_for(fmt) for c in apps.columns}
        return {p for p in self.table_field_paths() if p.startswith(kind + ".")}


def _expand(term: str, bindings: dict[str, str]) -> str:
    for name, value in bindings.items():
        term = term.replace("{" + name + "}", value)
    return term


def _read(name: str) -> dict[str, Any]:
    with (HERE / name).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"template file {name} must hold a mapping")
    return data


@cache
def load_template() -> Template:
    sections = _read("sections.yaml")
    return Template(
        sections=sections["sections"],
        title_markers=sections["title_markers"],
        title_stems=sections["title_stems"],
        meta=sections["meta"],
        heading_strip=sections["heading_strip"],
        date_labels=sections["date_labels"],
        publish_deadline=sections["publish_deadline"],
        tables=_read("tables.yaml"),
        rules=_read("rules.yaml")["rules"],
        items=_read("items.yaml"),
        noise=_read("noise.yaml"),
    )
