"""items: named items from prose (training, NPC/CPPCC, fees, proactive items) and the prose
figures that restate table values, through the spaCy components of pipeline/nlp.

Only sentences that contain a trigger word are sent through spaCy (`nlp.pipe` in batches, with
the line they came from as context): a report is mostly prose no item lives in.
For an item, the first sentence that states it gives the value (summed within that sentence
for `sum_in_sentence` items: 集中培训2次、专题培训1次 = 3); a later sentence that disagrees
sets the `conflict` feature. An item with no figure whose trigger words do appear in a
sentence read (主动公开 … with a figure the matcher could not read) gets `trigger_without_figure`,
which sends it to review: absent is then more likely a miss than a fact.

Prose figures (items.yaml `prose_figures`, `prose_statements`) become `doc.prose_figures`:
record path -> Field (method prose.matcher, evidence = the line and sentence). Per path a
figure the text states wins over a 0 a statement gives (未收到申请); when both are there they
corroborate or conflict. A path stated equal to another (均为自然人, 行政复议1件，尚未审结)
takes that path's figure unless a sibling path has a figure of its own (then the statement
was not about all of them). Last, the rules.yaml equations items.yaml `derive` names fill what
follows: a total of 0 makes its parts 0, parts enumerated with figures adding up to their total
make the other parts 0 (`prose_inferred`). `ReportDoc.values` lets these fill paths the
tables left empty; the checks stage compares them with the tables. Sentences are matched on a
simplified-script key (pipeline/nlp/script.py), so traditional-script pages read the same;
`raw` and evidence keep the original characters.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
from collections import defaultdict

import jieba

from ..datamodel.base import Feature, Method
from ..datamodel.document import ReportDoc, Slot
from ..datamodel.record import ReportField, Semantic
from ..nlp import Mention, build_nlp, mentions
from ..nlp.script import Simplifier
from ..settings import NlpSettings, Settings
from ..template import Template
from .base import Stage

_SENTENCE_END = re.compile(r"(?<=[。！？；;])")
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
        zero += [p for st in spec.prose_statements for p in st.patterns]
        self.prefilter = re.compile("|".join([*map(re.escape, sorted(words)), *zero]))
        self.specs = spec.items
        self.trigger = {
            k: re.compile("|".join(map(re.escape, s.triggers))) for k, s in spec.items.items()
        }
        self.simplify = Simplifier()
        self.derivations = _derivations(template)
        self.enumerated_parts = spec.derive.enumerated_parts

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
        # compared with the table by checks; fills the table path when the table has no value
        # there (ReportDoc.values)
        doc.prose_figures = self._prose_figures(doc, found)
        return doc

    def _mentions(
        self, doc: ReportDoc
    ) -> tuple[dict[str, list[tuple[Mention, int]]], list[tuple[str, int]]]:
        """Mentions per item key, and the sentences read (those with a trigger word)."""
        line_ids = doc.front_matter + [i for s in doc.sections for i in doc.prose_line_ids(s)]
        sentences: list[tuple[str, int]] = []  # the simplified key of each sentence read
        originals: list[str] = []
        for lid in line_ids:
            for sentence in _SENTENCE_END.split(doc.line(lid).text):
                key = self.simplify(sentence)
                if sentence and self.prefilter.search(key):
                    sentences.append((key, lid))
                    originals.append(sentence)
        found: dict[str, list[tuple[Mention, int]]] = defaultdict(list)
        keyed = [(key, (i, lid)) for i, (key, lid) in enumerate(sentences)]
        for spacy_doc, (i, lid) in self.nlp.pipe(
            keyed, as_tuples=True, batch_size=self.settings.batch_size
        ):
            original = originals[i]
            for m in mentions(spacy_doc):
                if original != sentences[i][0]:  # the original characters, at the key's offsets
                    m = dataclasses.replace(
                        m, raw=original[m.start_char : m.end_char], sentence=original
                    )
                found[m.key].append((m, lid))
        return found, sentences

    def _prose_figures(
        self, doc: ReportDoc, found: dict[str, list[tuple[Mention, int]]]
    ) -> dict[str, ReportField]:
        """Record path -> the field the prose gives it (see the module docstring)."""
        by_path = {k.removeprefix("prose:"): g for k, g in found.items() if k.startswith("prose:")}
        out: dict[str, ReportField] = {}
        for path, group in by_path.items():
            stated = [(m, lid) for m, lid in group if m.kind == "stated"]
            zeros = [(m, lid) for m, lid in group if m.kind == "zero_statement"]
            if stated:
                field = self._field(doc, stated, "first")
                if len({m.value for m, _ in stated}) > 1:  # 办理6件 … 其中5件答复 (same sentence)
                    field.features.pop(Feature.corroborated, None)
                    field.features[Feature.conflict] = 1.0
                if zeros:
                    agree = field.value == 0
                    field.features[Feature.corroborated if agree else Feature.conflict] = 1.0
            elif zeros:
                field = self._field(doc, zeros, "first")
                field.features[Feature.zero_statement] = 1.0
            else:
                continue
            out[path] = field
        for path, group in by_path.items():
            if path in out:
                continue
            for m, lid in group:
                source = out.get(m.same_as or "")
                if m.kind != "same_as" or source is None or _sibling_stated(path, m, out):
                    continue
                field = source.model_copy(deep=True)
                field.raw = m.raw
                field.evidence = doc.evidence(lid, m.sentence.strip())
                field.features.pop(Feature.corroborated, None)
                field.features[Feature.prose_inferred] = 1.0
                out[path] = field
                break
        self._derive(out)
        return out

    def _derive(self, out: dict[str, ReportField]) -> None:
        """Fill the parts the figures imply (items.yaml `derive`), until nothing changes."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.derivations:
                t = out.get(total)
                missing = [p for p in parts if p not in out]
                if t is None or not missing or t.features.get(Feature.approximate):
                    continue
                known = [
                    v for p in parts if p in out and isinstance(v := out[p].value, int | float)
                ]
                if not isinstance(t.value, int | float) or len(known) < len(parts) - len(missing):
                    continue
                enumerated = [
                    p for p in parts if p in out and not out[p].features.get(Feature.prose_inferred)
                ]
                complete = len(enumerated) >= self.enumerated_parts and sum(known) == t.value
                if t.value == 0 or complete:
                    for p in missing:
                        field = t.model_copy(deep=True)  # the total's evidence
                        field.value, field.raw = 0, None  # no text states this part
                        field.semantic = Semantic.zero
                        field.features.pop(Feature.corroborated, None)
                        field.features.pop(Feature.conflict, None)
                        field.features[Feature.prose_inferred] = 1.0
                        out[p] = field
                    changed = True

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
                value, ms = ms[0].value, ms[:1]
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


