#!/usr/bin/env python3
"""Build the bundled example corpus of annual reports under sample_scans/ (seeded, deterministic).

A thin entry point: the generator is the package sample_scans/generator/ (its docstring says
why the corpus exists and which module does what).

Usage (from the repository root):

    .venv/bin/python sample_scans/generate.py            # everything, into sample_scans/
    .venv/bin/python sample_scans/generate.py --only nanxi-county-2022 --out /tmp/x --skip-real
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere, without installing the package
    sys.path.insert(0, str(REPO))

from sample_scans.generator.corpus import (  # noqa: E402
    Output,
    generate_real,
    generate_synthetic,
    main,
    write_readme_table,
)
from sample_scans.generator.degrade import degrade, rasterise  # noqa: E402
from sample_scans.generator.report import build_report  # noqa: E402
from sample_scans.generator.specs import SPECS, Variant  # noqa: E402
from sample_scans.generator.truth import synthetic_truth  # noqa: E402
from sample_scans.generator.typeset import render_pdf  # noqa: E402

# What tests/sample_scans/test_generate.py uses through this script.
__all__ = [
    "SPECS",
    "Output",
    "Variant",
    "build_report",
    "degrade",
    "generate_real",
    "generate_synthetic",
    "main",
    "rasterise",
    "render_pdf",
    "synthetic_truth",
    "write_readme_table",
]

if __name__ == "__main__":
    raise SystemExit(main())
