"""ingest: a file on disk -> ReportDoc with lines (and, for HTML, tables).

Detects the encoding (UTF-8 with or without BOM, GBK/GB18030, others via charset-normalizer),
tells HTML from text, and refuses what is not text with an `InputError` whose code names the
problem (empty_file, binary_file, undecodable, unsupported_format, too_large, not_found,
not_a_file, html_too_deep). PDFs and images are only identified here (magic number or suffix)
and hashed in blocks; the pages stage reads them page by page.

Nothing raises out of ingest: an unexpected failure is a fatal `ingest_error` naming the file.
Only regular files are opened (a FIFO or /dev/zero behind a symlink would block or never end).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import stat
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag
from charset_normalizer import from_bytes

from ..cells import is_value_cell
from ..datamodel.base import ErrorCode
from ..datamodel.document import CellObs, Line, ReportDoc, Slot, Table, TableRow
from ..datamodel.record import Source
from ..errors import InputError
from ..hashing import sha256_file
from ..settings import IngestSettings, LimitsSettings, RenderSettings
from ..template import Template
from ..textnorm import clean_line, to_simplified
from ..untrusted import escape_name

# Magic numbers of page formats (read by the pages stage) and of formats nianbao does not read.
_PAGE_MAGIC = {
    b"%PDF": "scan",  # the pages stage decides text layer or OCR per page
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"II*\x00": "image",
    b"MM\x00*": "image",
}
_UNSUPPORTED_MAGIC = {
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"PK\x05\x06": "ZIP archive (empty)",
    b"\xd0\xcf\x11\xe0": "OLE document (doc/xls?)",
    b"\x1f\x8b": "gzip-compressed file",
    b"BZh": "bzip2-compressed file",
    b"\xfd7zXZ\x00": "xz-compressed file",
    b"7z\xbc\xaf\x27\x1c": "7-Zip archive",
    b"Rar!\x1a\x07": "RAR archive",
}
_ARCHIVE_HINT = "; unpack it first (or give archives to `nianbao batch`)"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # ideographs: what a Chinese report is made of
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<\?xml[^>]*>\s*<html|<head|<body)", re.I)
TABLE_MARK = "\ufffctable:{}\ufffc"


class Ingest:
    """The first stage: a path in, a ReportDoc out (so it is not a `Stage`, whose input is a
    document), with the same declared contract."""

    name = "ingest"
    reads: frozenset[Slot] = frozenset()  # the file
    writes = frozenset({Slot.source, Slot.lines, Slot.source_tables})

    def __init__(
        self,
        settings: IngestSettings,
        render: RenderSettings,
        template: Template,
        limits: LimitsSettings | None = None,
    ) -> None:
        self.settings = settings
        self.limits = limits or LimitsSettings()
        self.noise = template.noise
        self.pdf_suffixes = render.pdf_suffixes
        self.image_suffixes = render.image_suffixes

    def __call__(self, path: str | Path) -> ReportDoc:
        path = Path(path)
        try:
            return self._ingest(path)
        except Exception as exc:  # a parser bug on hostile input must not lose the record
            doc = ReportDoc(source=Source(path=escape_name(str(path)), input_kind="text", pages=1))
            doc.fail(
                self.name,
                ErrorCode.ingest_error,
                f"{path}: cannot read: {type(exc).__name__}: {exc}",
                fatal=True,
            )
            return doc

    def _ingest(self, path: Path) -> ReportDoc:
        source = Source(path=escape_name(str(path)), input_kind="text", pages=1)
        doc = ReportDoc(source=source)
        try:
            kind = self._page_kind(path)
            if kind is not None:  # PDF or image: the pages stage reads it page by page
                source.input_kind = kind
                source.media_type = "application/pdf" if kind == "scan" else "image"
                source.pages = None
                source.sha256 = sha256_file(path)
                return doc
            data = self._read_bytes(path)
            source.sha256 = hashlib.sha256(data).hexdigest()
            text, encoding, bad = self._decode(path, data)
        except InputError as exc:
            doc.fail(self.name, exc.code, str(exc), fatal=True)
            return doc
        text, repaired = self._unmojibake(text)
        if repaired:
            encoding = f"{encoding}, {repaired}"
            doc.fail(
                self.name,
                ErrorCode.mojibake_repaired,
                f"{path}: the text was saved after being decoded with the wrong "
                f"encoding (mojibake); it was read back as {repaired}. Check the values",
            )
        source.encoding = encoding
        if encoding.split(",")[0] in self.settings.other_encodings:
            doc.fail(
                self.name,
                ErrorCode.unusual_encoding,
                f"{path}: read as {encoding}, not UTF-8 or GB18030; characters "
                "that encoding lacks may be missing. Check the values",
            )
        if bad:
            doc.fail(
                self.name,
                ErrorCode.decode_errors,
                f"{path}: {bad} byte sequences could not be decoded as {encoding}; "
                "they were replaced by U+FFFD",
            )
        if self._is_html(path, text):
            source.input_kind, source.media_type = "html", "text/html"
            try:
                doc.lines, doc.source_tables, cut = self._html_lines(text)
            except InputError as exc:
                doc.fail(self.name, exc.code, f"{path}: {exc}", fatal=True)
                return doc
            for tid in cut:
                doc.fail(
                    self.name,
                    ErrorCode.table_too_large,
                    f"{path}: HTML table {tid} spans more than "
                    f"{self.settings.max_table_cells} cells; read up to there",
                )
        else:
            raws = text.splitlines()
            md = path.suffix.lower() in (".md", ".markdown") or _markdown_tables(raws)
            source.media_type = "text/markdown" if md else "text/plain"
            if self._too_many_lines(doc, path, len(raws)):
                return doc
            doc.lines = [Line(id=i, raw=raw) for i, raw in enumerate(raws, 1)]
        if self._too_many_lines(doc, path, len(doc.lines)):
            doc.lines, doc.source_tables = [], []
            return doc
        if not any(ln.raw.strip() or ln.table_ref is not None for ln in doc.lines):
            doc.fail(self.name, ErrorCode.empty_file, f"{path}: no text content", fatal=True)
        return doc

    def _too_many_lines(self, doc: ReportDoc, path: Path, n: int) -> bool:
        """More lines than any report has: refused before the later stages spend minutes."""
        if n <= self.settings.max_lines:
            return False
        doc.fail(
            self.name,
            ErrorCode.too_large,
            f"{path}: {n} lines, over the limit of {self.settings.max_lines}; not read as a report",
            fatal=True,
        )
        return True

    # ---- bytes and encodings -----------------------------------------------------------------
    def _page_kind(self, path: Path) -> Literal["scan", "image"] | None:
        """'scan' for a PDF, 'image' for an image, by magic number or suffix; else None."""
        try:
            mode = path.stat().st_mode  # follows symlinks
        except OSError as exc:
            what = "a symbolic link to nothing (or a loop)" if path.is_symlink() else "no such file"
            raise InputError(ErrorCode.not_found, f"{path}: {what}: {exc.strerror}") from exc
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise InputError(ErrorCode.not_a_file, f"{path}: {kind}, not a regular file")
        with path.open("rb") as fh:
            head = fh.read(8)
        if not head.strip():
            return None  # empty: reported by the text path
        for magic, kind in _PAGE_MAGIC.items():
            if head.startswith(magic):
                return "scan" if kind == "scan" else "image"
        suffix = path.suffix.lower()
        if suffix in self.pdf_suffixes:
            return "scan"
        if suffix in self.image_suffixes:
            return "image"
        return None

    def _read_bytes(self, path: Path) -> bytes:
        size = path.stat().st_size
        if size > self.settings.max_bytes:
            raise InputError(
                ErrorCode.too_large,
                f"{path}: {size} bytes, over the limit of {self.settings.max_bytes}",
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(ErrorCode.unreadable, f"{path}: cannot read: {exc}") from exc
        if not data.strip():
            raise InputError(ErrorCode.empty_file, f"{path}: the file is empty")
        for magic, kind in _UNSUPPORTED_MAGIC.items():
            if data.startswith(magic):
                raise InputError(
                    ErrorCode.unsupported_format,
                    f"{path}: this is a {kind}; nianbao reads PDF, images, text and HTML"
                    + (_ARCHIVE_HINT if "archive" in kind or "compressed" in kind else ""),
                )
        if data[257:262] == b"ustar":
            raise InputError(
                ErrorCode.unsupported_format, f"{path}: this is a tar archive{_ARCHIVE_HINT}"
            )
        return data

    def _decode(self, path: Path, data: bytes) -> tuple[str, str, int]:
        """(text, encoding, number of undecodable sequences)."""
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return self._checked(path, data.decode("utf-16", errors="replace"), "utf-16", data)
        if b"\x00" in data[:4096]:
            raise InputError(
                ErrorCode.binary_file, f"{path}: binary content (NUL bytes), not a text report"
            )
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if self._common_share(text) >= self.settings.min_common_hanzi:
                return self._checked(path, text, enc.replace("-sig", ""), data)
            # Decodes, but into rare characters: Big5 and others also pass as GB18030.
            return self._best_reading(path, data, [(enc.replace("-sig", ""), text)])
        # Not clean in either: take the reading with the fewest undecodable sequences.
        readings = [(enc, data.decode(enc, errors="replace")) for enc in ("utf-8", "gb18030")]
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            readings.append((best.encoding, data.decode(best.encoding, errors="replace")))
        encoding, text = min(readings, key=lambda r: r[1].count("\ufffd"))
        return self._checked(path, text, encoding, data)

    def _best_reading(
        self, path: Path, data: bytes, readings: list[tuple[str, str]]
    ) -> tuple[str, str, int]:
        """The reading whose ideographs are common characters; none: the text is garbled."""
        for enc in self.settings.other_encodings:
            readings.append((enc, data.decode(enc, errors="replace")))
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            readings.append((best.encoding, data.decode(best.encoding, errors="replace")))
        encoding, text = max(readings, key=lambda r: self._common_share(r[1]))
        if self._common_share(text) < self.settings.min_common_hanzi:
            raise InputError(
                ErrorCode.garbled_text,
                f"{path}: the text decodes, but into rare characters in every encoding tried "
                f"({', '.join(e for e, _ in readings)}): not readable Chinese",
            )
        return self._checked(path, text, encoding, data)

    @staticmethod
    def _common_share(text: str) -> float:
        """Share of ideographs among the 3,755 common ones (GB2312 level 1), counting a
        traditional character by its simplified form (a mirror page in traditional script is
        readable Chinese); 1.0 without any."""
        chars = _CJK.findall(to_simplified(text[:200_000]))
        if len(chars) < 50:
            return 1.0
        common = 0
        for ch in chars:
            with contextlib.suppress(UnicodeEncodeError):  # not in GB2312 at all: rare
                common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
        return common / len(chars)

    def _unmojibake(self, text: str) -> tuple[str, str | None]:
        """Text once decoded with a Western code page and saved again (锟斤拷's cousin: 中 as
        ä¸\xad) read back: (text, how it was repaired) or (text, None) when it is not mojibake."""
        n = max(len(text), 1)
        if len(_CJK.findall(text)) / n >= self.settings.mojibake_max_cjk_ratio:
            return text, None
        for wrong in ("cp1252", "latin-1"):
            for right in ("utf-8", "gb18030"):
                try:
                    fixed = text.encode(wrong).decode(right)
                except (UnicodeEncodeError, UnicodeDecodeError):
                    continue
                if (
                    len(_CJK.findall(fixed)) / max(len(fixed), 1)
                    >= self.settings.mojibake_min_cjk_ratio
                ):
                    return fixed, f"{right} mis-read as {wrong}"
        return text, None

    def _checked(self, path: Path, text: str, encoding: str, data: bytes) -> tuple[str, str, int]:
        n = max(len(text), 1)
        if len(_CONTROL.findall(text)) / n > self.settings.max_control_ratio:
            raise InputError(ErrorCode.binary_file, f"{path}: binary content, not a text report")
        bad = text.count("\ufffd")
        if 1 - bad / n < self.settings.min_clean_ratio:
            raise InputError(
                ErrorCode.undecodable,
                f"{path}: {bad} of {n} characters cannot be decoded "
                f"(tried UTF-8, GB18030, {encoding})",
            )
        return text, encoding, bad

    def _is_html(self, path: Path, text: str) -> bool:
        if path.suffix.lower() in self.settings.html_suffixes:
            return True
        if path.suffix.lower() in self.settings.text_suffixes:
            return False
        return bool(_HTML_START.match(text[:2048]))

    # ---- HTML -------------------------------------------------------------------------------
    def _html_lines(self, html: str) -> tuple[list[Line], list[Table], list[int]]:
        """Lines and tables of a web page, and the ids of tables cut at `max_table_cells`.

        Linear in the page: elements are counted on the raw text before parsing
        (`limits.max_html_elements`), and the tree is never edited in place (bs4's insert and
        extract search the parent's children: quadratic on a page of 50,000 <p>); one walk
        writes the text, skipping chrome and standing a mark in for each top-level table."""
        elements = len(_ELEMENT_START.findall(html))
        if elements > self.limits.max_html_elements:
            raise InputError(
                ErrorCode.html_too_large,
                f"{elements} HTML elements, over the limit of {self.limits.max_html_elements}; "
                "refused before parsing",
            )
        soup = BeautifulSoup(html, "lxml")
        depth = _depth(soup, self.settings.max_html_depth)
        if depth > self.settings.max_html_depth:
            raise InputError(
                ErrorCode.html_too_deep,
                f"HTML nested more than {self.settings.max_html_depth} elements deep; refused",
            )
        drop = set(self.noise.html_drop_tags)
        skipped: set[int] = set()  # ids of chrome elements: left out with everything inside
        for tag in soup.find_all(True):
            if isinstance(tag, Tag) and (
                tag.name in drop or (tag.attrs is not None and self._is_chrome(tag))
            ):
                skipped.add(id(tag))
        for tag in [t for t in soup.find_all(True) if id(t) in skipped]:
            if isinstance(tag, Tag) and tag.find_parent("table") is not None:
                tag.decompose()  # chrome inside a table cell: its rows must not read it
        tables: list[Table] = []
        cut: list[int] = []
        marks: dict[int, str] = {}  # id of a top-level table -> its mark line
        for element in soup.find_all("table"):
            if not isinstance(element, Tag) or element.find_parent("table") is not None:
                continue  # nested tables are read as part of their outer table's cells
            if any(id(p) in skipped for p in (element, *element.parents)):
                continue
            tid = len(tables) + 1
            rows, complete = _html_rows(element, self.settings.max_table_cells, self.limits)
            tables.append(Table(id=tid, source="html", rows=rows))
            if not complete:
                cut.append(tid)
            marks[id(element)] = f"\n{TABLE_MARK.format(tid)}\n"
        root = soup.body or soup
        text = _page_text(root, skipped, marks, set(self.noise.html_block_tags))
        lines: list[Line] = []
        for raw in text.splitlines():
            m = _TABLE_MARK_LINE.fullmatch(raw)
            if m:
                lines.append(Line(id=len(lines) + 1, raw="", table_ref=int(m.group(1))))
            elif raw.strip():
                lines.append(Line(id=len(lines) + 1, raw=raw.strip()))
        for built in tables:
            ref = next(ln.id for ln in lines if ln.table_ref == built.id)
            built.line_ids = [ref]
            for row in built.rows:
                row.line_ids = [ref]
                for cell in row.cells:
                    cell.line_id = ref
        return lines, tables, cut

    def _is_chrome(self, tag: Tag) -> bool:
        attrs = " ".join(
            [str(tag.get("id") or "")]
            + [str(c) for c in (tag.get("class") or [])]
            + [str(tag.get("role") or "")]
        ).lower()
        if not attrs.strip():
            return False
        words = re.split(r"[^a-z]+", attrs)
        return any(w in words for w in self.noise.html_drop_class_words)


_ELEMENT_START = re.compile(r"<[A-Za-z]")


def _page_text(root: Tag, skipped: set[int], marks: dict[int, str], blocks: set[str]) -> str:
    """The text `get_text("")` would give after dropping the skipped elements, replacing each
    marked table by its mark and each <br> by a newline and surrounding block elements with
    newlines; in one walk, without editing the tree."""
    out: list[str] = []
    stack: list[PageElement | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            out.append(node)  # a closing newline pushed below
        elif isinstance(node, Tag):
            if id(node) in skipped:
                continue
            if id(node) in marks:
                out.append(marks[id(node)])
                continue
            if node.name == "br":
                out.append("\n")
                continue
            block = node.name in blocks and node is not root
            if block:
                out.append("\n")
                stack.append("\n")
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # what get_text reads (no comments)
            out.append(str(node))
    return "".join(out)


_TABLE_MARK_LINE = re.compile(r"(?<!\s)\s*\ufffctable:(\d+)\ufffc\s*")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
# possessive (*+): the classes alternate (space, |, :, -), nothing to give back; linear
_PIPE_RULE = re.compile(r"^\s*+\|?\s*+:?-{3,}+:?\s*+(?:\|\s*+:?-{3,}+:?\s*+)++\|?\s*+$")


def _markdown_tables(raws: list[str]) -> bool:
    """A text holding markdown pipe tables (a `| ... |` row above a `|---|---|` rule): what
    PDF-to-markdown converters write, whatever the file's suffix (.txt often)."""
    return any(
        _PIPE_RULE.match(line) and _PIPE_ROW.match(prev) for prev, line in itertools.pairwise(raws)
    )


def _depth(root: Tag, limit: int) -> int:
    """Element nesting depth of `root`, iteratively; stops as soon as it passes `limit`."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def _html_rows(
    table: Tag, max_cells: int, limits: LimitsSettings | None = None
) -> tuple[list[TableRow], bool]:
    """Expand rowspan/colspan into a grid (at most `max_cells` cells), one TableRow per grid row;
    the flag says whether the whole table fitted.

    Stub cells (text left of the first value) become label cells, each spanning cell once;
    a value cell spanning several columns (行政许可 | 447 colspan=3) counts once.
    """
    grid: dict[tuple[int, int], tuple[int, str]] = {}  # (row, col) -> (origin id, text)
    origin = 0
    complete = True
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    max_row_cells = (limits or LimitsSettings()).max_row_cells
    for r, tr in enumerate(trs):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False)[:max_row_cells]:
            while (r, c) in grid:
                c += 1
            origin += 1
            text = clean_line(td.get_text(" ", strip=True))
            rs = _span(td.get("rowspan"))
            cs = _span(td.get("colspan"))
            if len(grid) + rs * cs > max_cells:
                complete = False
                break
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), (origin, text))
            c += cs
        if not complete:
            break
    return list(_grid_rows(grid)), complete


def _grid_rows(grid: dict[tuple[int, int], tuple[int, str]]) -> Iterator[TableRow]:
    by_row: dict[int, list[int]] = defaultdict(list)
    for rr, cc in grid:
        by_row[rr].append(cc)
    n_rows = max(by_row, default=-1) + 1
    for r in range(n_rows):
        cols = sorted(by_row[r])
        entries: list[tuple[int, str]] = []
        for c in cols:
            if not entries or entries[-1][0] != grid[(r, c)][0]:
                entries.append(grid[(r, c)])
        texts = [t for _, t in entries]
        first_value = _first_value_index(texts)
        label_cells: list[str] = []
        for t in texts[:first_value]:
            if t and (not label_cells or label_cells[-1] != t):
                label_cells.append(t)
        yield TableRow(
            label_cells=label_cells,
            cells=[CellObs(raw=t) for t in texts[first_value:]],
            line_ids=[],
        )


def _first_value_index(texts: list[str]) -> int:
    """Index where the trailing run of value cells (numbers, blanks, '/') begins. A row of
    several empty cells is a data row whose every cell was left blank (table 四 of a year
    without 复议 or 诉讼); one empty cell spanning the table is a spacer."""
    i = len(texts)
    while i > 0 and is_value_cell(texts[i - 1], blank_ok=True):
        i -= 1
    if i == 0 and all(not t for t in texts) and len(texts) < 2:
        return len(texts)  # an empty spacer row
    return i


def _span(value: object) -> int:
    try:
        return max(1, min(int(str(value)), 200))
    except (TypeError, ValueError):
        return 1