def _sibling_stated(path: str, m: Mention, out: dict[str, ReportField]) -> bool:
    """A path beside `path` (same parent, not the source) with a non-zero figure of its own:
    the statement was not about all of the group (维持3件 … 尚未审结 is not every case)."""
    parent = path.rsplit(".", 1)[0]
    return any(
        p.rsplit(".", 1)[0] == parent
        and p not in (path, m.same_as)
        and isinstance(f.value, int | float)
        and f.value != 0
        for p, f in out.items()
    )


def _derivations(template: Template) -> list[tuple[str, list[str]]]:
    """(total, parts) of each binding of the rules.yaml equations items.yaml `derive` names:
    one path on the left, its non-negative parts summed on the right."""
    out = []
    for rule in template.rules:
        if rule.id not in template.items.derive.rules:
            continue
        names = list(rule.for_each)
        lists = [template.named_list(rule.for_each[n], "2021") for n in names]
        for combo in itertools.product(*lists):
            binding = dict(zip(names, combo, strict=True))
            terms = [_expand(t, binding) for t in rule.lhs + rule.rhs]
            expanded: list[str] = []
            for term in terms:
                for name, list_name in rule.sum_over.items():
                    if "{" + name + "}" in term:
                        expanded += [
                            _expand(term, {name: v}) for v in template.named_list(list_name, "2021")
                        ]
                        break
                else:
                    expanded.append(term)
            if len(rule.lhs) == 1:
                out.append((expanded[0], expanded[1:]))
    return out


def _expand(term: str, binding: dict[str, str]) -> str:
    for name, value in binding.items():
        term = term.replace("{" + name + "}", value)
    return term
