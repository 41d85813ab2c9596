"""A simplified-script key for matching prose written in traditional characters.

Mirror and wiki copies of reports are often converted to traditional script
(新收政府信息公開申請140件, 行政複議2件); the patterns of items.yaml are written once, in
simplified characters, and run on this key. OpenCC's `t2s` converts phrase by phrase; a key
must keep every character where it was (a figure's `raw` and evidence are cut from the original
sentence at the key's offsets), so when a phrase conversion changes the length the text is
converted one character at a time instead (textnorm.to_simplified converts, this keeps the
offsets). Simplified text comes back unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from ..textnorm import to_simplified


class Simplifier:
    def __call__(self, text: str) -> str:
        out = to_simplified(text)
        if len(out) == len(text):
            return out
        return "".join(_char(c) for c in text)


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    out = to_simplified(c)
    return out if len(out) == 1 else c
