"""The passage classifier: which part of a report a line belongs to.

A spaCy pipeline (blank `zh`, jieba segmenter) with one `textcat` (exclusive classes,
bag-of-words over jieba words and word bigrams) over eight labels: the six sections,
`front_matter` (title, preamble) and `noise` (web navigation, page furniture, pasted unrelated
pages). It is trained by `nianbao train sections` (pipeline/training/sections.py) and loaded
from disk only (models/sections); nothing is downloaded. The sections stage combines its
probabilities with the headings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import ConfigError
from ..textnorm import clean_line, to_simplified

LABELS = (
    "front_matter",
    "section_1",
    "section_2",
    "section_3",
    "section_4",
    "section_5",
    "section_6",
    "noise",
)
NOISE = LABELS.index("noise")
MAX_CHARS = 400  # a passage longer than this is classified by its beginning


def passage_text(text: str) -> str:
    """The form a passage is classified in, the same at training and at run time (simplified
    script: the classifier learnt simplified words)."""
    return to_simplified(clean_line(text)[:MAX_CHARS])


def blank_pipeline(ngram_size: int, hash_length: int) -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    textcat = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": ngram_size,
                "no_output_layer": False,
                "length": hash_length,
            }
        },
    )
    for label in LABELS:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


class PassageClassifier:
    """Probabilities over LABELS for each passage, from a model directory on disk."""

    def __init__(self, nlp: Language, batch_size: int) -> None:
        self.nlp = nlp
        self.batch_size = batch_size

    @classmethod
    def load(cls, path: Path, batch_size: int) -> PassageClassifier:
        if not (path / "config.cfg").is_file():
            raise ConfigError(
                f"{path}: passage classifier not found; run `nianbao train sections` "
                "or set sections.model: null"
            )
        try:
            nlp = spacy.load(path)
        except Exception as exc:  # a damaged model dir must say which one
            raise ConfigError(f"{path}: cannot load passage classifier: {exc}") from exc
        if tuple(nlp.get_pipe("textcat").labels) != LABELS:  # type: ignore[attr-defined]
            raise ConfigError(f"{path}: classifier labels differ from {LABELS}")
        return cls(nlp, batch_size)

    def predict(self, texts: Sequence[str]) -> list[list[float]]:
        """Probabilities in LABELS order; a passage with no words says nothing (uniform)."""
        clean = [passage_text(t) for t in texts]
        out = [[1.0 / len(LABELS)] * len(LABELS) for _ in clean]
        wordy = [i for i, t in enumerate(clean) if t.strip()]
        docs = self.nlp.pipe((clean[i] for i in wordy), batch_size=self.batch_size)
        for i, doc in zip(wordy, docs, strict=True):
            out[i] = [float(doc.cats[label]) for label in LABELS]
        return out
