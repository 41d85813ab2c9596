"""sections: every body line to one of the six sections (or front matter, or noise).

Two kinds of evidence, combined by a monotone decoding (a Viterbi pass: sections only go
forward, any may be skipped):

- headings (stage `headings`). No section starts before a heading that names it. A *clean*
  heading (fuzzy score >= `clean_heading_score`, printed numeral equal to its section) fixes
  the boundary both ways: lines from it on belong to it or later sections. Headings win when
  clean.
- the passage classifier (pipeline/nlp/sections.py), which gives each line probabilities over
  front matter, the six sections and noise. Between clean headings it decides where a section
  starts when its heading is missing, misnumbered or garbled; such a heading still adds
  `heading_weight` log-odds for the section it names. A line it calls noise with probability
  >= `noise_probability` is left out of every section (the clean stage's noise is already out),
  unless it is longer than `noise_max_chars`: long prose stays prose (on real reports the
  classifier is less sure of prose than on generated ones; pasted pages are the clean stage's).
  Such a line is marked `noise = "classified_noise"`, so it is not front matter either.

A section's confidence is its heading's score (or the classifier's mean probability when it has
no heading), times the share of its lines the classifier agrees with: disagreement lowers it.
With `sections.model: null` the sections come from the headings alone.
"""

from __future__ import annotations

import math
import re

from ..cells import is_value_cell
from ..datamodel.document import Heading, Line, ReportDoc, Section, Slot
from ..nlp.sections import LABELS, NOISE, PassageClassifier
from ..settings import SectionSettings, Settings
from ..template import Template
from .base import Stage

FRONT = 0  # decoded state 0 is the front matter; states 1..6 are the sections
_IMPOSSIBLE = -1e9


class Sections(Stage[SectionSettings]):
    name = "sections"
    reads = frozenset({Slot.lines, Slot.line_text, Slot.headings, Slot.source_tables})
    writes = frozenset({Slot.sections})

    def __init__(self, options: SectionSettings, template: Template) -> None:
        super().__init__(options)
        settings = self.settings = options
        self.template = template
        model = settings.model_path()
        self.classifier = PassageClassifier.load(model, settings.batch_size) if model else None

    @classmethod
    def options_from(cls, settings: Settings) -> SectionSettings:
        return settings.sections

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        lines = [ln for ln in doc.lines if ln.noise is None]
        if self.classifier is None or not lines:
            states, probs = _states_from_headings(doc, lines), None
        else:
            probs = self.classifier.predict([_passage(doc, ln) for ln in lines])
            states = self._decode(doc, lines, probs)
            # set aside like the clean stage's noise, out of front matter too
            doc.set_aside = [ln.id for ln, state in zip(lines, states, strict=True) if state == -1]
        by_number = {h.section: h for h in doc.headings}
        heading_ids = {i for h in doc.headings for i in h.line_ids}
        sections = []
        for spec in self.template.sections:
            section = Section(number=spec.number, key=spec.key, canonical=spec.canonical)
            section.heading = by_number.get(spec.number)
            members = [k for k, s in enumerate(states) if s == spec.number]
            section.line_ids = [lines[k].id for k in members if lines[k].id not in heading_ids]
            section.confidence = self._confidence(section.heading, members, probs, spec.number)
            sections.append(section)
        doc.sections = sections
        doc.front_matter = front_matter_ids(doc)
        return doc

    def _decode(self, doc: ReportDoc, lines: list[Line], probs: list[list[float]]) -> list[int]:
        """State per line: 0 front matter, 1..6 a section, -1 noise (left out)."""
        s = self.settings
        index = {ln.id: k for k, ln in enumerate(lines)}
        n_states = 7
        emit = []
        for p in probs:
            total = sum(p[:NOISE]) or 1.0
            emit.append([math.log(max(p[j] / total, 1e-6)) for j in range(n_states)])
        lo = [0] * len(lines)  # the lowest and highest state a line may take
        hi = [n_states - 1] * len(lines)
        for h in doc.headings:
            ks = [index[i] for i in h.line_ids if i in index]
            if not ks:
                continue
            # no section starts before a heading naming it; a clean one also closes the ones
            # before it
            clean = h.score >= s.clean_heading_score and h.numeral == h.section
            for k in range(len(lines)):
                if k < ks[0]:
                    hi[k] = min(hi[k], h.section - 1)
                elif clean:
                    lo[k] = max(lo[k], h.section)
            for k in ks:
                emit[k][h.section] += s.heading_weight
        heading_ids = {i for h in doc.headings for i in h.line_ids}
        keep = [
            k
            for k, p in enumerate(probs)
            if p[NOISE] < s.noise_probability
            or lines[k].id in heading_ids
            or len(lines[k].text) > s.noise_max_chars
            or _values_only(lines[k].text)  # a table row's numbers, whatever they look like
        ]
        path = _viterbi(
            [emit[k] for k in keep], [lo[k] for k in keep], [hi[k] for k in keep], s.switch_penalty
        )
        states = [-1] * len(lines)
        for k, state in zip(keep, path, strict=True):
            states[k] = state
        return states

    @staticmethod
    def _confidence(
        heading: Heading | None, members: list[int], probs: list[list[float]] | None, number: int
    ) -> float:
        if probs is None:
            return heading.score if heading else 0.0
        if not members:
            return heading.score if heading else 0.0
        own = [probs[k][number] for k in members]
        agree = sum(
            max(range(len(LABELS) - 1), key=probs[k].__getitem__) == number for k in members
        ) / len(members)
        base = heading.score if heading else sum(own) / len(own)
        return base * agree


