"""A simplified-script key for matching prose written in traditional characters.

Mirror and wiki copies of reports are often converted to traditional script
(新收政府信息公開申請140件, 行政複議2件); the patterns of items.yaml are written once, in
simplified characters, and run on this key. OpenCC's `t2s` converts phrase by phrase; a key
must keep every character where it was (a figure's `raw` and evidence are cut from the original
sentence at the key's offsets), so when a phrase conversion changes the length the text is
converted one character at a time instead. Simplified text comes back unchanged.
"""

from __future__ import annotations

from functools import lru_cache

import opencc


class Simplifier:
    def __init__(self) -> None:
        self._cc = opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        out: str = self._cc.convert(text)
        if len(out) == len(text):
            return out
        return "".join(self._char(c) for c in text)

    @lru_cache(maxsize=4096)  # noqa: B019 - one Simplifier per stage, living as long as it
    def _char(self, c: str) -> str:
        out: str = self._cc.convert(c)
        return out if len(out) == 1 else c
