"""The labelled documents training learns from and is measured on (nianbao.synth.labelled):
`train_docs` documents of the training split for the classifier, the next `calibration_docs`
(with extraction noise) for the calibration, `heldout_docs` of the held-out split (another seed,
other agencies, with noise) for the figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import ExtractionNoiseSettings, ShapeSettings

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


def run_labelled(
    pipeline: Pipeline, docs: list[LabelledDoc], folder: Path
) -> Iterator[tuple[LabelledDoc, ReportDoc, ReportRecord]]:
    """Each document written into `folder` (with its truth file) and run through `pipeline`."""
    from ..synth.labelled import write_doc

    for d in docs:
        path = write_doc(d, folder)
        doc, record = pipeline.run_doc(path)
        yield d, doc, record
