"""Settings of `nianbao train` (configs/train/default.yaml): the labelled corpora, the
extraction noise and the real-page shapes put on them. Part of pipeline/settings.py, which
re-exports every name here."""

from __future__ import annotations

from pydantic import Field

from .settings_base import _Section


class ExtractionNoiseSettings(_Section):
    """Errors put into the labelled documents for calibration and the held-out report
    (sample_scans/generator/noise.py): the truth stays, the text goes wrong."""

    clean_share: float = Field(0.35, ge=0, le=1)  # documents left without any extraction error
    max_events: int = Field(2, ge=1)  # a kind that occurs in a document occurs 1..this many times
    rates: dict[str, float] = {  # kind -> probability it occurs in a noisy document
        "digit_confusion": 0.3,  # 0<->8, 1<->7, 3->8, 5<->6, 1->l/I, 0->O/〇 in a table cell
        "na_misread": 0.1,  # "/" read as 1, "—" as 一
        "digit_dropped": 0.15,
        "digit_doubled": 0.15,
        "cells_merged": 0.15,  # separator lost: 12|5 -> 125
        "cell_split": 0.1,  # 125 -> 12|5
        "blank_lost": 0.15,  # an empty cell dropped: the row shifts left (flattened web tables)
        "row_lost": 0.1,
        "label_garbled": 0.2,
        "thousands_sep": 0.15,  # 1234 -> 1,234
        "prose_figure": 0.25,  # a figure in the prose misread, dropped or doubled
    }


class ShapeSettings(_Section):
    """Labelled documents in the shapes real pages take (nianbao.synth.shapes), besides the
    others: for the calibration and, apart, for the held-out report. Each document draws one
    table rendering and one agency variant by weight, the rest by probability."""

    # training-split documents after the calibration's (their own agencies' pool)
    calibration_docs: int = Field(400, ge=0)
    heldout_docs: int = Field(150, ge=0)  # held-out documents after the held-out report's
    # rendering -> weight: legacy (the renderings above), html_blank (zero cells empty <td>),
    # markdown (converter pipe tables), markdown_rows (one pipe table per row), torn (labels
    # torn from numbers, pipe fragments)
    tables: dict[str, float] = {
        "legacy": 0.1,
        "html_blank": 0.3,
        "markdown": 0.15,
        "markdown_rows": 0.1,
        "torn": 0.35,
    }
    # agency variant -> weight: title, preamble (only in a preamble sentence), label_line
    # (单位：/名称：), gov_variant (政府 vs 人民政府), short_form (市发改委 in the body),
    # signature_only, misread (one character in one mention), traditional (a mirror page in
    # traditional script), unnamed
    agency: dict[str, float] = {
        "title": 0.3,
        "preamble": 0.1,
        "label_line": 0.08,
        "gov_variant": 0.08,
        "short_form": 0.12,
        "signature_only": 0.08,
        "misread": 0.08,
        "traditional": 0.06,
        "unnamed": 0.1,
    }
    header_date: float = Field(0.5, ge=0, le=1)  # a page-header date line (发布时间 …)
    signature_too: float = Field(0.4, ge=0, le=1)  # ... with the signature's date kept too
    markdown_as_txt: float = Field(0.3, ge=0, le=1)  # converter markdown saved as .txt
    cut: float = Field(0.3, ge=0, le=1)  # an opening: the text stops after section 一 begins
    images: float = Field(0.1, ge=0, le=1)  # tables as images, figures only in the prose
    # richer prose figures (always when cut/images)
    rich_figures: float = Field(0.4, ge=0, le=1)
    # table 三 split: header + 0-2 rows, page furniture, the rest
    page_break: float = Field(0.25, ge=0, le=1)
    ascii_punctuation: float = Field(0.2, ge=0, le=1)  # （）：，； printed as ASCII ():,;
    other_bureau: float = Field(0.4, ge=0, le=1)  # a bureau the other documents never draw


class TrainSettings(_Section):
    """`nianbao train`: the labelled corpora and the training run (configs/train/default.yaml
    lists these defaults). Documents are generated (pipeline/synth/labelled.py): split by
    DOCUMENT, the held-out ones from another seed and another pool of agencies."""

    seed: int = 20250101  # generator seed of the training documents; held-out uses `heldout_seed`
    heldout_seed: int = 20250707
    train_docs: int = 400  # classifier training documents
    heldout_docs: int = 150  # held-out documents: the figures in the report
    # further training-split documents (noisy, not used by the classifier), run through the
    # pipeline, for calibration
    calibration_docs: int = 500
    # on calibration and held-out documents, not the classifier's
    noise: ExtractionNoiseSettings = Field(default_factory=ExtractionNoiseSettings)
    # real-page shapes (pipeline/synth/shapes.py): more calibration and held-out documents
    shapes: ShapeSettings = Field(default_factory=lambda: ShapeSettings())
    # a method family (table, meta, prose ...) gets a calibration map of its own when its
    # training fields are at least this many, this many of them wrong; else the shared map
    calibration_group_min_fields: int = 2000
    calibration_group_min_wrong: int = 30
    # tabulated: wrong fields flagged vs review load at each
    review_thresholds: list[float] = [
        0.5, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.985, 0.99,
        0.991, 0.992, 0.993, 0.994, 0.995, 0.996, 0.997, 0.999,
    ]  # fmt: skip
    epochs: int = 8
    dropout: float = 0.2
    batch_size: int = 64
    learn_rate: float = 0.001
    ngram_size: int = 2  # words and word bigrams
    hash_length: int = 262144  # 2^18 hashed features of the bag-of-words model: ~8 MB of weights
