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

Prose figures (items.yaml `prose_figures`, keys `prose:<record path>`) are linked the same way
with more care, since the same words count other things nearby: a trigger occurrence inside a
longer one is dropped (上年结转 is not 结转), a trigger needs one of its `requires` words in its
clause (收到 … 申请) and none of `exclude_in_clause`; the figure after it must not be separated
from it by `exclude_between` words (网上, 等, 同比) nor by another target's trigger (a combined
figure); a figure may stand before its trigger (`before`: right before it, 1件尚未审结, or
anywhere earlier in the clause, 9件申请均已答复); a trigger right after a negation (未纠错)
reads nothing. `{group}` in a target is the table-四 group named last before the trigger
(prose_groups; 行政诉讼 alone names two groups, so only a 0 can be given to them). A trigger
with no figure whose spec has `else_same_as` says its path equals another (行政复议1件，尚未审结).
`prose_statements` give paths 0 (未收到申请) or another path's value (均为自然人) with no figure.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Literal

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..template import load_template
from ..template.loader import ItemSpec, ItemsSpec, ProseFigureSpec
from ..textnorm import CN_NUMERAL, parse_number

MentionKind = Literal["stated", "zero_statement", "same_as"]


@dataclass(frozen=True)
class Mention:
    """One figure found in prose for an item (or a prose figure's target path).

    `kind`: a figure the text states (`stated`), a 0 a statement gives with no figure
    (`zero_statement`: 未收到申请), or a path equal to another path `same_as` (均为自然人: the
    自然人 column is the new total; `value` is then meaningless until resolved)."""

    key: str
    value: int | float
    raw: str
    approximate: bool
    chinese_numeral: bool
    start_char: int
    end_char: int
    sentence: str
    kind: MentionKind = "stated"
    same_as: str | None = None


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
        breaks = "".join(re.escape(b) for b in q.clause_breaks)
        self.bare = (
            re.compile(rf"(?:{_alt(q.bare_number_after)})\s*(?P<num>\d+)\s*(?=[{breaks}]|$)")
            if q.bare_number_after
            else None
        )

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
        parsed += self._bare(doc, parsed)
        parsed.sort(key=lambda p: p[0].start)
        doc.spans["quantities"] = [p[0] for p in parsed]
        doc.spans["quantities"].attrs["parsed"] = parsed
        return doc

    def _bare(self, doc: Doc, parsed: list[Any]) -> list[Any]:
        """Bare numbers closing a clause after 数量为 / 为 (unit ""): 结转上年申请数量为0."""
        if self.bare is None:
            return []
        taken = {i for p in parsed for i in range(p[0].start, p[0].end)}
        out = []
        for m in self.bare.finditer(doc.text):
            span = doc.char_span(m.start("num"), m.end("num"), alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            if span.text.strip() != m.group("num"):
                continue  # the number is part of a longer token
            out.append((span, int(m.group("num")), "", False, False))
        return out


@dataclass(frozen=True)
class _Occurrence:
    """A trigger word found in the text, for an item (`key`) or a prose figure (`spec`)."""

    key: str  # item key, or "prose:<target>" as written (with {group})
    spec: int | None  # index into the prose figures; None for an item
    start: int  # tokens
    end: int
    start_char: int
    end_char: int


class Items:
    def __init__(self, nlp: Language, name: str) -> None:
        template = load_template()
        spec: ItemsSpec = template.items
        q = spec.quantity
        self.max_gap = q.max_gap_tokens
        self.breaks = set(q.clause_breaks)
        self.joiners = set(q.joiners)
        self.negation = re.compile(f"(?:{_alt(q.negations)})$") if q.negations else None
        self.items: dict[str, ItemSpec] = dict(spec.items)
        self.triggers = {k: re.compile(_alt(s.triggers)) for k, s in self.items.items()}
        self.zero = {k: [re.compile(p) for p in s.zero_patterns] for k, s in self.items.items()}
        self.figures: list[ProseFigureSpec] = list(spec.prose_figures)
        self.figure_triggers = [re.compile(_alt(f.triggers)) for f in self.figures]
        # table-四 group words, longest first: (word, the record groups it names)
        self.group_words = sorted(
            ((w, g.groups) for g in spec.prose_groups.values() for w in g.words),
            key=lambda wg: -len(wg[0]),
        )
        self.group_pattern = (
            re.compile(_alt([w for w, _ in self.group_words])) if self.group_words else None
        )
        self.group_of = dict(self.group_words)
        paths = template.table_field_paths()
        self.statements = [
            (
                [re.compile(p) for p in st.patterns],
                st.exclude,
                [p for glob in st.zero for p in paths if fnmatch.fnmatchcase(p, glob)],
                dict(st.same_as),
            )
            for st in spec.prose_statements
        ]
        _validate(spec, set(paths))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # built anew on each access: read once
        parsed = doc.spans["quantities"].attrs.get("parsed", [])
        occurrences = self._occurrences(doc, text)
        found = self._items(doc, text, parsed, occurrences)
        found += self._figures(doc, text, parsed, occurrences)
        found += self._statements(text)
        doc.spans["items"] = []
        doc.spans["items"].attrs["mentions"] = found
        return doc

    # ---- trigger occurrences -----------------------------------------------------------------
    def _occurrences(self, doc: Doc, text: str) -> list[_Occurrence]:
        """Every trigger occurrence, less figure triggers inside a longer trigger (上年结转
        holds 结转; 未经复议直接起诉 holds 直接起诉)."""
        found: list[_Occurrence] = []
        patterns: list[tuple[str, int | None, re.Pattern[str]]] = [
            (k, None, p) for k, p in self.triggers.items()
        ]
        patterns += [
            (f"prose:{f.target}", i, self.figure_triggers[i]) for i, f in enumerate(self.figures)
        ]
        for key, idx, pattern in patterns:
            for m in pattern.finditer(text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None:
                    found.append(_Occurrence(key, idx, span.start, span.end, m.start(), m.end()))

        def inside(o: _Occurrence) -> bool:
            return o.spec is not None and any(
                p.start_char <= o.start_char
                and o.end_char <= p.end_char
                and p.end_char - p.start_char > o.end_char - o.start_char
                for p in found
            )

        return sorted((o for o in found if not inside(o)), key=lambda o: (o.start, o.key))

    # ---- named items -------------------------------------------------------------------------
    def _items(
        self, doc: Doc, text: str, parsed: list[Any], occurrences: list[_Occurrence]
    ) -> list[Mention]:
        found: list[Mention] = []
        triggers: dict[str, list[Span]] = {}
        for o in occurrences:
            triggers.setdefault(o.key, []).append(Span(doc, o.start, o.end))
        # A quantity right before a trigger counts that trigger's noun ("19件政协委员提案").
        owner = {t.start: key for key, spans in triggers.items() for t in spans}
        ends = {t.end: key for key, spans in triggers.items() for t in spans}
        for key, item in self.items.items():
            used: set[int] = set()
            for pattern in self.zero[key]:  # the first pattern that says it (they overlap)
                zeros = [
                    Mention(key, 0, m.group(0), False, False, m.start(), m.end(), text)
                    for m in pattern.finditer(text)
                ]
                found += zeros
                if zeros:
                    break
            for trig in triggers.get(key, []):
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
        return found

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

    # ---- prose figures -----------------------------------------------------------------------
    def _figures(
        self, doc: Doc, text: str, parsed: list[Any], occurrences: list[_Occurrence]
    ) -> list[Mention]:
        clause = self._clauses(doc)
        figures = [o for o in occurrences if o.spec is not None]
        usable = [o for o in figures if self._usable(doc, text, o, clause, occurrences)]
        links: dict[_Occurrence, Any] = {}
        claimed: set[int] = set()
        for o in usable:  # figures after their trigger first: 予以公开25件
            q = self._after(text, o, parsed, clause, occurrences)
            if q is not None:
                links[o] = q
                claimed.add(q[0].start)
        for o in usable:  # then before it: 1件尚未审结, 9件申请均已答复
            if o not in links and self._spec(o).before != "none":
                q = self._before(text, o, parsed, clause, occurrences, claimed)
                if q is not None:
                    links[o] = q
                    claimed.add(q[0].start)
        found: list[Mention] = []
        for o in usable:
            spec = self._spec(o)
            q = links.get(o)
            groups = self._groups(text, o, spec)
            if groups is None:
                continue
            if q is not None:
                span, value, _unit, approx, cn = q
                if len(groups) > 1 and value != 0:
                    continue  # 行政诉讼7件: not split into its two groups
                for g in groups:
                    found.append(
                        Mention(
                            "prose:" + spec.target.replace("{group}", g),
                            value,
                            span.text,
                            approx,
                            cn,
                            span.start_char,
                            span.end_char,
                            text,
                        )
                    )
            elif spec.else_same_as and len(groups) == 1:
                (g,) = groups
                found.append(
                    Mention(
                        "prose:" + spec.target.replace("{group}", g),
                        0,
                        text[o.start_char : o.end_char],
                        False,
                        False,
                        o.start_char,
                        o.end_char,
                        text,
                        kind="same_as",
                        same_as=spec.else_same_as.replace("{group}", g),
                    )
                )
        return found

    def _clauses(self, doc: Doc) -> list[int]:
        """The clause number of each token (clause breaks belong to neither side: -1)."""
        out, n = [], 0
        for t in doc:
            if t.text in self.breaks:
                out.append(-1)
                n += 1
            else:
                out.append(n)
        return out

    def _clause_text(self, doc: Doc, o: _Occurrence, clause: list[int]) -> str:
        c = clause[o.start]
        return "".join(t.text_with_ws for t in doc if clause[t.i] == c)

    def _usable(
        self,
        doc: Doc,
        text: str,
        o: _Occurrence,
        clause: list[int],
        occurrences: list[_Occurrence],
    ) -> bool:
        """Not denied (未纠错), not joined to another target (予以公开及部分公开), and its
        clause has what the spec requires and nothing it excludes."""
        spec = self._spec(o)
        if self.negation is not None and self.negation.search(text[: o.start_char]):
            return False
        i = o.start
        while i > 0 and doc[i - 1].text in self.joiners:
            i -= 1
        if i < o.start and any(p.end == i and p.key != o.key for p in occurrences):
            return False
        words = self._clause_text(doc, o, clause)
        if spec.requires and not any(w in words for w in spec.requires):
            return False
        return not any(w in words for w in spec.exclude_in_clause)

    def _between_ok(
        self, text: str, o: _Occurrence, a: int, b: int, occurrences: list[_Occurrence]
    ) -> bool:
        """Nothing between chars a..b that separates the trigger from a figure there: an
        excluded word, or another target's trigger (a figure of its own or a combined one)."""
        spec = self._spec(o)
        if any(w in text[a:b] for w in spec.exclude_between):
            return False
        return not any(
            p.key != o.key and a <= p.start_char < b and p.end_char <= b for p in occurrences
        )

    def _after(
        self,
        text: str,
        o: _Occurrence,
        parsed: list[Any],
        clause: list[int],
        occurrences: list[_Occurrence],
    ) -> Any:
        spec = self._spec(o)
        gap = spec.max_gap_tokens if spec.max_gap_tokens is not None else self.max_gap
        for q in parsed:
            span, unit = q[0], q[2]
            if span.start < o.end:
                continue
            if clause[span.start] != clause[o.start] or span.start - o.end > gap:
                return None
            if not self._between_ok(text, o, o.end_char, span.start_char, occurrences):
                return None
            if unit in spec.units:
                return q
        return None

    def _before(
        self,
        text: str,
        o: _Occurrence,
        parsed: list[Any],
        clause: list[int],
        occurrences: list[_Occurrence],
        claimed: set[int],
    ) -> Any:
        spec = self._spec(o)
        gap = spec.max_gap_tokens if spec.max_gap_tokens is not None else self.max_gap
        for q in reversed(parsed):
            span, unit = q[0], q[2]
            if span.end > o.start:
                continue
            if clause[span.start] != clause[o.start] or o.start - span.end > gap:
                return None
            adjacent = span.end == o.start
            between = text[span.end_char : o.start_char]
            # 已办理的3件均属于本机关不掌握: "all N are X", so X shares the figure
            shared = bool(spec.share_when) and self._holds(between, spec.share_when)
            if not adjacent and (spec.before != "clause" or (span.start in claimed and not shared)):
                return None
            if not self._between_ok(text, o, span.end_char, o.start_char, occurrences):
                return None
            if not adjacent and not self._holds(between, spec.before_requires):
                return None
            if unit in spec.units:
                return q
            return None
        return None

    @staticmethod
    def _holds(text: str, words: list[str]) -> bool:
        """`text` holds one of `words` (or there are none to hold)."""
        return not words or any(w in text for w in words)

    def _spec(self, o: _Occurrence) -> ProseFigureSpec:
        assert o.spec is not None, "an item trigger has no prose figure spec"
        return self.figures[o.spec]

    def _groups(self, text: str, o: _Occurrence, spec: ProseFigureSpec) -> list[str] | None:
        """The record groups `{group}` stands for: those of the group word named last before
        the trigger (or the trigger itself); None when the target needs one and none is named."""
        if "{group}" not in spec.target:
            return [""]
        if self.group_pattern is None:
            return None
        last = None
        for m in self.group_pattern.finditer(text):
            if m.start() > o.start_char:
                break
            last = m.group(0)
        return None if last is None else self.group_of[last]

    # ---- statements --------------------------------------------------------------------------
    def _clause_around(self, text: str, start: int, end: int) -> str:
        """The clause(s) holding text[start:end]: from the break before to the break after."""
        a, b = start, end
        while a > 0 and text[a - 1] not in self.breaks:
            a -= 1
        while b < len(text) and text[b] not in self.breaks:
            b += 1
        return text[a:b]

    def _statements(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for patterns, exclude, zero, same_as in self.statements:
            for pattern in patterns:
                for m in pattern.finditer(text):
                    if any(w in self._clause_around(text, m.start(), m.end()) for w in exclude):
                        continue
                    args = (m.group(0), False, False, m.start(), m.end(), text)
                    found += [Mention(f"prose:{p}", 0, *args, kind="zero_statement") for p in zero]
                    found += [
                        Mention(f"prose:{p}", 0, *args, kind="same_as", same_as=src)
                        for p, src in same_as.items()
                    ]
                    break  # one statement per pattern and sentence
        return found


def _validate(spec: ItemsSpec, paths: set[str]) -> None:
    """Every path items.yaml names for a prose figure is a record path (a misspelt path would
    silently read nothing)."""
    groups = {g for group in spec.prose_groups.values() for g in group.groups}
    bad = []
    for f in spec.prose_figures:
        for target in filter(None, [f.target, f.else_same_as]):
            names = (
                [target.replace("{group}", g) for g in groups] if "{group}" in target else [target]
            )
            bad += [n for n in names if n not in paths]
    for st in spec.prose_statements:
        bad += [g for g in st.zero if not any(fnmatch.fnmatchcase(p, g) for p in paths)]
        bad += [p for pair in st.same_as.items() for p in pair if p not in paths]
    if bad:
        raise ValueError(f"items.yaml names paths the record does not have: {sorted(set(bad))}")


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
