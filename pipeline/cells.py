"""How the text of one table cell is read: value and semantic (record-contract `semantic`).

"" -> blank (read as 0); "0" -> zero; "18", "12.5", "+3", "251000元" -> number;
"/", "—", "不适用" (template tables.yaml cell_values) -> not_applicable; a cell that is a number
once OCR confusions are undone ("一" -> 1, a lone "。" -> 0, "0)" -> 0; tables.yaml
`ocr_confusables`, `ocr_lone_confusables`, `ocr_strays`) -> that number (and `confusable`, so
the field is reviewed); anything else -> text.
"""

from __future__ import annotations

import re
from functools import cache

from .datamodel.record import Semantic, Value
from .template import load_template
from .textnorm import clean_line


@cache
def _na_tokens() -> frozenset[str]:
    return frozenset(load_template().tables.cell_values.not_applicable)


@cache
def _units() -> str:
    units = sorted(load_template().tables.cell_values.units, key=len, reverse=True)
    return "|".join(map(re.escape, units))


@cache
def _number() -> re.Pattern[str]:
    return re.compile(rf"^[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:{_units()})?$")


@cache
def _confusables() -> dict[str, str]:
    return load_template().tables.cell_values.ocr_confusables


@cache
def _lone_confusables() -> dict[str, str]:
    return load_template().tables.cell_values.ocr_lone_confusables


@cache
def _strays() -> str:
    return "".join(load_template().tables.cell_values.ocr_strays)


def _undo_confusions(t: str) -> str | None:
    """The number an OCR'd cell stands for once its confusions are undone, else None.

    A lone confusable mark ("。") is the digit; stray marks after digits ("0)") are dropped;
    digit look-alikes ("∞", "i1") are the digits. None when nothing needed undoing or the
    result is not a number (a real text cell stays text)."""
    if not t or t in _na_tokens():
        return None
    if t in _lone_confusables():
        return _lone_confusables()[t]
    core = t.rstrip(_strays())
    if core != t and not any(c.isdigit() for c in core):
        return None  # "（一）", "一。": an enumerator or prose, not a digit with a speck
    table = _confusables()
    undone = "".join(table.get(c, c) for c in core)
    if undone == t:
        return None  # nothing to undo: a plain number, or text
    return undone if _number().match(undone) else None


def confusable(text: str) -> bool:
    """A number cell that only reads as a number after undoing OCR confusions (一 -> 1)."""
    return _undo_confusions(clean_line(text).replace(" ", "")) is not None


def _normalised(text: str) -> str:
    t = clean_line(text).replace(" ", "")
    undone = _undo_confusions(t)
    return t if undone is None else undone


def is_value_cell(text: str, *, blank_ok: bool) -> bool:
    """A cell that holds a value: a number, a not-applicable mark, or (if allowed) nothing."""
    t = _normalised(text)
    if not t:
        return blank_ok
    return bool(_number().match(t)) or t in _na_tokens()


# More digits than a float holds exactly is no count or amount of a report; such a cell is read
# as text (flagged) rather than as a number nothing downstream can store (int("9" * 5000)
# raises; float(10 ** 400) overflows).
MAX_DIGITS = 15


def read_cell(text: str) -> tuple[Value, Semantic]:
    t = _normalised(text)
    if not t:
        return 0, Semantic.blank
    if t in _na_tokens():
        return None, Semantic.not_applicable
    if _number().match(t):
        num = re.sub(f"(?:{_units()})$", "", t).replace(",", "")
        if sum(c.isdigit() for c in num) > MAX_DIGITS:
            return t, Semantic.text  # not a count: one flagged field (not_a_number), no raise
        value: int | float = float(num) if "." in num else int(num)
        if isinstance(value, float) and value.is_integer() and "." not in t:
            value = int(value)
        return value, (Semantic.zero if value == 0 else Semantic.number)
    return t, Semantic.text
