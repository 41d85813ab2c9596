"""Untrusted strings: file names that are not UTF-8, and any value that reaches a console.

**Names (labels).** On Linux a file name is bytes; Python hands names that are not valid
UTF-8 (an archive copied from a GBK Windows machine) over as str with lone surrogates
(`surrogateescape`), which no JSON, database or CSV can hold. `escape_name` turns such a name
into a printable label, once, where it enters (batch sources, `extract`'s ingest):

- each byte that is not UTF-8 becomes `\\xNN` (two lowercase hex digits);
- a backslash that would read as the start of such an escape (followed by `x` and two hex
  digits, or by another backslash) is written `\\\\`; every other character is kept.

So a UTF-8 name (also a Windows-style `a\\b.pdf`) is its own label, and `name_bytes(label)`
gives back the exact bytes of the name (`name_path` the `Path` to open): the escape is
reversible, not just readable.

**Free text** (messages, evidence, agency lines) only has to be storable: `scrub` replaces any
lone surrogate by the same `\\xNN` form. `record_json` serialises a record, scrubbing it only
when plain serialisation fails (the common case pays nothing).

**Console.** `console_text` escapes rich markup (`[/b]`, `dir[x].txt`) and shows control
characters (ESC, CR, BEL: terminal escape sequences in a file name) as `\\xNN`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape as _markup_escape

if TYPE_CHECKING:
    from .datamodel.record import ReportRecord

_SURROGATE = re.compile("[\ud800-\udfff]")
_HEX_ESCAPE = re.compile(r"x[0-9a-fA-F]{2}")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _surrogate_bytes(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return "".join(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))


def escape_name(name: str) -> str:
    """The label of a file or member name (see the module docstring); apply once."""
    if "\\" not in name and not _SURROGATE.search(name):
        return name
    pieces: list[str] = []
    after = ""  # the start of the label to the right of the current character
    for ch in reversed(name):
        if _SURROGATE.match(ch):
            piece = _surrogate_bytes(ch)
        elif ch == "\\" and (after.startswith("\\") or _HEX_ESCAPE.match(after)):
            piece = "\\\\"
        else:
            piece = ch
        pieces.append(piece)
        after = (piece + after)[:3]
    return "".join(reversed(pieces))


def name_bytes(label: str) -> bytes:
    """The exact bytes of the name a label was made from (inverse of `escape_name`)."""
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(label):
        out += os.fsencode(label[pos : m.start()])
        token = m.group(1)
        out += b"\\" if token == "\\" else bytes([int(token[1:], 16)])
        pos = m.end()
    out += os.fsencode(label[pos:])
    return bytes(out)


def name_path(label: str) -> Path:
    """The path to open for a label (a name `escape_name` escaped is found again)."""
    return Path(os.fsdecode(name_bytes(label)))


def scrub(text: str) -> str:
    """Free text made storable: lone surrogates as `\\xNN` (not meant to be reversed)."""
    return _SURROGATE.sub(lambda m: _surrogate_bytes(m.group()), text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def storable(record: ReportRecord) -> tuple[ReportRecord, str]:
    """The record and its JSON, scrubbed first if any string in it is not storable text (the
    record is then a scrubbed copy; the common case returns the record itself)."""
    try:
        return record, record.model_dump_json()
    except ValueError:  # PydanticSerializationError: a lone surrogate somewhere
        clean = type(record).model_validate(_scrub_value(record.model_dump(mode="python")))
        return clean, clean.model_dump_json()


def record_json(record: ReportRecord, *, indent: int | None = None) -> str:
    """The record as JSON; any string it holds that is not storable text is scrubbed."""
    try:
        return record.model_dump_json(indent=indent)
    except ValueError:
        return storable(record)[0].model_dump_json(indent=indent)


def console_text(value: object) -> str:
    """A value safe to print through rich: markup escaped, control characters visible."""
    text = scrub(str(value))
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _markup_escape(text)
