"""The driver: every document, its truth file, the manifest and the README table."""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..template import load_template
from ..template.loader import Template
from .degrade import EXT, degrade, rasterise, save_scan, variant_record
from .report import build_report
from .specs import REAL_VARIANTS, SEED, SPECS, VARIANTS, Spec, Variant
from .truth import (
    REAL,
    real_truth,
    subset_truth,
    synthetic_truth,
    write_json,
)
from .typeset import render_pdf

DESCRIPTION = "Build the example corpus of annual reports (seeded, deterministic)."
GENERATED_DIRS = ("pdf", "scans", "images", "real")


# ---- driver ----------------------------------------------------------------------------------
@dataclass
class Output:
    manifest: list[dict[str, Any]] = field(default_factory=list)
    written: set[Path] = field(default_factory=set)
    pages_by_kind: dict[str, int] = field(default_factory=dict)


def _record(
    out: Output,
    root: Path,
    path: Path,
    truth: dict[str, Any],
    kind: str,
    variant: dict[str, Any] | None,
    origin: str,
) -> None:
    truth_path = path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json")
    truth["variant"] = variant
    write_json(truth_path, truth)
    out.written |= {path, truth_path}
    out.manifest.append(
        {
            "file": path.relative_to(root).as_posix(),
            "truth": truth_path.relative_to(root).as_posix(),
            "kind": kind,
            "origin": origin,
            "pages": len(truth["pages"]),
            "template_version": truth["template_version"],
            "variant": variant,
        }
    )
    label = kind if variant is None else f"{kind} {variant['dpi']}dpi"
    out.pages_by_kind[label] = out.pages_by_kind.get(label, 0) + len(truth["pages"])


def _kind(v: Variant) -> str:
    return "scan_pdf" if v.output == "pdf" else "image"


def generate_synthetic(
    spec: Spec, root: Path, out: Output, t: Template, scans: bool = True
) -> None:
    rep = build_report(spec, t)
    pdf = root / "pdf" / f"{spec.name}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    comp = render_pdf(rep, pdf)
    if spec.t3_layout.startswith("split") and len(comp.table_pages.get("applications", [])) < 2:
        raise AssertionError(f"{spec.name}: table 三 was meant to break across pages but did not")
    truth = synthetic_truth(t, rep, comp)
    base = dict(truth)
    _record(out, root, pdf, truth, "text_pdf", None, "synthetic")
    if not scans:
        return
    page_tags = [p.tags for p in comp.pages]
    for v in VARIANTS.get(spec.name, []):
        seed = SEED + sum(map(ord, spec.name + v.suffix))
        images = rasterise(pdf, v.dpi, v.pages)
        pages = list(v.pages) if v.pages else list(range(1, len(images) + 1))
        images = [degrade(img, v, seed, p) for img, p in zip(images, pages, strict=True)]
        folder = "scans" if v.output == "pdf" else "images"
        path = root / folder / f"{spec.name}-{v.suffix}{EXT[v.output]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_scan(images, path, v)
        vt = subset_truth(t, base, pages, page_tags) if v.pages else dict(base)
        _record(
            out,
            root,
            path,
            vt,
            _kind(v),
            variant_record(v, f"pdf/{spec.name}.pdf", len(comp.pages)),
            "synthetic",
        )


def generate_real(name: str, real_pdfs: Path, root: Path, out: Output, t: Template) -> None:
    """Scans of the real published PDF `real_pdfs/<name>.pdf` (shared/real-pdfs)."""
    src = real_pdfs / f"{name}.pdf"
    truth = real_truth(t, name, src)
    for v in REAL_VARIANTS:
        seed = SEED + sum(map(ord, name + v.suffix))
        images = [degrade(img, v, seed, i + 1) for i, img in enumerate(rasterise(src, v.dpi))]
        path = root / "real" / f"{name}-{v.suffix}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_scan(images, path, v)
        _record(
            out,
            root,
            path,
            dict(truth),
            "scan_pdf",
            variant_record(v, f"shared/real-pdfs/{name}.pdf", len(images)),
            "real",
        )


