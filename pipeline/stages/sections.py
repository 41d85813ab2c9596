"""sections: the six sections from the headings; every body line belongs to one.

Lines before the first heading are front matter (title, agency, preamble) and belong to no
section; lines after a heading belong to it until the next heading. A section whose heading
was not found is reported with `found: false`.
"""

from __future__ import annotations

from pipeline.datamodel.document import ReportDoc, Section
from pipeline.template import Template


class Sections:
    name = "sections"

    def __init__(self, template: Template) -> None:
        self.template = template

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        by_number = {h.section: h for h in doc.headings}
        starts = sorted((h.line_ids[-1], h.section) for h in doc.headings)
        sections = []
        for spec in self.template.sections:
            heading = by_number.get(spec.number)
            section = Section(number=spec.number, key=spec.key, canonical=spec.canonical)
            if heading is not None:
                section.heading = heading
                section.confidence = heading.score
                last = heading.line_ids[-1]
                following = [start for start, _ in starts if start > last]
                end = following[0] if following else len(doc.lines) + 1
                heading_ids = set(heading.line_ids)
                section.line_ids = [
                    ln.id
                    for ln in doc.lines[last : end - 1]
                    if ln.noise is None and ln.id not in heading_ids
                ]
            sections.append(section)
        doc.sections = sections
        return doc


def front_matter_ids(doc: ReportDoc) -> list[int]:
    """Body lines before the first heading (all body lines when no heading was found)."""
    first = min((h.line_ids[0] for h in doc.headings), default=len(doc.lines) + 1)
    return [ln.id for ln in doc.lines[: first - 1] if ln.noise is None]
