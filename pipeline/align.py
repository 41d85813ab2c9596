"""Monotone alignment: pair two sequences in order, maximising the sum of pair scores.

Used wherever observed things must be matched to the template's fixed order: table rows to the
template's rows (stages/table_fields.py `_align`), header stacks to the expected columns
(`column_anchors`). A pair counts only when its score reaches `floor`; either side may skip
items. Pure function, no stage state.
"""

from __future__ import annotations


def monotone_alignment(score: list[list[float]], floor: float) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both i and j, that maximise the sum of `score[i][j]` over
    the pairs, each pair scoring at least `floor`. `score` is m x n (m observed, n expected).

    Ties go to skipping an observed item first (scanning back from the end), as both callers
    always did."""
    m = len(score)
    n = len(score[0]) if m else 0
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            take = score[i - 1][j - 1]
            diag = best[i - 1][j - 1] + take if take >= floor else float("-inf")
            best[i][j] = max(best[i - 1][j], best[i][j - 1], diag)
    pairs: list[tuple[int, int]] = []
    i, j = m, n
    while i > 0 and j > 0:
        take = score[i - 1][j - 1]
        if take >= floor and best[i][j] == best[i - 1][j - 1] + take:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]
