"""clean: normalise each line's text and set aside what is not the report.

Noise is marked on the line (`Line.noise`) with a reason, never deleted:
- `furniture`: page chrome such as 扫码使用手机浏览本页内容, 版权所有;
- `navigation`: a run of short lines holding several list items with dates
  (工作动态 ... [2022.02.07]), with the short section titles inside it (通知公告, 政策法规), but
  never the report's own short lines next to it (signature, date, title: `never_navigation`);
- `pasted_page`: a web page pasted into the report, announced by a metadata header
  (标题/索引号/发文日期) and running to the next section heading (numbered or not) or
  furniture line.
The patterns are data (pipeline/template/noise.yaml). Sentence text is never judged by length
alone: a line with sentence punctuation is never navigation.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from ..datamodel.base import ErrorCode
from ..datamodel.document import Line, ReportDoc, Slot
from ..settings import CleanSettings, HeadingSettings, LimitsSettings, Settings
from ..template import Template
from ..textnorm import clean_line, match_key, split_enumerator
from .base import Stage

_SENTENCE = re.compile(r"[。；！？，,;]")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_BREAK = re.compile(r"<br\s*/?>", re.I)
# possessive (*+): the classes alternate (space, |, :, -), nothing to give back; linear
_MD_RULE = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")


class CleanOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    clean: CleanSettings
    headings: HeadingSettings  # a heading is never navigation: the heading match decides
    max_line_chars: int = LimitsSettings().max_line_chars  # longer lines are skipped


class Clean(Stage[CleanOptions]):
    name = "clean"
    reads = frozenset({Slot.source, Slot.lines})
    writes = frozenset({Slot.line_text})

    def __init__(self, options: CleanOptions, template: Template) -> None:
        super().__init__(options)
        self.settings = options.clean
        self.heading_settings = options.headings
        self.template = template
        noise = template.noise
        self.furniture = [re.compile(p) for p in noise.furniture]
        self.nav_item = [re.compile(p) for p in noise.navigation_item]
        self.bullet = re.compile(noise.bullet)
        self.md_blank = set(noise.markdown_blank_cells)
        self.md_header = [re.compile(p) for p in noise.markdown_placeholder_headers]
        self.never_nav = [re.compile(p) for p in noise.never_navigation]
        label_alt = "|".join(map(re.escape, noise.pasted_page_labels))
        self.pasted_label = re.compile(rf"^\s*({label_alt})\s*[:：]")
        self.heading_keys = [
            match_key(v) for s in template.sections for v in [*s.variants, s.canonical]
        ]

    @classmethod
    def options_from(cls, settings: Settings) -> CleanOptions:
        return CleanOptions(
            clean=settings.clean,
            headings=settings.headings,
            max_line_chars=settings.limits.max_line_chars,
        )

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        markdown = doc.source.media_type == "text/markdown"
        limit = self.options.max_line_chars
        for line in doc.lines:
            if len(line.raw) > limit:  # one absurd line costs itself, not the stages after
                line.text, line.noise = "", "too_long"
                doc.fail(
                    self.name,
                    ErrorCode.line_too_long,
                    f"{doc.source.path}: line {line.id} has {len(line.raw)} characters, over "
                    f"the limit of {limit}; skipped",
                )
                continue
            line.text = self._normalise(line.raw, markdown)
            if markdown and _MD_RULE.match(line.raw):
                line.noise = "markdown_rule"
            elif markdown and self._made_up_header(line.text):
                line.noise = "markdown_header"
            elif line.text and any(p.search(line.text) for p in self.furniture):
                line.noise = "furniture"
        self._mark_navigation(doc.lines)
        self._mark_pasted_pages(doc.lines)
        return doc

    def _normalise(self, raw: str, markdown: bool) -> str:
        """Markdown written by PDF converters: heading marks and **bold** go; a pipe-table row
        becomes tab-separated cells (empty cells kept as positions), with `<br>` inside a cell
        dropped and a lone dash, the converter's blank cell, read as blank."""
        text = raw
        if markdown:
            text = re.sub(r"^\s{0,3}(#{1,6}|>)\s*", "", text)
            text = _MD_BOLD.sub(r"\1", text)
            if text.strip().startswith("|"):
                cells = [_MD_BREAK.sub("", c).strip() for c in text.strip().strip("|").split("|")]
                cells = ["" if c in self.md_blank else c for c in cells]
                text = "\t".join(cells)
        return clean_line(text)

    def _made_up_header(self, text: str) -> bool:
        """The header a converter invents for a table it writes one row at a time
        (类别 | 数据1 | … | 数据6 | 总计): no label of the report's own, only placeholders."""
        cells = [c for c in text.split("\t") if c]
        return len(cells) >= 3 and all(any(p.fullmatch(c) for p in self.md_header) for c in cells)

    # ---- navigation --------------------------------------------------------------------------
    def _is_nav_item(self, text: str) -> bool:
        return any(p.match(text) for p in self.nav_item)

    def _is_short(self, line: Line) -> bool:
        t = line.text
        if self.bullet.match(t) and not _SENTENCE.search(t[:-1]):
            return True
        return (
            len(t) <= self.settings.short_line_max_chars
            and not _SENTENCE.search(t)
            and "\t" not in t
            and not self._looks_like_heading(t)
            and not any(p.search(t) for p in self.never_nav)
        )

    def _looks_like_heading(self, text: str, numbered: bool = True) -> bool:
        numeral, body = split_enumerator(text)
        if numeral is None and numbered:
            return False
        key = match_key(body)
        return any(fuzz.ratio(key, h) >= self.heading_settings.min_score for h in self.heading_keys)

    def _mark_navigation(self, lines: list[Line]) -> None:
        """Mark runs of short lines that hold enough navigation items."""
        run: list[Line] = []

        def close() -> None:
            items = sum(1 for ln in run if self._is_nav_item(ln.text))
            if items >= self.settings.nav_min_items:
                for ln in run:
                    ln.noise = ln.noise or "navigation"
            run.clear()

        for line in lines:
            if line.table_ref is not None:
                close()
            elif not line.text:
                continue  # blank lines do not break a run
            elif line.noise is None and (self._is_nav_item(line.text) or self._is_short(line)):
                run.append(line)
            else:
                close()
        close()

    # ---- pasted pages ------------------------------------------------------------------------
    def _mark_pasted_pages(self, lines: list[Line]) -> None:
        window = self.settings.pasted_window
        i = 0
        while i < len(lines):
            labels = [
                j
                for j in range(i, min(i + window, len(lines)))
                if self.pasted_label.match(lines[j].text)
            ]
            if not self.pasted_label.match(lines[i].text) or len(labels) < (
                self.settings.pasted_min_labels
            ):
                i += 1
                continue
            j = i
            while j < len(lines):
                ln = lines[j]
                if j > labels[-1] and (
                    ln.noise == "furniture"
                    or ln.table_ref is not None
                    or self._looks_like_heading(ln.text, numbered=False)
                ):
                    break
                ln.noise = ln.noise or "pasted_page"
                j += 1
            i = j
