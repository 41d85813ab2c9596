"""The passage classifier (nlp/sections.py) trained on generated, labelled reports
(`nianbao train sections`), and measured: alone on passages, and as the sections stage decodes
it together with the headings on whole documents."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from ..nlp.sections import LABELS, PassageClassifier, blank_pipeline, passage_text
from ..settings import TrainSettings
from . import Log
from .documents import labelled_docs

if TYPE_CHECKING:
    from ..datamodel.document import ReportDoc
    from ..synth.labelled import LabelledDoc


def passages(docs: list[LabelledDoc]) -> list[tuple[str, str]]:
    """(classifier text, label) of every non-empty passage of the documents."""
    return [(passage_text(text), label) for d in docs for text, label in d.passages if text]


@dataclass
class ClassifierScores:
    passages: int
    accuracy: float
    by_label: dict[str, dict[str, float]]
    confusions: list[tuple[str, str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "passages": self.passages,
            "accuracy": round(self.accuracy, 4),
            "by_label": self.by_label,
            "confusions": [list(c) for c in self.confusions],
        }


def score_classifier(clf: PassageClassifier, data: list[tuple[str, str]]) -> ClassifierScores:
    probs = clf.predict([t for t, _ in data])
    got = [LABELS[max(range(len(LABELS)), key=p.__getitem__)] for p in probs]
    want = [label for _, label in data]
    right = [g == w for g, w in zip(got, want, strict=True)]
    by_label = {}
    for label in LABELS:
        n = sum(w == label for w in want)
        hit = sum(r for r, w in zip(right, want, strict=True) if w == label)
        by_label[label] = {"passages": n, "recall": round(hit / n, 4) if n else 0.0}
    confusions = Counter((w, g) for g, w in zip(got, want, strict=True) if g != w)
    return ClassifierScores(
        passages=len(data),
        accuracy=sum(right) / len(right) if right else 0.0,
        by_label=by_label,
        confusions=[(w, g, n) for (w, g), n in confusions.most_common(10)],
    )


def train_sections(cfg: TrainSettings, out: Path, log: Log = print) -> PassageClassifier:
    """Train on the training split and save to `out` (a directory, replaced)."""
    import shutil

    from thinc.api import Adam, set_current_ops
    from thinc.backends import NumpyOps

    set_current_ops(NumpyOps())
    fix_random_seed(cfg.seed)
    docs = list(labelled_docs("train", cfg.seed, cfg.train_docs))
    data = passages(docs)
    log(f"training passages: {len(data)} from {len(docs)} documents")
    nlp = blank_pipeline(cfg.ngram_size, cfg.hash_length)
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {k: float(k == label) for k in LABELS}})
        for text, label in data
    ]
    optimizer = nlp.initialize(lambda: examples, sgd=Adam(cfg.learn_rate))
    rng = random.Random(cfg.seed)
    for epoch in range(cfg.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=cfg.batch_size):
            nlp.update(list(batch), drop=cfg.dropout, sgd=optimizer, losses=losses)
        log(f"epoch {epoch + 1}/{cfg.epochs}: loss {losses.get('textcat', 0.0):.3f}")
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    return PassageClassifier(nlp, cfg.batch_size)


# ---- the combined decision (headings + classifier), measured on whole documents -----------------
def line_labels(doc: ReportDoc) -> dict[int, str]:
    """The label the pipeline gave each line: its section, front matter or noise."""
    out = {ln.id: "noise" for ln in doc.lines}
    out.update({i: "front_matter" for i in doc.front_matter})
    for s in doc.sections:
        out.update({i: f"section_{s.number}" for i in s.line_ids})
        if s.heading is not None:
            out.update({i: f"section_{s.number}" for i in s.heading.line_ids})
    return out


def decoded_outcomes(doc: ReportDoc, labelled: LabelledDoc) -> list[tuple[str, str]]:
    """(wanted, got) per labelled passage, matched to the pipeline's lines in order; a passage
    no line matches counts as got 'unmatched'."""
    from difflib import SequenceMatcher

    labels = line_labels(doc)
    lines = [ln for ln in doc.lines if ln.text or ln.table_ref is not None]
    line_keys = ["<table>" if ln.table_ref is not None else passage_text(ln.raw) for ln in lines]
    keys = [
        "<table>" if i in labelled.html_tables else passage_text(t)
        for i, (t, _) in enumerate(labelled.passages)
    ]
    got = ["unmatched"] * len(keys)
    matcher = SequenceMatcher(None, keys, line_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            got[block.a + k] = labels[lines[block.b + k].id]
    return [(label, g) for (_, label), g in zip(labelled.passages, got, strict=True)]
