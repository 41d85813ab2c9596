"""meta: agency, report year, publish date and title.

The title ("聊城市市场监督管理局 / 2021年政府信息公开工作年度报告", often split over two lines)
gives agency, year and title; the signature at the end (agency line, then a date line) gives
the publish date and a second reading of the agency. Agreement between the two readings, a
publish date in the statutory window after the report year (template `publish_deadline`), and a
title year the prose also writes are evidence (`corroborated`); disagreement is `conflict`; a
date after the deadline is `late`.
"""

from __future__ import annotations

import datetime as dt
import re

from ..datamodel.base import Feature, Method
from ..datamodel.document import Line, ReportDoc, Slot
from ..datamodel.record import Evidence, ReportField, Semantic
from ..settings import MetaSettings, Settings
from ..template import Template
from ..textnorm import match_key, parse_number
from .base import Stage

_CN_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年度?")
# a year the prose writes; full dates (a signature, "2023年5月10日，召开……") are not counted
_BODY_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_DATES = [
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"),
    re.compile(
        r"(?P<y>[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
        r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
    ),
]
# CJK incl. Extension A/B+ and compatibility ideographs: rare characters are common in place names.
_AGENCY_LINE = re.compile(
    r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f（）()]{3,40}$"
)


def parse_date(text: str) -> tuple[str, str] | None:
    """('2022-01-24', matched text) for the first date in `text`, or None."""
    for pattern in _DATES:
        for m in pattern.finditer(text):
            year = int(m.group("y").translate(_CN_DIGIT))
            month, day = parse_number(m.group("m")), parse_number(m.group("d"))
            try:
                date = dt.date(year, int(month or 0), int(day or 0))
            except ValueError:
                continue
            return date.isoformat(), m.group(0)
    return None


def _meta_field(value: str | int, raw: str, method: Method, evidence: Evidence) -> ReportField:
    semantic = Semantic.number if isinstance(value, int) else Semantic.text
    return ReportField(value=value, raw=raw, semantic=semantic, method=method, evidence=evidence)


def _year(text: str, years: range) -> tuple[int, str] | None:
    m = _YEAR.search(text)
    if not m:
        return None
    year = int(m.group(1).translate(_CN_DIGIT))
    return (year, m.group(0)) if year in years else None


