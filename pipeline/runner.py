"""Compose the stages and run them on one document at a time.

Every document yields exactly one record: a stage that raises becomes an error item (status
`partial`, its traceback recorded and logged) and the later stages still run on what exists;
unreadable input becomes a `failed` record naming the file and the problem. Nothing here raises
for a bad document, except in strict mode: there a stage's exception propagates and a stage that
writes outside its contract (stages/base.py) raises ContractError. The tests run strict
(NIANBAO_STRICT=1), so a bug cannot hide as a `stage_error` record.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .datamodel.base import ErrorCode
from .datamodel.document import ReportDoc, slot_digests
from .datamodel.record import ReportRecord
from .settings import Settings, load_settings
from .stages.assemble import Assemble
from .stages.base import Stage, check_contract
from .stages.checks import Checks
from .stages.clean import Clean
from .stages.headings import Headings
from .stages.ingest import Ingest
from .stages.items import ItemsStage
from .stages.layout import Layout
from .stages.meta import Meta
from .stages.pages import ReadPages
from .stages.recognise import Recognise
from .stages.score import Score
from .stages.sections import Sections
from .stages.table_fields import TableFields
from .stages.tables import Tables
from .template import load_template

if TYPE_CHECKING:
    from .engines.ocr import OcrEngine
    from .nlp.sections import PassageClassifier

log = logging.getLogger("nianbao")
STRICT_ENV = "NIANBAO_STRICT"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


class Pipeline:
    """ingest -> pages -> layout -> clean -> headings -> sections -> tables -> table_fields ->
    meta -> recognise -> items -> checks -> score -> assemble. `pages` and `layout` do nothing
    for text and HTML input; the OCR engine is built on the first page that needs it."""

    def __init__(self, settings: Settings | None = None, strict: bool | None = None) -> None:
        self.settings = settings or load_settings()
        self.strict = os.environ.get(STRICT_ENV) == "1" if strict is None else strict
        s, t = self.settings, load_template()
        self.ingest = Ingest(s.ingest, s.render, t, s.limits)
        self._sections = Sections(Sections.options_from(s), t)
        self.stages: list[Stage[Any]] = [
            ReadPages(ReadPages.options_from(s), self._build_ocr),
            Layout(Layout.options_from(s)),
            Clean(Clean.options_from(s), t),
            Headings(Headings.options_from(s), t),
            self._sections,
            Tables(Tables.options_from(s), t),
            TableFields(TableFields.options_from(s), t),
            Meta(Meta.options_from(s), t),
            Recognise(Recognise.options_from(s)),
            ItemsStage(ItemsStage.options_from(s), t),
            Checks(Checks.options_from(s), t),
            Score(Score.options_from(s), t),
        ]
        engines = {
            "tokenizer": f"spacy-zh/{s.nlp.segmenter}",
            "spacy": _version("spacy"),
            "jieba": _version("jieba"),
        }
        self.assemble = Assemble(s.digest(), engines)

    def sections_classifier(self) -> PassageClassifier | None:
        return self._sections.classifier

    def _build_ocr(self) -> OcrEngine:
        from .engines.ocr import build_ocr_engine

        engine = build_ocr_engine(self.settings.ocr)
        self.assemble.ocr_engine = " ".join(f"{k}={v}" for k, v in engine.describe().items())
        return engine

    def run(self, path: str | Path) -> ReportRecord:
        return self.run_doc(path)[1]

    def run_doc(self, path: str | Path) -> tuple[ReportDoc, ReportRecord]:
        """The working document model and the record (for evaluation and debugging)."""
        t0 = time.perf_counter()
        doc = self.ingest(path)
        doc.timings_ms["ingest"] = (time.perf_counter() - t0) * 1000
        for stage in self.stages:
            if doc.fatal:
                break
            t0 = time.perf_counter()
            before = slot_digests(doc) if self.strict else None
            try:
                doc = stage(doc)
            except Exception as exc:  # one stage's bug must not lose the document
                if self.strict:
                    raise
                log.error("%s: stage %s failed", path, stage.name, exc_info=exc)
                doc.fail(
                    stage.name,
                    ErrorCode.stage_error,
                    f"{path}: {stage.name} failed: {type(exc).__name__}: {exc}",
                    traceback="".join(traceback.format_exception(exc)),
                )
            if before is not None:
                check_contract(stage, before, doc)
            doc.timings_ms[stage.name] = (time.perf_counter() - t0) * 1000
        return doc, self.assemble(doc)

    def run_many(self, paths: Iterable[str | Path]) -> Iterator[ReportRecord]:
        for path in paths:
            yield self.run(path)


_DEFAULT: Pipeline | None = None


def extract(path: str | Path, settings: Settings | None = None) -> ReportRecord:
    """One call from a path to a record (the default pipeline is built once per process)."""
    global _DEFAULT
    if settings is not None:
        return Pipeline(settings).run(path)
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT.run(path)
