"""Every regular expression nianbao runs on document text, and adversarial strings to time them.

Patterns come from the template (every string in pipeline/template/*.yaml that compiles and
uses a regex operator) and from the code (literal first arguments of `re.compile`, `re.search`,
`re.match`, `re.fullmatch`, `re.sub`, `re.subn`, `re.split`, `re.findall`, `re.finditer`,
found by walking each module's syntax tree). Adversarial strings are long runs of one
character or a short unit (tabs, spaces, separators, digits, CJK, brackets), alone and with a
failing tail, the shapes that make a backtracking matcher go quadratic or worse.
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"
_RE_FUNCS = {
    "compile",
    "search",
    "match",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
}
_OPERATORS = re.compile(r"[\\^$*+?{}\[\]|()]")

# Units repeated into runs: whitespace of every kind, separators, digits, CJK, brackets and
# the pieces the template's patterns are built from (年 月 日, numbered-heading marks).
UNITS = [
    "\t", " ", "\u3000", "\xa0", "-", "—", "|", "| ", ".", "·", "0", "1", "1 ", "1\t", "12,",
    "中", "年", "月", "日", "一", "、", "（", "【", "[", "(", "#", "*", "- ", "* ", "：", ":",
    "a", "a ", "\t1", " -", "第", "页", "%", "0.", "〇", "号", "局",
]  # fmt: skip
# Code that never sees a document's text: the synthetic-report generator and training.
NOT_ON_INPUT = ("synth", "training")
TAILS = ["", "x", "\n", "】", "年度报告x", "局x", "1"]


def template_patterns() -> Iterator[tuple[str, str]]:
    """(where, pattern) for every regex-looking string in the template files."""
    for path in sorted((PACKAGE / "template").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, value in _strings(data, path.name):
            if _OPERATORS.search(value):
                try:
                    re.compile(value)
                except re.error:
                    continue
                yield where, value


def _strings(data: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{where}:{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{where}[{i}]")


def code_patterns() -> Iterator[tuple[str, str]]:
    """(module:line, pattern) for every literal pattern passed to the `re` functions."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in NOT_ON_INPUT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target = node.func.value
            if not (isinstance(target, ast.Name) and target.id in ("re", "regex")):
                continue
            if node.func.attr not in _RE_FUNCS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", first.value


def all_patterns() -> list[tuple[str, str]]:
    return [*template_patterns(), *code_patterns()]


def adversarial(length: int) -> Iterator[str]:
    """Long runs of each unit, with each failing tail, about `length` characters each."""
    for unit in UNITS:
        run = unit * max(1, length // len(unit))
        for tail in TAILS:
            yield run + tail
            yield "- " + run + tail  # behind a bullet: what navigation items start with


def worst_time(pattern: re.Pattern[str], length: int) -> tuple[float, str]:
    """The slowest `search` of the pattern over the adversarial strings: (seconds, string)."""
    worst, worst_text = 0.0, ""
    for text in adversarial(length):
        t0 = time.perf_counter()
        pattern.search(text)
        elapsed = time.perf_counter() - t0
        if elapsed > worst:
            worst, worst_text = elapsed, text
    return worst, worst_text
