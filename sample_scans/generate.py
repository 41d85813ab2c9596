#!/usr/bin/env python3
"""Build the bundled example corpus of annual reports under sample_scans/ (seeded, deterministic).

A thin entry point: the generator is the package nianbao.synth (pipeline/synth/; its docstring
says why the corpus exists and which module does what). This script only says where the corpus
lives (this folder) and where the real published PDFs are (shared/real-pdfs beside the
repository).

Usage (from the repository root, with nianbao installed in .venv):

    .venv/bin/python sample_scans/generate.py            # everything, into sample_scans/
    .venv/bin/python sample_scans/generate.py --only nanxi-county-2022 --out /tmp/x --skip-real
"""

from __future__ import annotations

from pathlib import Path

from nianbao.synth.corpus import main as corpus_main

HERE = Path(__file__).resolve().parent
REAL_PDFS = HERE.parent.parent / "shared" / "real-pdfs"


def main(argv: list[str] | None = None) -> int:
    return corpus_main(argv, out=HERE, real_pdfs=REAL_PDFS)


if __name__ == "__main__":
    raise SystemExit(main())
