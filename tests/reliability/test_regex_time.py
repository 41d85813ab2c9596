"""A timing guard on every regex nianbao runs on document text (issue #15 item 2): each one,
searched over long runs of tabs, spaces, separators, digits and CJK (regex_audit.py), stays
well inside a linear budget. A backtracking pattern that goes quadratic or worse (the old
navigation item regex took over a minute on a line of a few hundred tabs) fails here."""

from __future__ import annotations

import re
import time

import pytest

from tests.reliability.regex_audit import adversarial, all_patterns

# (characters per adversarial string, budget for one search): a linear pattern's worst search
# at 10,000 characters takes ~40 ms here (the navigation item regex: 40 text positions x the
# run); the quadratic ones fixed for #15 took 0.5 s to minutes there. The short round comes first
# so that a cubic pattern fails in seconds instead of hanging the suite.
ROUNDS = ((300, 0.02), (10000, 0.15))

PATTERNS = all_patterns()


def test_the_audit_sees_the_template_and_the_code() -> None:
    wheres = [where for where, _ in PATTERNS]
    assert len(PATTERNS) > 80
    assert any(w.startswith("noise.yaml:navigation_item") for w in wheres)
    assert any(w.startswith("stages/") for w in wheres)


def _slowest(pattern: re.Pattern[str], length: int, budget: float) -> tuple[float, str]:
    worst, worst_text = 0.0, ""
    for text in adversarial(length):
        # over budget: the fastest of three (a scheduler pause is not the pattern's)
        elapsed = _timed(pattern, text)
        if elapsed > budget:
            elapsed = min(elapsed, *(_timed(pattern, text) for _ in range(2)))
        if elapsed > worst:
            worst, worst_text = elapsed, text
    return worst, worst_text


def _timed(pattern: re.Pattern[str], text: str) -> float:
    t0 = time.perf_counter()
    pattern.search(text)
    return time.perf_counter() - t0


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[w for w, _ in PATTERNS])
def test_every_regex_is_linear_on_adversarial_runs(where: str, pattern: str) -> None:
    compiled = re.compile(pattern)
    for length, budget in ROUNDS:
        worst, text = _slowest(compiled, length, budget)
        assert worst < budget, f"{where}: {worst:.3f} s on {text[:20]!r}... ({len(text)} chars)"
