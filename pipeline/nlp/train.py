"""Training the passage classifier on generated, labelled reports (`nianbao train sections`).

The documents come from sample_scans/generator/labelled.py (so training runs from a checkout
of the repository, with the dev extra installed): `train_docs` documents of the training split
for the model, `heldout_docs` of the held-out split (another seed, other agencies) for the
figures. Everything is seeded (generator, shuffling, spaCy's initialisation) and runs on one
thread, so the same config reproduces the same model and the same scores.
"""

from __future__ import annotations

import importlib
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.nlp.sections import LABELS, PassageClassifier, blank_pipeline, passage_text
from pipeline.settings import TrainSettings

if TYPE_CHECKING:
    from pipeline.calibration import Calibration
    from pipeline.datamodel.document import ReportDoc
    from pipeline.datamodel.record import ReportRecord
    from pipeline.runner import Pipeline


class LabelledDoc(Protocol):
    """A generated document with labels (sample_scans/generator/labelled.py, not imported
    here so the package does not depend on the repository's generator)."""

    name: str
    truth: dict[str, Any]
    passages: list[tuple[str, str]]
    html_tables: set[int]


def _generator() -> Any:
    """sample_scans/generator/labelled.py, imported by name: the installed package does not
    depend on the repository's generator (and type checking stays inside pipeline/)."""
    return importlib.import_module("sample_scans.generator.labelled")


def labelled_docs(split: str, seed: int, count: int, start: int = 0) -> Iterator[LabelledDoc]:
    try:
        labelled_doc = _generator().labelled_doc
    except ImportError as exc:  # an installed package without the repository's generator
        raise RuntimeError(
            f"training needs the repository's sample_scans/generator (and reportlab): {exc}"
        ) from exc
    from pipeline.template import load_template

    t = load_template()
    for i in range(start, start + count):
        yield labelled_doc(t, split, seed, i)


def passages(docs: list[LabelledDoc]) -> list[tuple[str, str]]:
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


def train_sections(cfg: TrainSettings, out: Path, log: Any = print) -> PassageClassifier:
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
    from pipeline.stages.sections import front_matter_ids

    out = {ln.id: "noise" for ln in doc.lines}
    out.update({i: "front_matter" for i in front_matter_ids(doc)})
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


def run_labelled(
    pipeline: Pipeline, docs: list[LabelledDoc], folder: Path
) -> Iterator[tuple[LabelledDoc, ReportDoc, ReportRecord]]:
    write_doc = _generator().write_doc

    for d in docs:
        path = write_doc(d, folder)
        doc, record = pipeline.run_doc(path)
        yield d, doc, record


# ---- calibration and the held-out report --------------------------------------------------------
def fit_calibration(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, log: Any = print
) -> Calibration:
    """Isotonic map fitted on the fields of `calibration_docs` training-split documents (after
    the classifier's documents, so neither sees the other's), run through `pipeline`."""
    from pipeline.calibration import fit_isotonic
    from pipeline.evaluate import compare

    docs = list(labelled_docs("train", cfg.seed, cfg.calibration_docs, start=cfg.train_docs))
    raw: list[float] = []
    right: list[bool] = []
    for d, _, record in run_labelled(pipeline, docs, folder):
        for f in compare(record, d.truth, pipeline.settings.confidence):
            raw.append(f.raw_score if f.raw_score is not None else f.confidence)
            right.append(f.correct)
    cal = fit_isotonic(raw, right, cfg.calibration_prior_fields, cfg.calibration_prior_step)
    cal.info.update(
        {
            "documents": len(docs),
            "wrong_fields": right.count(False),
            "seed": cfg.seed,
            "first_document": cfg.train_docs,
            "fitted_by": "nianbao train calibration",
        }
    )
    log(f"calibration: {len(raw)} fields ({right.count(False)} wrong) from {len(docs)} documents")
    return cal


def heldout_report(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, plot: Path | None = None
) -> dict[str, Any]:
    """Every figure of the issue on the held-out split: the classifier alone, headings +
    classifier on whole documents, and the calibrated fields."""
    from pipeline.evaluate import evaluate, plot_reliability, summary

    docs = list(labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs))
    out: dict[str, Any] = {"documents": len(docs)}
    classifier = pipeline.sections_classifier()
    if classifier is not None:
        out["classifier"] = score_classifier(classifier, passages(docs)).as_dict()
    outcomes: list[tuple[str, str]] = []
    results = []
    for d, doc, record in run_labelled(pipeline, docs, folder):
        outcomes += decoded_outcomes(doc, d)
        results.append(evaluate(doc, record, d.name, d.truth, pipeline.settings.confidence))
    wrong = Counter((w, g) for w, g in outcomes if w != g)
    out["combined"] = {
        "passages": len(outcomes),
        "accuracy": round(sum(w == g for w, g in outcomes) / len(outcomes), 4),
        "unmatched": sum(g == "unmatched" for _, g in outcomes),
        "confusions": [[w, g, n] for (w, g), n in wrong.most_common(10)],
    }
    report = summary(results, pipeline.settings.calibration)
    out["fields"] = {
        k: report[k]
        for k in ("fields", "accuracy", "by_group", "wrong_fields_flagged", "review_load")
    }
    out["fields"]["wrong"] = sum(1 for r in results for f in r.fields if not f.correct)
    out["calibration"] = report["calibration"]
    if plot is not None:
        plot_reliability(
            [f for r in results for f in r.fields], pipeline.settings.calibration, plot
        )
    return out
