"""Settings of the page engines: rendering, images on text-layer pages, preparation of scans,
layout and the OCR kinds (configs/default.yaml, configs/ocr/<kind>.yaml). Part of
pipeline/settings.py, which re-exports every name here."""

from __future__ import annotations

from typing import Literal

from .settings_base import _Section


class RenderSettings(_Section):
    dpi: int = 200  # page images (and every evidence bbox) are at this resolution
    use_text_layer: bool = True  # read a born-digital PDF page's text layer when it is real text
    min_text_chars: int = 30  # fewer characters than this in the text layer: a scan
    min_cjk_ratio: float = 0.3  # share of CJK characters a real text layer has at least
    # share of unmapped/symbol glyphs above which the layer is garbage (broken glyph map: OCR it)
    max_garbage_ratio: float = 0.05
    # text layer: a gap wider than this many font heights (loose boxes) splits a run
    char_gap_ratio: float = 0.6
    pdf_suffixes: list[str] = [".pdf"]
    image_suffixes: list[str] = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"]
    # Hostile input (issue #8): limits checked before anything big is decoded, so a bomb costs
    # nothing.
    max_pages: int = 200  # pages after this are not read (error `too_many_pages`)
    # an image (frame) larger than this is refused before decoding; a PDF page larger than this
    # at `dpi` is not rendered (nor its blank-page thumbnail). 30 MP: A4 at 550 dpi. Measured
    # (#15, one worker, paddle): 3.9 MP 1.4 GB, 10 MP 2.1 GB, 20 MP 2.5 GB, 40 MP 2.8 GB peak;
    # so the worst case under the limit stays inside batch.memory_limit_mb (3000)
    max_image_pixels: int = 30000000
    max_page_pixels: int = 30000000
    # a PDF stream inflating past this (256 MiB) is a decompression bomb
    max_stream_bytes: int = 268435456
    blank_dpi: int = 24  # a page needing OCR is first looked at this small to skip blank pages
    blank_contrast: int = 40  # grey levels from the page's median that count as ink
    blank_max_ink: float = 0.0005  # a page with a smaller share of ink pixels is blank (no OCR)


class ImageSettings(_Section):
    """Images on text-layer PDF pages (issue #18): a table pasted as a picture, a scanned page
    or form inside a born-digital PDF, a stamp, a logo. Each image object is measured; one that
    may hold text is rendered at `render.dpi` and read like a scanned region (OCR and ruled
    grids, in page coordinates); the others cost no OCR."""

    enabled: bool = True  # look at the image objects of text-layer pages at all
    min_area_share: float = 0.04  # smaller images (share of the page area) hold no table
    min_side_inches: float = 1.0  # ... nor images narrower or shorter than this
    probe_dpi: int = 40  # the text-likeness test looks at a rendering this small
    ink_contrast: int = 60  # grey levels below the image's background that count as ink
    # text on paper: the ink covers this share of the image, no less, no more (a photo or a
    # filled logo has more)
    min_ink_share: float = 0.005
    max_ink_share: float = 0.35
    max_colour_share: float = 0.5  # a larger share of coloured ink (a red stamp, a logo): no text
    colour_chroma: int = 60  # max-min channel difference of a coloured ink pixel
    # share of the image in its `flat_levels` commonest grey levels (bins of 16): paper and a
    # cell shading or two are most of a text image, a photo has its tones spread out
    min_flat_share: float = 0.6
    flat_levels: int = 3
    # an OCR line of the image covered this much by text-layer runs is the layer's text drawn
    # over (or beside) the picture: the run is kept, the OCR line dropped
    text_layer_overlap: float = 0.5


