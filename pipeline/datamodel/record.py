"""The record contract (../shared/record-contract.md), defined once.

`ReportRecord` is what every consumer reads; `nianbao schema` prints its JSON Schema. The table
blocks (active_disclosure, applications, review_litigation) are generated from the template's
keys (pipeline/template/tables.yaml), so a key is spelled in exactly one place.

Versioning: add fields freely (minor bump); renaming or removing one needs a major bump.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..template import load_template
from .base import BBox, ErrorCode, Features, Method

# 1.3: tables_not_found (issue #18); cross_year_conflict, cross_year_agree (the archive, issue
# #16); 1.2: agency and prose features and reasons, html_too_large, line_too_long
SCHEMA_VERSION = "1.3"

Value = int | float | str | None
Severity = Literal["hard", "soft"]


class Semantic(StrEnum):
    number = "number"
    zero = "zero"
    blank = "blank"  # empty cell, read as 0
    not_applicable = "not_applicable"  # "/", "—", "-", "不适用"
    text = "text"
    missing = "missing"  # not in the document


class Evidence(BaseModel):
    page: int | None = Field(None, description="1-based page; null for text input")
    bbox: BBox | None = Field(None, description="[x0,y0,x1,y1] in page-image pixels at source.dpi")
    text: str | None = Field(None, description="the sentence or cell text the value came from")
    line: int | None = Field(None, description="1-based line of the extracted text (text input)")


class FieldReview(BaseModel):
    needed: bool = False
    reasons: list[str] = []
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    previous_value: Value = None


class ReportField(BaseModel):
    """One extracted value with its confidence and provenance. Never a bare number."""

    value: Value = None
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    raw: str | None = None
    semantic: Semantic = Semantic.missing
    evidence: Evidence = Field(default_factory=Evidence)
    method: Method = Method.none
    review: FieldReview = Field(default_factory=FieldReview)
    features: Features = Field(
        default_factory=dict,
        description="the named evidence features the confidence was computed from",
    )


def missing_field() -> ReportField:
    return ReportField()


class Source(BaseModel):
    path: str
    sha256: str | None = None
    media_type: str | None = None
    pages: int | None = None
    input_kind: Literal["scan", "pdf_text", "image", "text", "html"] | None = None
    dpi: int | None = None
    encoding: str | None = None


class Status(StrEnum):
    ok = "ok"
    partial = "partial"
    failed = "failed"


class ErrorItem(BaseModel):
    stage: str
    code: ErrorCode
    message: str
    page: int | None = None
    traceback: str | None = Field(
        None, description="for a stage that raised (stage_error): where, for the developers"
    )


class TemplateInfo(BaseModel):
    version: Literal["2021", "2019", "unknown"] = "unknown"
    confidence: float = 0.0


class Meta(BaseModel):
    agency: ReportField = Field(default_factory=missing_field)
    year: ReportField = Field(default_factory=missing_field)
    publish_date: ReportField = Field(default_factory=missing_field)
    title: ReportField = Field(default_factory=missing_field)


class SectionRecord(BaseModel):
    number: int
    canonical_heading: str
    heading: str | None = None
    found: bool = False
    text: str = ""
    pages: list[int] = []
    confidence: float = 0.0
    notes: list[str] = []


class TableReport(BaseModel):
    """How one statutory table was read (in the spirit of camelot's parsing report)."""

    kind: str
    source: str
    format: Literal["2021", "2019", "unknown"] = "unknown"
    rows: int = 0
    confidence: float = 0.0
    notes: list[str] = []


class CheckRecord(BaseModel):
    rule: str = Field(
        description="rule_id[binding], e.g. t3_row_total[new]; rule_id alone when unbound"
    )
    rule_id: str = Field("", description="the rules.yaml rule this check expands")
    binding: str = Field("", description="what the rule was bound to (a column, a row, a path)")
    passed: bool | None
    fields: list[str] = []
    detail: str = ""
    severity: Severity = "hard"

    @classmethod
    def of(cls, rule_id: str, binding: str = "", **kw: Any) -> CheckRecord:
        """A check of `rule_id` bound to `binding`; `rule` is derived (never parsed back)."""
        rule = f"{rule_id}[{binding}]" if binding else rule_id
        return cls(rule=rule, rule_id=rule_id, binding=binding, **kw)


class ReviewSummary(BaseModel):
    needed: bool = False
    fields: list[str] = []


class Provenance(BaseModel):
    nianbao_version: str
    engines: dict[str, str] = {}
    config_hash: str
    timings_ms: dict[str, float] = {}


# ---- table blocks generated from the template ------------------------------------------------

Tree = dict[str, Any]


def _insert(tree: Tree, dotted: str) -> None:
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node.setdefault(parts[-1], None)


def _model_from_tree(name: str, tree: Tree, optional: frozenset[str] = frozenset()) -> type:
    fields: dict[str, Any] = {}
    for key, sub in tree.items():
        if sub is None:
            fields[key] = (ReportField, Field(default_factory=missing_field))
        else:
            sub_model = _model_from_tree(f"{name}_{key}", sub)
            if key in optional:
                fields[key] = (sub_model | None, None)
            else:
                fields[key] = (sub_model, Field(default_factory=sub_model))
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _table_models() -> dict[str, type]:
    tpl = load_template()
    trees: dict[str, Tree] = {}
    for path in tpl.table_field_paths():
        top, rest = path.split(".", 1)
        _insert(trees.setdefault(top, {}), rest)
    v2019 = tpl.tables.active_disclosure.formats["2019"].record_block or "v2019"
    return {
        "active_disclosure": _model_from_tree(
            "ActiveDisclosure", trees["active_disclosure"], optional=frozenset({v2019})
        ),
        "applications": _model_from_tree("Applications", trees["applications"]),
        "review_litigation": _model_from_tree("ReviewLitigation", trees["review_litigation"]),
    }


def _items_model() -> type:
    keys = list(load_template().items.items)
    fields: dict[str, Any] = {k: (ReportField, Field(default_factory=missing_field)) for k in keys}
    return create_model("Items", __config__=ConfigDict(extra="forbid"), **fields)


_TABLES = _table_models()
ActiveDisclosure: Any = _TABLES["active_disclosure"]
Applications: Any = _TABLES["applications"]
ReviewLitigation: Any = _TABLES["review_litigation"]
Items: Any = _items_model()


class ReportRecord(BaseModel):
    """One normalized record per input document (schema 1.x)."""

    model_config = ConfigDict(title="NianbaoReportRecord")

    schema_version: str = SCHEMA_VERSION
    source: Source
    status: Status
    errors: list[ErrorItem] = []
    template: TemplateInfo = Field(default_factory=TemplateInfo)
    meta: Meta = Field(default_factory=Meta)
    sections: list[SectionRecord] = []
    active_disclosure: ActiveDisclosure = Field(default_factory=ActiveDisclosure)
    applications: Applications = Field(default_factory=Applications)
    review_litigation: ReviewLitigation = Field(default_factory=ReviewLitigation)
    items: Items = Field(default_factory=Items)
    tables: list[TableReport] = []
    checks: list[CheckRecord] = []
    review: ReviewSummary = Field(default_factory=ReviewSummary)
    provenance: Provenance

    def get(self, path: str) -> ReportField:
        """The Field at a dotted path, e.g. ``applications.new.total``."""
        node: Any = self
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                raise KeyError(f"no field at {path!r}")
        if not isinstance(node, ReportField):
            raise KeyError(f"{path!r} is not a field")
        return node

    def iter_fields(self) -> list[tuple[str, ReportField]]:
        """Every Field of the record with its dotted path."""
        out: list[tuple[str, ReportField]] = []

        def walk(prefix: str, node: BaseModel) -> None:
            for name in type(node).model_fields:
                child = getattr(node, name)
                path = f"{prefix}.{name}" if prefix else name
                if isinstance(child, ReportField):
                    out.append((path, child))
                elif isinstance(child, BaseModel):
                    walk(path, child)

        for block in ("meta", "active_disclosure", "applications", "review_litigation", "items"):
            walk(block, getattr(self, block))
        return out


def record_json_schema() -> dict[str, Any]:
    return ReportRecord.model_json_schema()
