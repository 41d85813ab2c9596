"""items: named items from prose (training, NPC/CPPCC, fees, proactive items) and the prose
figures that restate table values, through the spaCy components of pipeline/nlp.

Only sentences that contain a trigger word are sent through spaCy (`nlp.pipe` in batches, with
the line they came from as context): a report is mostly prose no item lives in.
For an item, the first sentence that states it gives the value (summed within that sentence
for `sum_in_sentence` items: 集中培训2次、专题培训1次 = 3); a later sentence that disagrees
sets the `conflict` feature. An item with no figure whose trigger words do appear in a
sentence read (主动公开 … with a figure the matcher could not read) gets `trigger_without_figure`,
which sends it to review: absent is then more likely a miss than a fact.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict

import jieba

from ..datamodel.base import Feature, Method
from ..datamodel.document import ReportDoc, Slot
from ..datamodel.record import ReportField, Semantic
from ..nlp import Mention, build_nlp, mentions
from ..settings import NlpSettings, Settings
from ..template import Template
from .base import Stage

_SENTENCE_END = re.compile(r"(?<=[。！？；])")
jieba.setLogLevel(logging.WARNING)


class ItemsStage(Stage[NlpSettings]):
    name = "items"
    reads = frozenset({Slot.lines, Slot.line_text, Slot.sections, Slot.tables})
    writes = frozenset({Slot.item_fields})

    def __init__(self, options: NlpSettings, template: Template) -> None:
        super().__init__(options)
        settings = self.settings = options
        self.nlp = build_nlp(settings.segmenter)
        spec = template.items
        words = {w for item in spec.items.values() for w in item.triggers}
        words |= {w for fig in spec.prose_figures for w in fig.triggers}
        zero = [p for item in spec.items.values() for p in item.zero_patterns]
        self.prefilter = re.compile("|".join([*map(re.escape, sorted(words)), *zero]))
        self.specs = spec.items
        self.trigger = {
            k: re.compile("|".join(map(re.escape, s.triggers))) for k, s in spec.items.items()
        }

    @classmethod
    def options_from(cls, settings: Settings) -> NlpSettings:
        return settings.nlp

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        found, sentences = self._mentions(doc)
        for key, spec in self.specs.items():
            field = self._field(doc, found.get(key, []), spec.aggregate)
            if not found.get(key) and any(self.trigger[key].search(s) for s, _ in sentences):
                field.features[Feature.trigger_without_figure] = 1.0
            doc.fields[f"items.{key}"] = field
        for key, group in found.items():
            if key.startswith("prose:"):
                target = key.removeprefix("prose:")
                # compared with the table by checks; fills the table path when the table
                # has no value there (ReportDoc.values)
                doc.prose_figures[target] = self._field(doc, group, "first")
        return doc

    def _mentions(
        self, doc: ReportDoc
    ) -> tuple[dict[str, list[tuple[Mention, int]]], list[tuple[str, int]]]:
        """Mentions per item key, and the sentences read (those with a trigger word)."""
        line_ids = doc.front_matter + [i for s in doc.sections for i in doc.prose_line_ids(s)]
        sentences: list[tuple[str, int]] = []
        for lid in line_ids:
            for sentence in _SENTENCE_END.split(doc.line(lid).text):
                if sentence and self.prefilter.search(sentence):
                    sentences.append((sentence, lid))
        found: dict[str, list[tuple[Mention, int]]] = defaultdict(list)
        for spacy_doc, lid in self.nlp.pipe(
            sentences, as_tuples=True, batch_size=self.settings.batch_size
        ):
            for m in mentions(spacy_doc):
                found[m.key].append((m, lid))
        return found, sentences

    @staticmethod
    def _field(doc: ReportDoc, group: list[tuple[Mention, int]], aggregate: str) -> ReportField:
        if not group:
            return ReportField(features={Feature.not_found: 1.0})
        by_sentence: dict[tuple[int, str], list[Mention]] = defaultdict(list)
        for m, lid in group:
            by_sentence[(lid, m.sentence)].append(m)
        readings = []
        for (lid, sentence), ms in by_sentence.items():
            ms = sorted(ms, key=lambda m: m.start_char)
            if aggregate == "sum_in_sentence":
                value: int | float = sum(m.value for m in ms)
            else:
                value = ms[0].value
            readings.append((value, ms, lid, sentence))
        value, ms, lid, sentence = readings[0]
        features = {
            Feature.approximate: float(any(m.approximate for m in ms)),
            Feature.chinese_numeral: float(any(m.chinese_numeral for m in ms)),
            Feature.label_score: 1.0,
        }
        if any(other[0] != value for other in readings[1:]):
            features[Feature.conflict] = 1.0
        elif len(readings) > 1:
            features[Feature.corroborated] = 1.0
        return ReportField(
            value=value,
            raw="、".join(m.raw for m in ms),
            semantic=Semantic.zero if value == 0 else Semantic.number,
            method=Method.prose_matcher,
            evidence=doc.evidence(lid, sentence.strip()),
            features=features,
        )
