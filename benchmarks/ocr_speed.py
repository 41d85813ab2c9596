"""OCR speed and memory (issue #17): the scan path end to end against the bare OCR engine, per
option, on the same pages in one run; CER and field accuracy per option; peak RSS per worker.

    .venv/bin/python benchmarks/ocr_speed.py                        # everything
    .venv/bin/python benchmarks/ocr_speed.py --groups real --skip-memory
    .venv/bin/python benchmarks/ocr_speed.py --memory-only

Pages: sample_scans/real (the real reports in ../shared/real-pdfs rasterised: "clean" at 200 dpi,
"noisy" at 150 dpi with noise and skew) and, with `--groups synthetic`, the synthetic scans of
sample_scans (clean and noisy). Every page is rendered the way the pipeline renders it
(engines/render.py at render.dpi), so bare and pipeline see the same pixels.

Interleaved: per document, the bare engine reads its pages, then each option runs the document
end to end, the options' order rotating from one document to the next, then the bare engine
reads the pages again (its time is the mean of its two passes); so machine load (the machine
is shared) hits every side alike and the ratios hold even when the seconds do not.

Bare = `rapidocr.RapidOCR()` with its default settings (PP-OCRv6 small from its wheel,
onnxruntime, 180-degree classifier on), called on the page image. An option = the pipeline
(`Pipeline.run_doc`) with the settings named, timed from the file to the record.

Memory: one subprocess per input (peak RSS = resource.getrusage maxrss of that process): a page
image of 3.9, 10, 20 and 30 MP (the render.max_page_pixels limit) made from a real scan page,
and every bundled scan, each with the default settings.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "sample_scans"
OUT = ROOT / "benchmarks" / "results" / "ocr_speed.json"
MEMORY_SIZES_MP = (3.9, 10.0, 20.0, 30.0)

_RAPID_OV: dict[str, Any] = {"kind": "rapid", "runtime": "openvino"}
_DET_MIN_736: dict[str, Any] = {"det_limit_type": "min", "det_limit_side_len": 736}
_WHOLE: dict[str, Any] = {"rec_top_one": False}  # the recogniser's whole softmax out
_SKEW_1000: dict[str, Any] = {"prepare": {"skew_coarse_width": 1000}}  # coarse skew at full copy


def _det_max(side: int) -> dict[str, Any]:
    """Detection on the page scaled so its longer side is `side` (rapidocr: min 736)."""
    return {"det_limit_type": "max", "det_limit_side_len": side}


# name -> config overrides (the chosen default: `default_settings` in the JSON)
OPTIONS: dict[str, dict[str, Any]] = {
    "paddle (the default before #17)": {"ocr": {"kind": "paddle"}},
    "rapid onnxruntime": {"ocr": {"kind": "rapid", "runtime": "onnxruntime"}},
    # the default between the two #17 rounds: detection at rapidocr's min 736, the whole softmax
    # out of the recogniser, the coarse skew search on the 1000 px copy
    "rapid openvino": {"ocr": {**_RAPID_OV, **_DET_MIN_736, **_WHOLE}, **_SKEW_1000},
    "rapid openvino, det max 1600": {
        "ocr": {**_RAPID_OV, **_det_max(1600), **_WHOLE},
        **_SKEW_1000,
    },
    "rapid openvino, det max 1280": {
        "ocr": {**_RAPID_OV, **_det_max(1280), **_WHOLE},
        **_SKEW_1000,
    },
    # second round, one change at a time from the line above, then the default (all of them)
    "rapid openvino, det max 1280, top-one rec": {
        "ocr": {**_RAPID_OV, **_det_max(1280)},
        **_SKEW_1000,
    },
    "rapid openvino, det max 1280, coarse skew 500 px": {
        "ocr": {**_RAPID_OV, **_det_max(1280), **_WHOLE}
    },
    "default: rapid openvino, det max 1280, top-one rec, coarse skew 500 px": {
        "ocr": {**_RAPID_OV, **_det_max(1280)}
    },
    "default, but rec batch 12": {"ocr": {**_RAPID_OV, **_det_max(1280), "rec_batch_size": 12}},
    "default, but det max 1024": {"ocr": {**_RAPID_OV, **_det_max(1024)}},
    "default, but det min 736 (rapidocr's)": {"ocr": {**_RAPID_OV, **_DET_MIN_736}},
}


def documents(groups: list[str], only: list[str] | None = None) -> list[tuple[str, Path, Path]]:
    """(group, document, truth) for the scans of sample_scans in `groups` (and whose file name
    contains one of `only`, when given)."""
    manifest = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for doc in manifest["documents"]:
        variant = doc.get("variant")
        if not variant:
            continue
        real = doc["file"].startswith("real/")
        if ("real" if real else "synthetic") not in groups:
            continue
        if only and not any(part in doc["file"] for part in only):
            continue
        damaged = variant["noise"] or variant["rotation_deg"] or variant.get("bilevel")
        group = f"{'real' if real else 'synthetic'}_{'noisy' if damaged else 'clean'}"
        path = SCANS / doc["file"]
        truth = path.with_name(path.name.split(".")[0] + ".truth.json")
        out.append((group, path, truth))
    return out


def settings_for(overrides: dict[str, Any]) -> Any:
    from nianbao.settings import load_settings

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        yaml.safe_dump(overrides, fh)
    return load_settings(fh.name)


def page_images(path: Path) -> list[Any]:
    """The pages as the pipeline renders them (before prepare), RGB."""
    from nianbao.engines.render import open_pages
    from nianbao.settings import Settings

    source = open_pages(path, Settings().render.model_copy(update={"use_text_layer": False}))
    try:
        return [p.image() for p in source.pages()]
    finally:
        source.close()


def bag_errors(got: str, want: str) -> int:
    """Order-free character errors after NFKC, as evaluate.page_bag_cer counts them."""
    import unicodedata
    from collections import Counter

    g, w = (Counter(unicodedata.normalize("NFKC", t)) for t in (got, want))
    return max(sum((w - g).values()), sum((g - w).values()))


class Tally:
    def __init__(self) -> None:
        self.pages = 0
        self.seconds = 0.0
        self.ocr_seconds = 0.0
        self.chars = 0
        self.errors = 0.0
        self.bag = 0.0
        self.fields = 0
        self.right = 0

    def figures(self, bare: Tally | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pages": self.pages,
            "s_per_page": round(self.seconds / max(self.pages, 1), 3),
        }
        if bare is not None:
            out["ratio_to_bare"] = round(self.seconds / max(bare.seconds, 1e-9), 3)
            if bare is not self:  # the pipeline's own OCR calls (timings_ms.ocr_ms)
                out["s_per_page_ocr_calls"] = round(self.ocr_seconds / max(self.pages, 1), 3)
        if self.chars:
            out["cer_reading_order"] = round(self.errors / self.chars, 5)
            out["cer_order_free"] = round(self.bag / self.chars, 5)
        if self.fields:
            out["fields"] = self.fields
            out["field_accuracy"] = round(self.right / self.fields, 4)
        return out


def read_bare(bare: Any, images: list[Any]) -> tuple[float, list[str]]:
    """Seconds bare RapidOCR takes on the pages, and the text it reads on each."""
    seconds, texts = 0.0, []
    for image in images:
        t0 = time.perf_counter()
        out = bare(image[:, :, ::-1].copy())  # BGR, as rapidocr reads arrays
        seconds += time.perf_counter() - t0
        texts.append("".join(out.txts or []))
    return seconds, texts


def speed(groups: list[str], options: list[str], only: list[str] | None) -> dict[str, Any]:
    from nianbao.evaluate import _document_texts, compare, load_truth, page_bag_cer
    from nianbao.runner import Pipeline
    from rapidfuzz.distance import Levenshtein
    from rapidocr import RapidOCR

    bare = RapidOCR(params={"Global.log_level": "warning"})
    pipelines = {name: Pipeline(settings_for(OPTIONS[name])) for name in options}
    docs = documents(groups, only)
    # warm-up: every engine loads its models on a one-page scan (not timed)
    warm = SCANS / "images" / "baishui-street-2023-p3.png"
    bare(page_images(warm)[0][:, :, ::-1].copy())
    for pipe in pipelines.values():
        pipe.run_doc(warm)
    tallies: dict[str, dict[str, Tally]] = {}
    for k, (group, path, truth_path) in enumerate(docs):
        truth = load_truth(truth_path)
        row = tallies.setdefault(group, {})
        images = page_images(path)
        t = row.setdefault("bare", Tally())
        before, bare_text = read_bare(bare, images)
        numbers = {p["page"] for p in truth.get("pages", [])}
        want = "".join("".join(p["text"].split()) for p in truth.get("pages", []))
        got = "".join("".join(s.split()) for i, s in enumerate(bare_text) if i + 1 in numbers)
        if want:
            t.errors += Levenshtein.distance(got, want)
            t.bag += bag_errors(got, want)
            t.chars += len(want)
        turn = k % len(options)
        for name in options[turn:] + options[:turn]:
            t0 = time.perf_counter()
            doc, record = pipelines[name].run_doc(path)
            seconds = time.perf_counter() - t0
            t = row.setdefault(name, Tally())
            t.seconds += seconds
            t.ocr_seconds += doc.timings_ms.get("ocr_ms", 0.0) / 1000
            t.pages += len(doc.pages)
            if truth.get("pages"):
                got_text, want_text = _document_texts(doc, truth["pages"])
                t.errors += Levenshtein.distance(got_text, want_text)
                t.bag += page_bag_cer(doc, truth["pages"]) * len(want_text)
                t.chars += len(want_text)
            results = compare(record, truth)
            t.fields += len(results)
            t.right += sum(f.correct for f in results)
        # bare again after the options: its time is the mean of the two passes, so load that
        # rises or falls while the options run hits bare as much as the options
        after, _ = read_bare(bare, images)
        t = row["bare"]
        t.seconds += (before + after) / 2
        t.pages += len(images)
        drift = f"bare {before / len(images):.2f} then {after / len(images):.2f} s/page"
        print(f"{group} {path.name}: {len(images)} pages, {drift}", file=sys.stderr, flush=True)
    out: dict[str, Any] = {"groups": {}}
    for group, row in sorted(tallies.items()):
        out["groups"][group] = {name: t.figures(row.get("bare")) for name, t in row.items()}
    total: dict[str, Tally] = {}
    for row in tallies.values():
        for name, t in row.items():
            acc = total.setdefault(name, Tally())
            for key, value in vars(t).items():
                setattr(acc, key, getattr(acc, key) + value)
    out["all"] = {name: t.figures(total.get("bare")) for name, t in total.items()}
    return out


def big_page(mp: float, folder: Path) -> Path:
    """A real scan page enlarged to `mp` megapixels, as a PNG carrying its dpi."""
    import math

    import cv2
    from PIL import Image

    image = page_images(SCANS / "real" / "hongze-district-2023-scan200.pdf")[2]
    h, w = image.shape[:2]
    f = math.sqrt(mp * 1e6 / (h * w))
    big = cv2.resize(image, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC)
    path = folder / f"page-{mp:g}mp.png"
    Image.fromarray(big).save(path, dpi=(round(200 * f), round(200 * f)))
    return path


def peak_rss(path: Path) -> dict[str, Any]:
    """Peak RSS of one process that extracts `path` with the default settings."""
    code = (
        "import resource, sys, time; from nianbao import extract; t = time.perf_counter(); "
        "r = extract(sys.argv[1]); "
        "print(r.source.pages, round(time.perf_counter() - t, 1), "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, r.status.value)"
    )
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    try:
        pages, seconds, rss, status = res.stdout.split()[-4:]
    except ValueError:
        return {"file": path.name, "error": res.stderr[-400:]}
    return {
        "file": path.name,
        "pages": int(pages),
        "seconds": float(seconds),
        "peak_rss_mb": int(rss),
        "status": status,
    }


def memory(only: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"limit_mb": 1500, "page_sizes": [], "bundled_scans": []}
    with tempfile.TemporaryDirectory() as tmp:
        for mp in MEMORY_SIZES_MP:
            row = {"megapixels": mp, **peak_rss(big_page(mp, Path(tmp)))}
            out["page_sizes"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    for _, path, _ in documents(["real", "synthetic"], only):
        row = peak_rss(path)
        out["bundled_scans"].append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    rows = out["page_sizes"] + out["bundled_scans"]
    out["max_peak_rss_mb"] = max((r.get("peak_rss_mb", 0) for r in rows), default=0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", nargs="*", default=["real", "synthetic"])
    parser.add_argument("--options", nargs="*", default=list(OPTIONS))
    parser.add_argument("--docs", nargs="*", help="only scans whose file name contains one")
    parser.add_argument("--memory-docs", nargs="*", help="the same for the memory runs")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--json", type=Path, default=OUT)
    args = parser.parse_args()
    result: dict[str, Any] = (
        json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    )
    from nianbao.settings import Settings

    result["default_settings"] = Settings().ocr.model_dump(mode="json")
    if not args.memory_only:
        result["command"] = " ".join(["benchmarks/ocr_speed.py", *sys.argv[1:]])
        result["options"] = {name: OPTIONS[name] for name in args.options}
        result["speed"] = speed(args.groups, args.options, args.docs)
    if not args.skip_memory:
        result["memory"] = memory(args.memory_docs)
    result["self_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