def _passage(doc: ReportDoc, line: Line) -> str:
    """What the classifier reads for a line: its text, or an HTML table's labels."""
    if line.table_ref is not None and not line.text:
        table = next((t for t in doc.source_tables if t.id == line.table_ref), None)
        if table is not None:
            return "".join(c for r in table.rows for c in r.label_cells)
    return line.text


def _viterbi(emit: list[list[float]], lo: list[int], hi: list[int], penalty: float) -> list[int]:
    """Best non-decreasing state sequence; starting a new state costs `penalty`."""
    if not emit:
        return []
    n_states = len(emit[0])
    score = [emit[0][j] if lo[0] <= j <= hi[0] else _IMPOSSIBLE for j in range(n_states)]
    back: list[list[int]] = []
    for k in range(1, len(emit)):
        new, ptr = [], []
        best_prev, best_j = _IMPOSSIBLE * 2, 0
        for j in range(n_states):
            # staying in j, or arriving from the best earlier state; on a tie the section
            # starts as late as possible (a line with no evidence, such as a row of numbers,
            # stays with the lines above it)
            if j > 0 and score[j - 1] > best_prev:
                best_prev, best_j = score[j - 1], j - 1
            stay, come = score[j], best_prev - penalty
            prev, arg = (stay, j) if stay > come else (come, best_j)
            allowed = lo[k] <= j <= hi[k]
            new.append(prev + emit[k][j] if allowed else _IMPOSSIBLE)
            ptr.append(arg)
        score = new
        back.append(ptr)
    j = max(range(n_states), key=score.__getitem__)
    path = [j]
    for ptr in reversed(back):
        j = ptr[j]
        path.append(j)
    return path[::-1]


def _states_from_headings(doc: ReportDoc, lines: list[Line]) -> list[int]:
    """Without a classifier: each line belongs to the last heading above it."""
    starts = sorted((h.line_ids[0], h.section) for h in doc.headings)
    out = []
    for ln in lines:
        current = FRONT
        for first, section in starts:
            if first <= ln.id:
                current = section
        out.append(current)
    return out


_SEPARATORS = re.compile(r"[\t|]")


def _values_only(text: str) -> bool:
    """A line of table values and nothing else ("6 | ||||||", "0\t0\t3"): one cell of a torn
    table, never noise to set aside."""
    cells = [c.strip() for c in _SEPARATORS.split(text) if c.strip()] or text.split()
    return bool(cells) and all(is_value_cell(c, blank_ok=False) for c in cells)


def front_matter_ids(doc: ReportDoc) -> list[int]:
    """Body lines before the first heading and the first section line (all body lines when
    there is neither)."""
    starts = [h.line_ids[0] for h in doc.headings]
    starts += [s.line_ids[0] for s in doc.sections if s.line_ids]
    first = min(starts, default=len(doc.lines) + 1)
    aside = set(doc.set_aside)
    return [ln.id for ln in doc.lines[: first - 1] if ln.noise is None and ln.id not in aside]
