"""headings: find the six section headings among the lines, however they were printed.

A heading is a short line whose body (numbering stripped) matches one of the template's
headings (pipeline/template/sections.yaml) by fuzzy ratio. The section is decided by the body,
not the numeral: "六、存在的主要问题及改进情况" is section 5, noted as misnumbered. A heading
split over two lines is found by trying each short line joined with the next one. Of all
candidates, the chosen set is the one with the highest total score whose sections appear in
increasing order down the document (a small dynamic programme), so a heading-like phrase in the
wrong place cannot displace the real one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..datamodel.document import Heading, Line, ReportDoc, Slot
from ..settings import HeadingSettings, Settings
from ..template import Template
from ..textnorm import enumerator_value, match_key, split_enumerator
from .base import Stage

_TRAILING = re.compile(r"(?<![:：。.])[:：。.]+$")  # from a run's start only: linear


@dataclass(frozen=True)
class _Candidate:
    index: int  # position in the body-line list
    section: int
    score: float
    line_ids: tuple[int, ...]
    text: str
    numeral: int | None


class Headings(Stage[HeadingSettings]):
    name = "headings"
    reads = frozenset({Slot.lines, Slot.line_text})
    writes = frozenset({Slot.headings})

    def __init__(self, options: HeadingSettings, template: Template) -> None:
        super().__init__(options)
        self.settings = options
        self.strip = template.heading_strip
        self.targets = [
            (s.number, match_key(split_enumerator(v)[1]))
            for s in template.sections
            for v in [s.canonical, *s.variants]
        ]

    @classmethod
    def options_from(cls, settings: Settings) -> HeadingSettings:
        return settings.headings

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        lines = [ln for ln in doc.lines if ln.noise is None and ln.text]
        candidates: list[_Candidate] = []
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            best = self._score(i, [line])
            if nxt is not None and len(line.text) <= self.settings.join_max_chars:
                joined = self._score(i, [line, nxt])
                if joined and (best is None or joined.score > best.score):
                    best = joined
            if best is not None:
                candidates.append(best)
        doc.headings = [self._to_heading(c) for c in _best_increasing(candidates)]
        return doc

    def _score(self, index: int, lines: list[Line]) -> _Candidate | None:
        if any(ln.table_ref is not None for ln in lines):
            return None
        # a wide gap after the numeral ("三、<tab>收到和处理…") is not a cell boundary here; a
        # table row joined this way no longer looks like any heading
        text = "".join(ln.text.replace("\t", "").strip() for ln in lines).lstrip(self.strip)
        if len(text) > self.settings.max_chars:
            return None
        token, body = split_enumerator(text)
        key = match_key(_TRAILING.sub("", body))
        if not key:
            return None
        best_section, best_score = 0, 0.0
        for number, target in self.targets:
            score = fuzz.ratio(key, target)
            if score > best_score:
                best_section, best_score = number, score
        # Without a numeral a line must match almost exactly: prose often names a section.
        need = self.settings.min_score if token else max(self.settings.min_score, 95)
        if best_score < need:
            return None
        return _Candidate(
            index=index,
            section=best_section,
            score=best_score / 100,
            line_ids=tuple(ln.id for ln in lines),
            text=text,
            numeral=enumerator_value(token),
        )

    @staticmethod
    def _to_heading(c: _Candidate) -> Heading:
        notes: list[str] = []
        if c.numeral is None:
            notes.append("unnumbered")
        elif c.numeral != c.section:
            notes.append(f"misnumbered: printed as {c.numeral}, body matches section {c.section}")
        if len(c.line_ids) > 1:
            notes.append("split over lines")
        return Heading(
            section=c.section,
            line_ids=list(c.line_ids),
            found_text=c.text,
            numeral=c.numeral,
            score=c.score,
            notes=notes,
        )


def _best_increasing(cands: list[_Candidate]) -> list[_Candidate]:
    """Highest-scoring subset with strictly increasing section and non-overlapping lines."""
    n = len(cands)
    best = [c.score for c in cands]
    prev = [-1] * n
    for j in range(n):
        for i in range(j):
            if (
                cands[i].section < cands[j].section
                and cands[i].line_ids[-1] < cands[j].line_ids[0]
                and best[i] + cands[j].score > best[j]
            ):
                best[j], prev[j] = best[i] + cands[j].score, i
    if not n:
        return []
    j = max(range(n), key=lambda k: best[k])
    chosen: list[_Candidate] = []
    while j >= 0:
        chosen.append(cands[j])
        j = prev[j]
    return chosen[::-1]
