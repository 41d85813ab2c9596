"""meta: agency, report year, publish date and title.

The head of the document (its lines before the first section heading, page furniture
included) holds the title (聊城市市场监督管理局 / 2021年政府信息公开工作年度报告, often split over
lines, behind a label or markup), page labels (发布机构：…) and the page-header date
(发布时间：2023-03-15 09:20); the signature at the end (agency line, then a date line) gives the
publish date and another reading of the agency; the preamble and first paragraphs name the
agency in sentences. stages/agency.py turns these mentions into one agency name and says how
sure it is.

The publish date is the date under the signature; without one, the page-header date (a 发布
label before a 成文日期) with method `meta.page_header`. The year is the title's, else the year
of a sentence naming the report (现公布X2022年…报告), the statistics period, or the first year
the opening writes outside cited documents (《…》).

Agreement between readings, a publish date in the statutory window after the report year
(template `publish_deadline`), and a title year the prose also writes are evidence
(`corroborated`); disagreement is `conflict`; a date after the deadline is `late`. A page-header
date years after the report year is a re-post: the date conflicts, the year is not doubted.
"""

from __future__ import annotations

import datetime as dt
import re

from ..datamodel.base import Feature, Method
from ..datamodel.document import Line, ReportDoc, Slot
from ..datamodel.record import Evidence, ReportField, Semantic
from ..settings import MetaSettings, Settings
from ..template import Template
from ..textnorm import parse_number, simplified_chars
from .agency import (
    Choice,
    Mention,
    Shapes,
    Source,
    Span,
    Title,
    choose,
    mask_books,
    sentence_mentions,
    year_of,
)
from .base import Stage

_CN_DIGIT = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# a year the prose writes; full dates (a signature, "2023年5月10日，召开……") are not counted
_BODY_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_DATES = [
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(
        r"(?P<y>[〇零○一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
        r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
    ),
]
_TIME = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?")
_GAP = re.compile(r"\s{2,}|\t|[|｜•【\[]")


def parse_date(text: str) -> tuple[str, str] | None:
    """('2022-01-24', matched text) for the first date in `text`, or None."""
    found = _first_date(text)
    return (found[0], found[1]) if found else None


def _first_date(text: str) -> tuple[str, str, int, int] | None:
    """(ISO date, matched text, start, end) of the first valid date in `text`."""
    best: tuple[str, str, int, int] | None = None
    for pattern in _DATES:
        for m in pattern.finditer(text):
            year = int(m.group("y").translate(_CN_DIGIT))
            month, day = parse_number(m.group("m")), parse_number(m.group("d"))
            try:
                date = dt.date(year, int(month or 0), int(day or 0))
            except ValueError:
                continue
            if best is None or m.start() < best[2]:
                best = (date.isoformat(), m.group(0), m.start(), m.end())
            break
    return best


def _meta_field(value: str | int, raw: str, method: Method, evidence: Evidence) -> ReportField:
    semantic = Semantic.number if isinstance(value, int) else Semantic.text
    return ReportField(value=value, raw=raw, semantic=semantic, method=method, evidence=evidence)


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_METHOD = {
    Source.title: Method.meta_title,
    Source.name_line: Method.meta_text,
    Source.signature: Method.meta_signature,
    Source.label: Method.meta_page_header,
    Source.sentence: Method.meta_text,
}


