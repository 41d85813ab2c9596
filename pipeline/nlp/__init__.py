"""spaCy internals used only by the items stage: a blank `zh` pipeline (jieba segmenter) with
two registered components whose patterns are generated from pipeline/template/items.yaml.
No spaCy object leaves pipeline/nlp or the items stage."""

from .components import Mention, build_nlp, mentions

__all__ = ["Mention", "build_nlp", "mentions"]