class PrepareSettings(_Section):
    orientation: bool = True  # detect pages turned 90/180/270 and turn them upright
    upside_down_below: float = 0.8  # mean OCR confidence under which other turns are tried
    # only OCR lines this long say which way the text runs (single digits are square)
    orienting_chars: int = 3
    clear_winner: float = (
        3.0  # a reading this many times stronger than the opposite turn settles it
    )
    deskew: bool = True  # straighten pages scanned at a slant
    max_skew_degrees: float = 3.0  # skews searched: up to this either way ...
    skew_step_degrees: float = 0.05  # ... in steps of this
    min_skew_degrees: float = 0.1  # smaller estimated skews are not worth a resampling
    # the coarse skew search looks at a copy of the page this wide (the fine one at 1000 px)
    skew_coarse_width: int = 500
    denoise: bool = True  # 3x3 median filter
    # A page image larger than this (pixels) is shrunk to it before it is prepared and read, and
    # the boxes read on it are scaled back to page pixels (issue #17): memory stays under 1.5 GB
    # per worker on any page up to render.max_page_pixels. 4.2 MP keeps A4 and Letter at 200 dpi
    # as they are; a 300-dpi A4 scan (8.7 MP) is read at about 200 dpi (the OCR engine shrinks
    # its input to rapid.max_side_len anyway).
    work_max_pixels: int = 4200000


class LayoutSettings(_Section):
    # a fragment overlapping a row's band by this share of its height joins it
    row_overlap: float = 0.5
    # a fragment taller than this many char heights (vertical stub text) never widens a row
    tall_chars: float = 2.5
    cell_gap_chars: float = 1.5  # OCR: a gap wider than this many char heights separates cells
    # the same for text-layer runs (pdfium already ends runs at cell boundaries)
    text_layer_cell_gap_chars: float = 0.3
    column_gap_chars: float = 1.5  # number centres further apart than this are different columns
    right_margin_chars: float = 2.0  # a row ending within this of the right margin is full
    indent_chars: float = 1.0  # a row starting this far right of the margin is indented
    # a gap between rows over this many of the page's usual row gaps (at least a character
    # height) ends a paragraph
    paragraph_gap_lines: float = 1.2
    margin_band: float = 0.08  # share of the page height at top and bottom for headers/footers
    height_min_chars: int = 2  # fragments this long measure the character height (not 。，)
    fallback_char_px: float = 20.0  # character height of a page with no fragment to measure
    skew_min_aspect: float = 3.0  # fragments this many times wider than tall give the skew
    snap_min_rows: int = 2  # numeric rows in a run before their numbers are snapped to columns


class _PpOcrSettings(_Section):
    """What the two PP-OCR engines (paddle, rapid) share: the ONNX files and DB/CTC settings.

    The defaults that differ between the engines are declared on each engine's model."""

    # folder with the ONNX files; None: the rapidocr wheel's rapidocr/models/
    source_dir: str | None = None
    det_onnx: str = "PP-OCRv6_det_small.onnx"  # file names in source_dir
    rec_onnx: str = "PP-OCRv6_rec_small.onnx"
    cpu_threads: int = 2  # onnxruntime intra-op threads (the machines have 2 cores)
    det_limit_side_len: int  # detection input size (defaults per engine)
    det_limit_type: Literal["min", "max"] = "min"
    det_thresh: float = 0.3  # DB binarisation threshold on the text probability map
    det_box_thresh: float  # a box whose mean probability is lower is dropped
    det_unclip_ratio: float  # how far a detected text kernel is grown into a line box
    rec_batch_size: int = 6  # text lines per recogniser batch
    # lines scoring lower are dropped by the engine (0: keep every line; its confidence travels
    # with it)
    rec_score_thresh: float = 0.0