class Meta(Stage[MetaSettings]):
    name = "meta"
    reads = frozenset({Slot.lines, Slot.line_text, Slot.sections, Slot.tables})
    writes = frozenset({Slot.meta_fields})

    def __init__(self, options: MetaSettings, template: Template) -> None:
        super().__init__(options)
        self.s = options
        self.years = range(options.first_year, options.last_year + 1)
        self.markers = [match_key(m) for m in template.title_markers]
        labels = "|".join(map(re.escape, template.date_labels))
        self.date_label = re.compile(rf"^\s*({labels})\s*[:：]")
        self.deadline = template.publish_deadline

    @classmethod
    def options_from(cls, settings: Settings) -> MetaSettings:
        return settings.meta

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        front = [doc.line(i) for i in doc.front_matter if doc.line(i).text]
        title = self._title(front)
        signature = self._signature(doc)
        fields = doc.fields
        if title is not None:
            title_text, agency, year, line = title
            ev = doc.evidence(line.id, line.text)
            fields["meta.title"] = _meta_field(title_text, title_text, Method.meta_title, ev)
            if agency:
                fields["meta.agency"] = _meta_field(agency, agency, Method.meta_title, ev)
            if year:
                fields["meta.year"] = _meta_field(year[0], year[1], Method.meta_title, ev)
        if signature is not None:
            agency_line, date, raw, line = signature
            ev = doc.evidence(line.id, line.text)
            fields["meta.publish_date"] = _meta_field(date, raw, Method.meta_signature, ev)
            if agency_line is not None:
                self._compare(doc, "meta.agency", agency_line)
        if "meta.year" not in fields:
            self._year_from_text(doc)
        elif fields["meta.year"].method == Method.meta_title:
            self._year_in_body(doc, fields["meta.year"])
        self._plausible_dates(fields)
        return doc

    def _year_in_body(self, doc: ReportDoc, year: ReportField) -> None:
        """The title's year against the years the sections' prose writes ("2023年，……"): among
        them it is corroborated; absent while other years are written, it conflicts."""
        written = {
            int(m.group(1))
            for s in doc.sections
            for i in doc.prose_line_ids(s)
            for m in _BODY_YEAR.finditer(doc.line(i).text)
            if int(m.group(1)) in self.years
        }
        if not written:
            return
        year.features[Feature.corroborated if year.value in written else Feature.conflict] = 1.0

    def _title(self, front: list[Line]) -> tuple[str, str, tuple[int, str] | None, Line] | None:
        for i, line in enumerate(front):
            key = match_key(line.text)
            if not any(m in key for m in self.markers):
                continue
            text = line.text.replace(" ", "")
            year = _year(text, self.years)
            agency = text[: text.find(year[1].replace(" ", ""))].strip() if year else ""
            if not agency and i > 0 and _AGENCY_LINE.match(front[i - 1].text.replace(" ", "")):
                agency = front[i - 1].text.replace(" ", "")
                text = agency + text
            return text, agency, year, line
        return None

    def _signature(self, doc: ReportDoc) -> tuple[Line | None, str, str, Line] | None:
        """(agency line, ISO date, date as printed, date line) from the end of the report."""
        body = [ln for ln in doc.body_lines() if ln.text and ln.table_ref is None]
        tail = body[-self.s.signature_lines :]
        for k in range(len(tail) - 1, -1, -1):
            line = tail[k]
            stripped = self.date_label.sub("", line.text).strip()
            found = parse_date(stripped)
            if found is None or len(stripped) > len(found[1]) + 4:
                continue  # a date inside a sentence is not a signature
            agency = None
            if k > 0 and _AGENCY_LINE.match(tail[k - 1].text.replace(" ", "")):
                agency = tail[k - 1]
            return agency, found[0], found[1], line
        # Web pages print the date as page metadata (发布日期：...) near the top instead.
        for line in doc.body_lines()[: self.s.header_date_lines]:
            if self.date_label.match(line.text):
                found = parse_date(line.text)
                if found:
                    return None, found[0], found[1], line
        return None

    @staticmethod
    def _compare(doc: ReportDoc, path: str, line: Line) -> None:
        """A second reading (the signature's agency line) corroborates, conflicts or fills."""
        fields = doc.fields
        value = line.text.replace(" ", "")
        current = fields.get(path)
        if current is None:
            ev = doc.evidence(line.id, line.text)
            fields[path] = _meta_field(value, line.text, Method.meta_signature, ev)
        elif current.value == value:
            current.features[Feature.corroborated] = 1.0
        else:
            current.features[Feature.conflict] = 1.0

    def _year_from_text(self, doc: ReportDoc) -> None:
        for line in doc.body_lines()[: self.s.year_lines]:
            found = _year(line.text, self.years)
            if found:
                ev = doc.evidence(line.id, line.text)
                doc.fields["meta.year"] = _meta_field(found[0], found[1], Method.meta_text, ev)
                return

    def _plausible_dates(self, fields: dict[str, ReportField]) -> None:
        """Reports are published in the year after the report year, by the statutory deadline
        (sections.yaml `publish_deadline`): a date there corroborates year and date; a date
        before the report year ends, or years later, conflicts with the year; a date later in
        the following year is `late` (the date may be misread, or the report was late)."""
        year, date = fields.get("meta.year"), fields.get("meta.publish_date")
        if year is None or date is None or not isinstance(date.value, str):
            return
        if not isinstance(year.value, int):
            return
        published = dt.date.fromisoformat(date.value)
        if published.year != year.value + 1:
            for f in (year, date):
                f.features[Feature.conflict] = 1.0
        elif published.strftime("%m-%d") <= self.deadline:
            for f in (year, date):
                f.features[Feature.corroborated] = 1.0
        else:
            date.features[Feature.late] = 1.0
