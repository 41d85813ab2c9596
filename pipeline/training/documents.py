"""The labelled documents training learns from and is measured on (nianbao.synth.labelled):
`train_docs` documents of the training split for the classifier, the next `calibration_docs`
(with extraction noise) for the calibration, `heldout_docs` of the held-out split (another seed,
other agencies, with noise) for the figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import ExtractionNoiseSettings, ShapeSettings, TrainSettings

if TYPE_CHECKING:
    from ..datamodel.document import ReportDoc
    from ..datamodel.record import ReportRecord
    from ..runner import Pipeline
    from ..synth.labelled import LabelledDoc, Split


def labelled_docs(
    split: Split,
    seed: int,
    count: int,
    start: int = 0,
    noise: ExtractionNoiseSettings | None = None,
    shapes: ShapeSettings | None = None,
) -> Iterator[LabelledDoc]:
    """Documents start..start+count-1 of `split`; with `noise`, extraction errors on top; with
    `shapes`, in the shapes real pages take (nianbao.synth.shapes)."""
    from ..synth.labelled import labelled_doc
    from ..synth.noise import NoiseRates
    from ..synth.shapes import ShapeRates
    from ..template import load_template

    rates = None
    if noise is not None:
        rates = NoiseRates(noise.clean_share, noise.max_events, noise.rates)
    shape_rates = None
    if shapes is not None:
        shape_rates = ShapeRates(**shapes.model_dump(exclude={"calibration_docs", "heldout_docs"}))
    t = load_template()
    for i in range(start, start + count):
        yield labelled_doc(t, split, seed, i, rates, shape_rates)


def calibration_split(cfg: TrainSettings) -> list[LabelledDoc]:
    """The calibration's documents: `calibration_docs` noisy training-split documents after the
    classifier's, then `shapes.calibration_docs` in the real-page shapes."""
    docs = list(
        labelled_docs(
            "train", cfg.seed, cfg.calibration_docs, start=cfg.train_docs, noise=cfg.noise
        )
    )
    docs += labelled_docs(  # the real-page shapes, after them (other document numbers)
        "train",
        cfg.seed,
        cfg.shapes.calibration_docs,
        start=cfg.train_docs + cfg.calibration_docs,
        noise=cfg.noise,
        shapes=cfg.shapes,
    )
    return docs


def heldout_shaped(cfg: TrainSettings) -> list[LabelledDoc]:
    """The held-out documents in the real-page shapes (after the plain held-out ones)."""
    return list(
        labelled_docs(
            "heldout",
            cfg.heldout_seed,
            cfg.shapes.heldout_docs,
            start=cfg.heldout_docs,
            noise=cfg.noise,
            shapes=cfg.shapes,
        )
    )


def run_labelled(
    pipeline: Pipeline, docs: list[LabelledDoc], folder: Path
) -> Iterator[tuple[LabelledDoc, ReportDoc, ReportRecord]]:
    """Each document written into `folder` (with its truth file) and run through `pipeline`."""
    from ..synth.labelled import write_doc

    for d in docs:
        path = write_doc(d, folder)
        doc, record = pipeline.run_doc(path)
        yield d, doc, record
