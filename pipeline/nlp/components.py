"""Registered spaCy components for quantities and named items.

`nianbao_quantities`: a Matcher over jieba tokens finds "number (+ approximation) + unit"
spans, whatever way jieba cut them ("4" "人次", "两次", "300" "余人次", "十九" "件", and
long Chinese numerals cut in pieces: "四百" "二十" "人次", "一" "千余条"), into
`doc.spans["quantities"]`.

`nianbao_items`: for each item of items.yaml, every trigger occurrence takes the quantity right
before it ("7件人大代表建议") or else looks right, within the same clause and at most
`max_gap_tokens` tokens, for the first quantity whose unit the item accepts and that is not
itself followed by another item's trigger (a clause break ends the search unless one of the
item's `continue_after_break` words follows it: 收取信息处理费，合计480元); `zero_patterns`
(未收取…信息处理费) give 0. Results go to `doc.spans["items"]` with their item key, value and
flags in the span group's attrs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..template import load_template
from ..template.loader import ItemSpec, ItemsSpec
from ..textnorm import CN_NUMERAL, parse_number


@dataclass(frozen=True)
class Mention:
    """One figure found in prose for an item (or a prose figure's target path)."""

    key: str
    value: int | float
    raw: str
    approximate: bool
    chinese_numeral: bool
    start_char: int
    end_char: int
    sentence: str


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _quantity_patterns(q: Any) -> list[list[dict[str, Any]]]:
    num = q.number
    units = _alt(q.units)
    after = _alt(q.approx_after)
    space = {"IS_SPACE": True, "OP": "*"}
    # leading pieces of a Chinese numeral jieba cut off: "四百" "二十" "人次"
    pieces = {"TEXT": {"REGEX": f"^{q.numeral_token}$"}, "OP": "*"}
    return [
        # number | unit           "4" "人次", "1200" "余条", "三千余" "条"
        [
            pieces,
            {"TEXT": {"REGEX": f"^{num}(?:{after})?$"}},
            space,
            {"TEXT": {"REGEX": f"^(?:{after})?(?:{units})$"}},
        ],
        # number | approx | unit  "300" "余" "人次"
        [
            pieces,
            {"TEXT": {"REGEX": f"^{num}$"}},
            space,
            {"TEXT": {"REGEX": f"^(?:{after})$"}},
            {"TEXT": {"REGEX": f"^(?:{units})$"}},
        ],
        # one token               "两次", "19件", or the last piece: "一" "千余条"
        [pieces, {"TEXT": {"REGEX": f"^{num}(?:{after})?(?:{units})$"}}],
    ]


class Quantities:
    def __init__(self, nlp: Language, name: str) -> None:
        q = load_template().items.quantity
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("QUANTITY", _quantity_patterns(q))
        self.split = re.compile(
            rf"^(?P<num>{q.number})\s*(?P<approx>{_alt(q.approx_after)})?\s*(?P<unit>{_alt(q.units)})$"
        )
        self.before = re.compile(rf"(?:{_alt(q.approx_before)})\s*$")
        self.words = set(q.approx_before)

    def __call__(self, doc: Doc) -> Doc:
        spans = spacy.util.filter_spans(
            [Span(doc, s, e, label="QUANTITY") for _, s, e in self.matcher(doc)]
        )
        parsed = []
        for span in spans:
            m = self.split.match(span.text.replace(" ", ""))
            if not m:
                continue
            value = parse_number(m.group("num"))
            if value is None:
                continue
            prefix = doc[max(0, span.start - 2) : span.start].text
            approx = bool(m.group("approx")) or bool(self.before.search(prefix))
            for k in (1, 2):  # an approximation before the number stays in raw: 约300人次
                if doc[max(0, span.start - k) : span.start].text.replace(" ", "") in self.words:
                    span = Span(doc, span.start - k, span.end, label="QUANTITY")
                    break
            parsed.append(
                (span, value, m.group("unit"), approx, bool(CN_NUMERAL.match(m.group("num"))))
            )
        doc.spans["quantities"] = [p[0] for p in parsed]
        doc.spans["quantities"].attrs["parsed"] = parsed
        return doc


class Items:
    def __init__(self, nlp: Language, name: str) -> None:
        spec: ItemsSpec = load_template().items
        self.max_gap = spec.quantity.max_gap_tokens
        self.breaks = set(spec.quantity.clause_breaks)
        self.joiners = set(spec.quantity.joiners)
        self.items: dict[str, ItemSpec] = dict(spec.items)
        self.triggers = {k: re.compile(_alt(s.triggers)) for k, s in self.items.items()}
        self.zero = {k: [re.compile(p) for p in s.zero_patterns] for k, s in self.items.items()}
        for i, fig in enumerate(spec.prose_figures):
            key = f"prose:{fig.target}"
            self.items[key] = ItemSpec(
                description=f"prose figure {i}", triggers=fig.triggers, units=fig.units
            )
            self.triggers[key] = re.compile(_alt(fig.triggers))
            self.zero[key] = []

    def __call__(self, doc: Doc) -> Doc:
        found: list[Mention] = []
        text = doc.text  # built anew on each access: read once
        parsed = doc.spans["quantities"].attrs.get("parsed", [])
        triggers: dict[str, list[Span]] = {}
        for key, pattern in self.triggers.items():
            spans = [
                doc.char_span(m.start(), m.end(), alignment_mode="expand")
                for m in pattern.finditer(text)
            ]
            triggers[key] = [s for s in spans if s is not None]
        # A quantity right before a trigger counts that trigger's noun ("19件政协委员提案").
        owner = {t.start: key for key, spans in triggers.items() for t in spans}
        ends = {t.end: key for key, spans in triggers.items() for t in spans}
        for key, item in self.items.items():
            used: set[int] = set()
            for pattern in self.zero[key]:
                for m in pattern.finditer(text):
                    found.append(
                        Mention(key, 0, m.group(0), False, False, m.start(), m.end(), text)
                    )
            for trig in triggers[key]:
                if self._excluded(doc, trig, item) or self._joined(doc, trig, key, ends):
                    continue
                for span, value, unit, approx, cn in parsed:
                    before = span.end == trig.start
                    after = trig.end <= span.start <= trig.end + self.max_gap
                    if not (before or after) or unit not in item.units:
                        continue
                    if after and self._broken(doc, trig.end, span.start, item):
                        break
                    if after and owner.get(span.end, key) != key:
                        continue  # this figure counts the next item's noun
                    if after and any(owner.get(i, key) != key for i in range(trig.end, span.start)):
                        break  # another item is named in between: a combined figure
                    if span.start not in used:
                        used.add(span.start)
                        found.append(
                            Mention(
                                key,
                                value,
                                span.text,
                                approx,
                                cn,
                                span.start_char,
                                span.end_char,
                                text,
                            )
                        )
                    break
        doc.spans["items"] = []
        doc.spans["items"].attrs["mentions"] = found
        return doc

    def _broken(self, doc: Doc, start: int, end: int, item: ItemSpec) -> bool:
        """A clause break between the trigger and the figure, unless the item's
        `continue_after_break` word follows it (…收取信息处理费，合计480元)."""
        for i in range(start, end):
            if doc[i].text in self.breaks:
                rest = doc[i + 1 : end].text.replace(" ", "")
                if not any(rest.startswith(w) for w in item.continue_after_break):
                    return True
        return False

    def _joined(self, doc: Doc, trig: Span, key: str, ends: dict[int, str]) -> bool:
        """A trigger joined to another item's (人大代表建议和政协提案共15件) is a combined count."""
        i = trig.start
        while i > 0 and doc[i - 1].text in self.joiners:
            i -= 1
        return i < trig.start and ends.get(i, key) != key

    def _excluded(self, doc: Doc, trig: Span, item: ItemSpec) -> bool:
        if not item.exclude_in_clause:
            return False
        start = trig.start
        while start > 0 and doc[start - 1].text not in self.breaks:
            start -= 1
        clause = "".join(t.text_with_ws for t in doc[start : trig.end])
        return any(w in clause for w in item.exclude_in_clause)


@Language.factory("nianbao_quantities")
def make_quantities(nlp: Language, name: str) -> Quantities:
    return Quantities(nlp, name)


@Language.factory("nianbao_items", requires=["doc.spans"], assigns=["doc.spans"])
def make_items(nlp: Language, name: str) -> Items:
    return Items(nlp, name)


def build_nlp(segmenter: str = "jieba") -> Language:
    """A blank Chinese pipeline with the two components; nothing is downloaded."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    nlp.add_pipe("nianbao_quantities")
    nlp.add_pipe("nianbao_items")
    return nlp


def mentions(doc: Doc) -> list[Mention]:
    result: list[Mention] = doc.spans["items"].attrs["mentions"]
    return result