class Meta(Stage[MetaSettings]):
    name = "meta"
    reads = frozenset({Slot.lines, Slot.line_text, Slot.sections, Slot.headings, Slot.tables})
    writes = frozenset({Slot.meta_fields})

    def __init__(self, options: MetaSettings, template: Template) -> None:
        super().__init__(options)
        self.s = options
        self.years = range(options.first_year, options.last_year + 1)
        self.shapes = Shapes(template, options.agency_min_chars, options.agency_max_chars)
        spec = template.meta
        every = [*template.date_labels, *spec.written_date_labels, *spec.agency_labels]
        every += [*spec.title_labels, *spec.page_labels]
        # a label: at the line start, after a gap or a non-CJK character, or before a colon
        labels = _alternation(every)
        self.label = re.compile(
            rf"(?:(?<![^\s\W\d])|(?=(?:{labels})\s*[:：]))(?P<label>{labels})\s*[:：]?\s*"
        )
        self.publish_labels = set(template.date_labels)
        self.written_labels = set(spec.written_date_labels)
        self.agency_labels = set(spec.agency_labels)
        self.period_year = re.compile(spec.period_year)
        self.deadline = template.publish_deadline

    @classmethod
    def options_from(cls, settings: Settings) -> MetaSettings:
        return settings.meta

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        head = self._head(doc)
        head_ids = {ln.id for ln in head}
        fields = doc.fields
        titles = self._titles(head) or self._titles(self._top_lines(doc))
        mentions = [m for _, _, m in titles if m is not None]
        mentions += self._name_lines(head, {line.id for _, line, _ in titles})
        signature = self._signature(doc, head_ids)
        if signature is not None and signature[0] is not None:
            mentions.append(signature[0])
        mentions += self._label_mentions(head)
        sentences = self._sentence_mentions(doc)
        mentions += sentences

        if titles:
            title, line, _ = titles[0]
            ev = doc.evidence(line.id, line.text)
            fields["meta.title"] = _meta_field(title.text.text, line.text, Method.meta_title, ev)
            if title.year:
                fields["meta.year"] = _meta_field(*title.year, Method.meta_title, ev)
        else:
            # no title line: the report's title as the preamble writes it (现公布X2019年…报告)
            named = next((m for m in sentences if m.title is not None), None)
            if named is not None and named.title is not None:
                line = doc.line(named.line_id)
                ev = doc.evidence(line.id, line.text)
                fields["meta.title"] = _meta_field(
                    named.title.text, line.text, Method.meta_text, ev
                )
        choice = choose(mentions, self.shapes, self._document(doc))
        if choice is not None:
            fields["meta.agency"] = self._agency_field(doc, choice)
        if signature is not None:
            _, date, raw, line = signature
            ev = doc.evidence(line.id, line.text)
            fields["meta.publish_date"] = _meta_field(date, raw, Method.meta_signature, ev)
            header = self._header_date(head)
            if header is not None and header[0] == date:
                fields["meta.publish_date"].features[Feature.corroborated] = 1.0
        else:
            header = self._header_date(head)
            if header is not None:
                date, raw, line = header
                ev = doc.evidence(line.id, line.text)
                fields["meta.publish_date"] = _meta_field(date, raw, Method.meta_page_header, ev)
        if "meta.year" not in fields:
            self._year_from_text(doc, sentences)
        elif fields["meta.year"].method == Method.meta_title:
            self._year_in_body(doc, fields["meta.year"])
        self._plausible_dates(fields)
        return doc

    # ---- where to look --------------------------------------------------------------------
    def _head(self, doc: ReportDoc) -> list[Line]:
        """Lines with text before the first section heading (page furniture included: the
        page-header date and labels are furniture), at most `head_lines` of them."""
        first = min((i for h in doc.headings for i in h.line_ids), default=None)
        out = []
        for line in doc.lines:
            if first is not None and line.id >= first:
                break
            if line.text.strip() and line.table_ref is None:
                out.append(line)
                if len(out) >= self.s.head_lines:
                    break
        return out

    def _top_lines(self, doc: ReportDoc) -> list[Line]:
        """The first `head_lines` lines with text, headings or not: the title, when a line of
        the page's menu read as a heading cut the head before it."""
        lines = [ln for ln in doc.lines if ln.text.strip() and ln.table_ref is None]
        return lines[: self.s.head_lines]

    @staticmethod
    def _document(doc: ReportDoc) -> Span:
        """Every line, one per row (row i is line i), whitespace removed."""
        spans = [Span.of(line.text) for line in doc.lines]
        return Span("\n".join(s.text for s in spans), "\n".join(s.key for s in spans))

    # ---- the agency's mentions ------------------------------------------------------------
    def _titles(self, head: list[Line]) -> list[tuple[Title, Line, Mention | None]]:
        """Title lines of the head, surest first (a year, not furniture, in page order), each
        with the agency mention it makes. A title split over two lines is joined; a title
        without an agency (2020年政府信息公开工作年度报告) or with a name that has no place
        (建设局2021年…) takes the name from the line above (故城县教育局 / 鹤汀市住房和城乡)."""
        found: list[tuple[Title, Line, Mention | None]] = []
        used: set[int] = set()
        for i, line in enumerate(head):
            if line.id in used:
                continue
            title = self.shapes.title(Span.of(line.text), self.years)
            if (
                title is None
                and i + 1 < len(head)
                and len(line.text) <= self.s.agency_max_chars
                and self.shapes.title(Span.of(head[i + 1].text), self.years) is None
            ):
                joined = Span.of(line.text + head[i + 1].text)
                title = self.shapes.title(joined, self.years)
                if title is not None and len(title.text) <= len(Span.of(line.text)):
                    title = None  # the marker is all on this line: not a split title
                if title is not None:
                    used.add(head[i + 1].id)
            if title is None:
                continue
            title = self._with_line_above(title, head[i - 1] if i > 0 else None)
            mention = None
            if title.agency is not None:
                agency = title.agency
                mention = Mention(
                    agency.text,
                    agency.key,
                    Source.title,
                    line.id,
                    "title",
                    self.shapes.shape(agency.key),
                )
            found.append((title, line, mention))
        found.sort(key=lambda t: (t[0].year is None, t[1].noise is not None, t[2] is None))
        return found

    def _with_line_above(self, title: Title, above: Line | None) -> Title:
        if above is None:
            return title
        upper = self.shapes.clean(Span.of(above.text))
        if not upper.key or self.shapes.title(upper, self.years) is not None:
            return title
        if title.agency is None:
            shape = self.shapes.shape(upper.key)
            if shape is None:
                return title
            return Title(
                Span(upper.text + title.text.text, upper.key + title.text.key), upper, title.year
            )
        if not self.shapes.placeless(title.agency.key):
            return title
        joined = Span(upper.text + title.agency.text, upper.key + title.agency.key)
        if self.shapes.shape(joined.key) is None:
            return title
        text = Span(upper.text + title.text.text, upper.key + title.text.key)
        return Title(text, joined, title.year)

    def _name_lines(self, head: list[Line], title_ids: set[int]) -> list[Mention]:
        """Head lines holding only an agency name (浑南区国资局 above the preamble)."""
        out = []
        for line in head:
            if line.id in title_ids:
                continue
            span = self.shapes.clean(Span.of(line.text))
            shape = self.shapes.shape(span.key)
            if shape is not None and len(span.key) >= len(Span.of(line.text).key) - 2:
                out.append(Mention(span.text, span.key, Source.name_line, line.id, "line", shape))
        return out

    def _labelled(self, line: Line) -> list[tuple[str, str, int]]:
        """(label, value, offset) for each page label on the line (发布机构：下各镇 来源：…): the
        value runs to the next label or gap."""
        key = simplified_chars(line.text)
        found = list(self.label.finditer(key))
        out = []
        for k, m in enumerate(found):
            end = found[k + 1].start() if k + 1 < len(found) else len(key)
            gap = _GAP.search(key, m.end(), end)
            if gap is not None and gap.start() > m.end():
                end = gap.start()
            out.append((m.group("label"), line.text[m.end() : end].strip(), m.end()))
        return out

    def _label_mentions(self, head: list[Line]) -> list[Mention]:
        out = []
        for line in head:
            for label, value, _ in self._labelled(line):
                if label not in self.agency_labels:
                    continue
                span = self.shapes.clean(Span.of(value))
                shape = self.shapes.shape(span.key)
                if shape is not None:
                    out.append(Mention(span.text, span.key, Source.label, line.id, label, shape))
        return out

    def _sentence_mentions(self, doc: ReportDoc) -> list[Mention]:
        in_tables = {i for t in doc.tables for i in t.line_ids}
        out: list[Mention] = []
        seen = 0
        for line in doc.lines:
            if not line.text.strip() or line.table_ref is not None or line.id in in_tables:
                continue
            out += sentence_mentions(self.shapes, line.id, line.text, self.years)
            seen += 1
            if seen >= self.s.mention_lines:
                break
        return out

    def _agency_field(self, doc: ReportDoc, choice: Choice) -> ReportField:
        line = doc.line(choice.line_id)
        method = _METHOD[choice.mention.source]
        field = _meta_field(choice.name, line.text, method, doc.evidence(line.id, line.text))
        field.features.update(choice.features)
        return field

    # ---- dates ----------------------------------------------------------------------------
    def _signature(
        self, doc: ReportDoc, head_ids: set[int]
    ) -> tuple[Mention | None, str, str, Line] | None:
        """(agency mention, ISO date, date as printed, date line) from the end of the report."""
        body = [
            ln
            for ln in doc.body_lines()
            if ln.text and ln.table_ref is None and ln.id not in head_ids
        ]
        tail = body[-self.s.signature_lines :]
        for k in range(len(tail) - 1, -1, -1):
            line = tail[k]
            stripped = line.text.strip()
            for label, _, offset in self._labelled(line)[:1]:
                if label in self.publish_labels or label in self.written_labels:
                    stripped = line.text[offset:].strip()
            found = _first_date(stripped)
            if found is None or len(stripped) - found[3] > 4:
                continue  # a date inside a sentence is not a signature
            agency = None
            if found[2] > 0:  # 白鹭市统计局　2022年1月20日: the name on the date's line
                agency = self._signature_name(stripped[: found[2]], line.id)
                if agency is None:
                    continue
            elif k > 0:
                agency = self._signature_name(tail[k - 1].text, tail[k - 1].id)
            return agency, found[0], found[1], line
        return None

    def _signature_name(self, text: str, line_id: int) -> Mention | None:
        """The agency a signature line holds, when it holds only that."""
        span = self.shapes.clean(Span.of(text))
        shape = self.shapes.shape(span.key)
        if shape is None or len(span.key) < len(Span.of(text)) - 2:
            return None
        return Mention(span.text, span.key, Source.signature, line_id, "signature", shape)

    def _header_date(self, head: list[Line]) -> tuple[str, str, Line] | None:
        """The page-header date: a 发布 label's (发布时间：2023-03-15 09:20, 日期:2025-01-23), else
        a line that starts with a date (2022年01月18日来源:…), else a 成文日期's."""
        published, bare, written = [], [], []
        for line in head:
            for label, value, _ in self._labelled(line):
                found = _first_date(value)
                if found is None or found[2] > 0:
                    continue
                if label in self.publish_labels:
                    published.append((found[0], found[1], line))
                elif label in self.written_labels:
                    written.append((found[0], found[1], line))
            text = line.text.strip()
            found = _first_date(text)
            if found is not None and found[2] == 0:
                rest = _TIME.sub("", text[found[3] :]).strip()
                if not rest or self.label.match(simplified_chars(rest)):
                    bare.append((found[0], found[1], line))
        for group in (published, bare, written):
            if group:
                return group[0]
        return None

    # ---- the year -------------------------------------------------------------------------
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

    def _year_from_text(self, doc: ReportDoc, sentences: list[Mention]) -> None:
        """No title year: the year of a sentence naming the report (现公布X2022年…报告), else the
        statistics period (统计期限自2021年1月1日起), else the first year the opening writes
        outside cited documents (《关于做好2020年度…的通知》 is another year's notice)."""
        fields = doc.fields
        report = next((m for m in sentences if m.year is not None), None)
        if report is not None and report.year is not None:
            line = doc.line(report.line_id)
            ev = doc.evidence(line.id, line.text)
            fields["meta.year"] = _meta_field(report.year, line.text, Method.meta_text, ev)
            return
        lines = [ln for ln in doc.lines if ln.text.strip()][: self.s.year_lines]
        for line in lines:
            m = self.period_year.search(simplified_chars(line.text))
            if m and int(m.group("year")) in self.years:
                ev = doc.evidence(line.id, line.text)
                fields["meta.year"] = _meta_field(
                    int(m.group("year")), m.group(0), Method.meta_text, ev
                )
                return
        for line in lines:
            found = year_of(mask_books(simplified_chars(line.text)), self.years)
            if found:
                ev = doc.evidence(line.id, line.text)
                fields["meta.year"] = _meta_field(found[0], found[1], Method.meta_text, ev)
                return

    def _plausible_dates(self, fields: dict[str, ReportField]) -> None:
        """Reports are published in the year after the report year, by the statutory deadline
        (sections.yaml `publish_deadline`): a date there corroborates year and date; a date
        before the report year ends, or years later, conflicts with the year; a date later in
        the following year is `late` (the date may be misread, or the report was late). A
        page-header date years later is the page's (a re-post): only the date is doubted."""
        year, date = fields.get("meta.year"), fields.get("meta.publish_date")
        if year is None or date is None or not isinstance(date.value, str):
            return
        if not isinstance(year.value, int):
            return
        published = dt.date.fromisoformat(date.value)
        if published.year > year.value + 1 and date.method == Method.meta_page_header:
            date.features[Feature.conflict] = 1.0
        elif published.year != year.value + 1:
            for f in (year, date):
                f.features[Feature.conflict] = 1.0
        elif published.strftime("%m-%d") <= self.deadline:
            for f in (year, date):
                f.features[Feature.corroborated] = 1.0
        else:
            date.features[Feature.late] = 1.0
