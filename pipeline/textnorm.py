"""Character-level normalisation shared by the stages (no domain knowledge here).

Two forms of a string are used:
- display text (`clean_line`): what a section's text and a field's evidence show. Full-width
  digits and spaces become ASCII, stray spaces between CJK characters go, separators stay.
- match key (`match_key`): for comparing labels and headings. NFKC, no whitespace at all,
  quotes and enumerator punctuation unified.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import cn2an
import opencc

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"\u3000": " "})
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})

# Enumerators at the start of a label or heading: 一、 / 第三部分 / （二） / (2) / 1. / 1、
ENUMERATOR = re.compile(
    r"^\s*(?:第?(?P<cn>[一二三四五六七八九十]{1,3})(?:部分)?[、.．,，:：\s]"
    r"|[（(](?P<paren>[一二三四五六七八九十\d]{1,3})[)）]"
    r"|(?P<num>\d{1,2})[.、．,，)）](?!\d))\s*"
)
CN_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百千万亿]+$")


def clean_line(text: str) -> str:
    """Display form: ASCII digits and spaces, no stray spaces between CJK characters."""
    text = text.translate(_FULLWIDTH_DIGITS).replace("\xa0", " ").replace("\r", "")
    return _CJK_SPACE.sub("", text).strip(" ")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as their simplified forms (OpenCC t2s), for matching only: a
    report mirrored in traditional script (政府信息公開工作年度報告) has the same labels. Values
    keep the characters as printed."""
    return _t2s().convert(text) if text else text


@functools.lru_cache(maxsize=1 << 16)
def _simplified_char(ch: str) -> str:
    out = to_simplified(ch)
    return out if len(out) == 1 else ch


def simplified_chars(text: str) -> str:
    """`to_simplified` one character at a time: as long as `text`, so a span found in the result
    is the same span of the text as printed (江蘇省衛生健康委 -> 江苏省卫生健康委)."""
    return "".join(map(_simplified_char, text))


def match_key(text: str) -> str:
    """Comparison form for labels: NFKC, simplified script, no whitespace, unified quotes and
    commas."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).translate(_QUOTES)
    text = re.sub(r"\s+", "", text)
    return text.replace("、", ",").replace("，", ",")


def split_enumerator(text: str) -> tuple[str | None, str]:
    """('三', '收到和处理...') from '三、收到和处理...'; (None, text) when there is none."""
    m = ENUMERATOR.match(text)
    if not m:
        return None, text
    token = m.group("cn") or m.group("paren") or m.group("num")
    return token, text[m.end() :]


def enumerator_value(token: str | None) -> int | None:
    """The integer an enumerator stands for ('三' -> 3, '12' -> 12)."""
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    value = parse_number(token)
    return int(value) if value is not None else None


def parse_number(text: str) -> int | float | None:
    """An Arabic or Chinese numeral ('18', '3.5', '两', '十九', '一百二十') as a number."""
    text = text.translate(_FULLWIDTH_DIGITS).replace(",", "").strip()
    if not text or sum(c.isdigit() for c in text) > 15:  # no count has more digits than a float
        return None
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"(?<!\d)[+-]?\d*\.\d+", text):  # (?<!\d): linear under .search too
        return float(text)
    if CN_NUMERAL.match(text):
        try:
            value = cn2an.cn2an(text.replace("〇", "零"), "smart")
        except (ValueError, KeyError):
            return None
        return int(value) if float(value).is_integer() else float(value)
    return None
