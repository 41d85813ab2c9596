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

from ..settings import ExtractionNoiseSettings, TrainSettings
from .sections import LABELS, PassageClassifier, blank_pipeline, passage_text

if TYPE_CHECKING:
    from ..calibration import Calibration
    from ..datamodel.document import ReportDoc
    from ..datamodel.record import ReportRecord
    from ..runner import Pipeline


class LabelledDoc(Protocol):
    """A generated document with labels (sample_scans/generator/labelled.py, not imported
    here so the package does not depend on the repository's generator)."""

    name: str
    truth: dict[str, Any]
    extraction_errors: list[str]
    passages: list[tuple[str, str]]
    html_tables: set[int]


def _generator() -> Any:
    """sample_scans/generator/labelled.py, imported by name: the installed package does not
    depend on the repository's generator (and type checking stays inside pipeline/)."""
    return importlib.import_module("sample_scans.generator.labelled")


def labelled_docs(
    split: str,
    seed: int,
    count: int,
    start: int = 0,
    noise: ExtractionNoiseSettings | None = None,
) -> Iterator[LabelledDoc]:
    """Documents start..start+count-1 of `split`; with `noise`, extraction errors on top."""
    try:
        labelled_doc = _generator().labelled_doc
        rates = None
        if noise is not None:
            rates = importlib.import_module("sample_scans.generator.noise").NoiseRates(
                noise.clean_share, noise.max_events, noise.rates
            )
    except ImportError as exc:  # an installed package without the repository's generator
        raise RuntimeError(
            f"training needs the repository's sample_scans/generator (and reportlab): {exc}"
        ) from exc
    from ..template import load_template

    t = load_template()
    for i in range(start, start + count):
        yield labelled_doc(t, split, seed, i, rates)


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
    from ..stages.sections import front_matter_ids

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
def labelled_fields(
    pipeline: Pipeline, docs: list[LabelledDoc], folder: Path
) -> list[tuple[float, bool, bool]]:
    """(raw score, right?, flagged for a reason other than low confidence) per field."""
    from ..evaluate import compare

    out = []
    for d, _, record in run_labelled(pipeline, docs, folder):
        for f in compare(record, d.truth, pipeline.settings.confidence):
            reasons = record.get(f.path).review.reasons
            other = any(r != "low_confidence" for r in reasons)
            out.append((f.raw_score if f.raw_score is not None else f.confidence, f.correct, other))
    return out


def threshold_table(
    cal: Calibration, fields: list[tuple[float, bool, bool]], thresholds: list[float]
) -> list[dict[str, Any]]:
    """What each review threshold would give on these fields: share of wrong fields flagged,
    review load (share of all fields flagged), and the accuracy of the fields not flagged."""
    rows = []
    n_wrong = sum(not right for _, right, _ in fields)
    for th in thresholds:
        flagged = [other or cal(raw) < th for raw, _, other in fields]
        pairs = list(zip(flagged, fields, strict=True))
        wrong_flagged = sum(f for f, (_, right, _) in pairs if not right)
        kept = [right for f, (_, right, _) in pairs if not f]
        rows.append(
            {
                "threshold": th,
                "wrong_flagged": round(wrong_flagged / n_wrong, 4) if n_wrong else None,
                "review_load": round(sum(flagged) / len(fields), 4),
                "unflagged_accuracy": round(sum(kept) / len(kept), 5) if kept else None,
            }
        )
    return rows


def fit_calibration(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, log: Any = print
) -> Calibration:
    """Isotonic map fitted on the fields of `calibration_docs` training-split documents with
    extraction noise (after the classifier's documents, so neither sees the other's), run
    through `pipeline` (which must not load a calibration: the map is fitted on raw scores)."""
    from ..calibration import fit_isotonic

    docs = list(
        labelled_docs(
            "train", cfg.seed, cfg.calibration_docs, start=cfg.train_docs, noise=cfg.noise
        )
    )
    fields = labelled_fields(pipeline, docs, folder)
    cal = fit_isotonic([f[0] for f in fields], [f[1] for f in fields])
    table = threshold_table(cal, fields, cfg.review_thresholds)
    cal.info.update(
        {
            "documents": len(docs),
            "noisy_documents": sum(bool(d.extraction_errors) for d in docs),
            "seed": cfg.seed,
            "first_document": cfg.train_docs,
            "noise": cfg.noise.model_dump(),
            "review_thresholds": table,
            "fitted_by": "nianbao train calibration",
        }
    )
    log(
        f"calibration: {len(fields)} fields ({cal.info['wrong_fields']} wrong) from {len(docs)} "
        f"documents ({cal.info['noisy_documents']} with extraction errors)"
    )
    for row in table:
        log(
            f"  review_threshold {row['threshold']}: wrong flagged {row['wrong_flagged']}, "
            f"review load {row['review_load']}, unflagged accuracy {row['unflagged_accuracy']}"
        )
    return cal


def heldout_report(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, plot: Path | None = None
) -> dict[str, Any]:
    """Every figure of the issue on the held-out split: the classifier alone, headings +
    classifier on whole documents, and the calibrated fields."""
    from ..evaluate import evaluate, plot_reliability, summary

    docs = list(labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs, noise=cfg.noise))
    out: dict[str, Any] = {
        "documents": len(docs),
        "noisy_documents": sum(bool(d.extraction_errors) for d in docs),
        "extraction_errors": dict(
            Counter(e.split(":")[0] for d in docs for e in d.extraction_errors).most_common()
        ),
    }
    classifier = pipeline.sections_classifier()
    if classifier is not None:
        out["classifier"] = score_classifier(classifier, passages(docs)).as_dict()
    outcomes: list[tuple[str, str]] = []
    results = []
    flagged_other: list[bool] = []  # flagged for a reason other than low confidence
    for d, doc, record in run_labelled(pipeline, docs, folder):
        outcomes += decoded_outcomes(doc, d)
        results.append(evaluate(doc, record, d.name, d.truth, pipeline.settings.confidence))
        flagged_other += [
            any(r != "low_confidence" for r in record.get(f.path).review.reasons)
            for f in results[-1].fields
        ]
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
    fields = [f for r in results for f in r.fields]
    out["fields"]["wrong"] = sum(not f.correct for f in fields)
    # wrong fields no evidence doubted: the raw score as high as it goes for their method
    out["fields"]["wrong_unflagged"] = [
        {"doc": w["doc"], "path": w["path"], "truth": w["truth"], "value": w["value"]}
        for w in report["wrong"]
        if not w["flagged"]
    ]
    out["calibration"] = report["calibration"]
    cal_path = pipeline.settings.calibration.file_path()
    if cal_path:
        from ..calibration import Calibration

        cal = Calibration.load(cal_path)
        labelled = [
            (f.raw_score if f.raw_score is not None else f.confidence, f.correct, other)
            for f, other in zip(fields, flagged_other, strict=True)
        ]
        out["review_thresholds"] = threshold_table(cal, labelled, cfg.review_thresholds)
    if plot is not None:
        plot_reliability(
            [f for r in results for f in r.fields], pipeline.settings.calibration, plot
        )
    return out
