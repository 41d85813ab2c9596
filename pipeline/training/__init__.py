"""Training and measuring on generated, labelled reports (`nianbao train`): above the runner.

The documents come from nianbao.synth.labelled: random report specifications from two splits
(`train` and `heldout`: different seeds, disjoint agencies), perturbed the way real reports break
and, for the calibration and the held-out report, with extraction noise (nianbao.synth.noise)
on top. Everything is seeded (generator, shuffling, spaCy's initialisation) and runs on one
thread, so the same config (configs/train/default.yaml) reproduces the same models and figures.

    documents.py    the labelled documents of a split, written out and run through a Pipeline
    sections.py     the passage classifier: trained, scored alone and as decoded by the stage
    calibration.py  the isotonic calibration fitted on raw field scores, review thresholds
    heldout.py      every figure on the held-out split (`nianbao train heldout`)

What runs at extraction time stays below: nlp/sections.py (the classifier) and calibration.py
(the isotonic map that confidence.Scorer applies).
"""

from __future__ import annotations

from collections.abc import Callable

Log = Callable[[str], object]  # where progress lines go (print, a rich Console's print)