def dir_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def write_readme_table(root: Path, out: Output) -> None:
    """Refresh the generated part of README.md (between the markers), keeping the rest."""
    readme = root / "README.md"
    if not readme.exists():
        return
    begin, end = "<!-- generated: documents -->", "<!-- /generated -->"
    rows = ["| file | kind | pages | template | variant |", "|---|---|---|---|---|"]
    for m in out.manifest:
        v = m["variant"]
        if v is None:
            desc = "text layer"
        else:
            bits = [f"{v['dpi']} dpi"]
            if v["rotation_deg"]:
                bits.append(f"skew {v['rotation_deg']:+}°")
            if any(v["orientation"]):
                bits.append(
                    "turned "
                    + ", ".join(
                        f"p{p}:{o}°"
                        for p, o in zip(v["source_pages"], v["orientation"], strict=True)
                        if o
                    )
                )
            if v["noise"]:
                bits.append(f"noise σ{v['noise']:g}")
            if v["blur_radius_px"]:
                bits.append(f"blur {v['blur_radius_px']:g}px")
            if v["bilevel"]:
                bits.append("bilevel G4")
            if v["tint"]:
                bits.append("colour, tinted paper")
            if v["lighting"]:
                bits.append("uneven lighting")
            if v["jpeg_quality"]:
                bits.append(f"JPEG q{v['jpeg_quality']}")
            if len(v["source_pages"]) < 3:
                bits.append(f"page {','.join(map(str, v['source_pages']))} only")
            desc = ", ".join(bits)
        rows.append(
            f"| `{m['file']}` | {m['kind']} | {m['pages']} | {m['template_version']} | {desc} |"
        )
    size = dir_size(root)
    block = "\n".join(
        [
            begin,
            f"Total size of sample_scans/: {size / 1e6:.1f} MB ({len(out.manifest)} documents).",
            "",
            *rows,
            end,
        ]
    )
    text = readme.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None, *, out: Path, real_pdfs: Path) -> int:
    """The command line of sample_scans/generate.py; `out` and `real_pdfs` are the defaults of
    --out and --real-pdfs (the repository's sample_scans/ and shared/real-pdfs beside it)."""
    ap = argparse.ArgumentParser(description=DESCRIPTION)
    ap.add_argument("--out", type=Path, default=out, help=f"output root (default: {out})")
    ap.add_argument("--only", nargs="*", help="synthetic report names to build (default: all)")
    ap.add_argument("--skip-real", action="store_true", help="do not rasterise the real PDFs")
    ap.add_argument(
        "--real-pdfs", type=Path, default=real_pdfs, help=f"the real PDFs (default: {real_pdfs})"
    )
    ap.add_argument("--no-scans", action="store_true", help="text-layer PDFs only")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    t = load_template()
    root: Path = args.out
    output = Output()
    specs = [s for s in SPECS if not args.only or s.name in args.only]
    for spec in specs:
        generate_synthetic(spec, root, output, t, scans=not args.no_scans)
        print(f"  {spec.name}")
    if not args.skip_real:
        if not args.real_pdfs.is_dir():
            raise SystemExit(f"{args.real_pdfs} not found (use --skip-real or --real-pdfs)")
        for name in REAL:
            generate_real(name, args.real_pdfs, root, output, t)
            print(f"  {name} (real)")
    full = not args.only and not args.skip_real and not args.no_scans
    if full:
        for d in GENERATED_DIRS:
            for p in (root / d).glob("*"):
                if p.is_file() and p not in output.written:
                    p.unlink()
                    print(f"  removed stale {p.relative_to(root)}")
        write_json(
            root / "manifest.json",
            {"seed": SEED, "generator": "sample_scans/generate.py", "documents": output.manifest},
        )
        write_readme_table(root, output)
    took = time.perf_counter() - started
    print(f"{len(output.manifest)} documents, pages by kind: {output.pages_by_kind}")
    print(f"size of {root}: {dir_size(root) / 1e6:.1f} MB; took {took:.1f} s")
    return 0