class PaddleOcrSettings(_PpOcrSettings):
    """PaddleOCR 3.x, fully offline on onnxruntime, with model dirs prepared from the ONNX
    weights (pipeline/engines/ocr/paddle.py; no download, no paddlepaddle)."""

    kind: Literal["paddle"] = "paddle"
    # PaddleX model dirs are prepared here at first use; None: <cache dir>/paddleocr, the cache
    # dir being $NIANBAO_CACHE, else $XDG_CACHE_HOME/nianbao, else ~/.cache/nianbao (relative:
    # against that cache dir). Where, not what: left out of the digest.
    model_root: str | None = None
    # PaddleX model name (= the prepared dir's name and its Global.model_name)
    det_model_name: str = "PP-OCRv6_small_det"
    rec_model_name: str = "PP-OCRv6_small_rec"
    # onnxruntime SessionOptions; memory only, never the output (so left out of the digest).
    # The CPU arena keeps the largest activation ever seen (full-page detection) and grows in
    # chunks; with both off the same pages read the same text and peak RSS drops from about
    # 1.9 GB to about 1.35 GB for the engine alone (benchmarks/batch.py).
    mem_arena: bool = False  # enable_cpu_mem_arena: keep freed activations in a growing arena
    mem_pattern: bool = False  # enable_mem_pattern: pre-plan allocations per input shape
    # Detection input size. PaddleOCR's pipeline default (min, 64) runs detection on the full
    # page: peak memory about 1.9 GB on 200-dpi scans. `max` with 1600 caps it at about 1.46 GB
    # but cost 1.4 points of field accuracy on sample_scans/real (benchmarks/scan_path.py).
    det_limit_side_len: int = 64
    det_box_thresh: float = 0.6
    det_unclip_ratio: float = 1.5


class RapidOcrSettings(_PpOcrSettings):
    """RapidOCR 3.x called directly, on the ONNX files its wheel ships (pipeline/engines/ocr/
    rapid.py); the detection values are rapidocr's defaults."""

    kind: Literal["rapid"] = "rapid"
    cls_onnx: str = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"  # 180-degree text-line classifier
    use_cls: bool = False  # ... used only when on; page orientation is handled before OCR
    # where the ONNX files run: openvino took about half onnxruntime's time per page on 2 cores
    # (benchmarks/ocr_speed.py); auto = openvino when it is installed, else onnxruntime
    runtime: Literal["auto", "onnxruntime", "openvino"] = "auto"
    # OpenVINO: the recogniser hands back only the best character and its probability at each
    # step (a TopK(1) appended in memory) instead of the whole softmax over 18,710 characters
    # that rapidocr's decoder reduces to exactly these: the same text and scores, less memory
    # traffic (benchmarks/ocr_speed.py). Speed only.
    rec_top_one: bool = True
    max_side_len: int = 2000  # pages are scaled down so their longer side is at most this
    # Detection on the page scaled to a longer side of 1280 (about 905x1280 on A4; rapidocr's
    # own default, min 736, ran it at about 1408x1984 at 200 dpi for 2.5x the time): the same
    # field accuracy and CER on the real scans. Smaller, detection misses more lone thin
    # digits ("1"); the grid reader re-reads every inked empty cell of a data row from its
    # crop, which recovers them (tests/data/real_shapes; issue #17, benchmarks/ocr_speed.py)
    det_limit_type: Literal["min", "max"] = "max"
    det_limit_side_len: int = 1280
    det_box_thresh: float = 0.5
    det_unclip_ratio: float = 1.6


class TesseractOcrSettings(_Section):
    """Debian's tesseract binary with chi_sim, run as a subprocess per image (pipeline/engines/
    ocr/tesseract.py); optional, weakest on digits."""

    kind: Literal["tesseract"] = "tesseract"
    binary: str = "tesseract"  # name on PATH or a path
    lang: str = "chi_sim"  # e.g. chi_sim, or chi_sim+eng
    # page segmentation mode for whole pages (3: automatic; psm 6 drops ruled tables)
    psm: int = 3
    crop_psm: int = 7  # for recognize_crops (7: a single text line)
    # resolution of the images passed in (they carry none); keep equal to render.dpi: without
    # it tesseract drops table text
    dpi: int = 200
    cpu_threads: int = 1  # OMP_THREAD_LIMIT: OpenMP costs more than it gains on 2 cores
    timeout_s: float = 60  # one image's wall time before tesseract is stopped
