"""The agency a report names itself by, read from its mentions (used by stages/meta.py).

A report names its agency in several places, none of them sure on its own: the title
(聊城市市场监督管理局2021年政府信息公开工作年度报告; split over lines, behind a label or markup), a
line holding only the name, the signature, page labels (发布机构：…, 来源：…) and sentences of the
preamble and first paragraphs (现公布X2022年…报告, 由X编制, 结合X政府信息公开工作实际, 2022年，X坚持
…, 请与X联系). Each mention is cut to an organisation name and checked against the shapes of
agency names (sections.yaml `meta`): a place, then an organ suffix, no sentence words; a bare
level in front (市教育局, 区政府国资局) makes it a short form, a pronoun (我局) no name at all.

`choose` takes the value from the surest source that names one (title > signature > name line
> label > sentence), the name most of its mentions agree on. A title name one character off
what the rest of the report prints (望舒县司法周 against 望舒县司法局 twice) is read as the rest
prints it, and a place-only name is completed with its organ where the report prints that
(利辛县望疃镇 -> 利辛县望疃镇人民政府; 镇宁自治县政府 -> 镇宁自治县人民政府). Features say how sure
the choice is: only a sentence, only a page label or only a short form names the agency, or
mentions of the same rank disagree (`conflict`).

Everything is compared on a simplified key (textnorm.simplified_chars, as long as the text);
values keep the characters as printed (江蘇省衛生健康委).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum

from ..datamodel.base import Feature, Features
from ..template.loader import MetaSpec, Template
from ..textnorm import simplified_chars

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_NAME_CHARS = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f（）()]+$")
# Markup and page chrome around a name or a title: HTML tags, markdown headings and emphasis,
# bullets, book-title marks and quotes.
# (a trailing run is matched from its first character only: linear on a line of dashes)
_MARKUP = re.compile(
    r"<[^>]{0,40}>|^#+|\*\*|(?<![•·●◆■□▪★☆\-—_])[•·●◆■□▪★☆\-—_]+$|^[•·●◆■□▪★☆\-—_]+"
)
_QUOTES = "《》〈〉<>“”\"'‘’「」『』【】[]"
# "(以下简称“镜湖区税务局”)": an alias, masked so that a name runs on across it.
_ALIAS = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[^（）()]{0,30}[）)]")
_MASK = "〓"
_BOOK = re.compile(r"《[^《》]{0,80}》")
_CN_DIGIT = str.maketrans("〇零○一二三四五六七八九", "000123456789")
YEAR = re.compile(
    r"(?<!\d)(?P<y>\d{4}|[〇零○一二三四五六七八九]{4})(?!\d)\s*(?:年度?|(?=政府|信息|政务))"
)
_SENTENCE_PUNCT = re.compile(r"[，。；;,！？!?]")
_SEPARATORS = re.compile(r"^.*[:：|｜_>»›＞\-—]")  # used with .match; ^: linear in .search


class Source(IntEnum):
    """Where a mention stands; lower is surer. A name line right above a title is part of the
    title (故城县教育局 / 2020年…报告); one standing alone (浑南区国资局 above the preamble) is
    surer than labels and sentences, but a signature is the report's own (a name line at the top
    may be the site's: 沧州市人民政府)."""

    title = 0
    signature = 1
    name_line = 2
    label = 3
    sentence = 4


@dataclass(frozen=True)
class Span:
    """Text as printed (whitespace removed) and its simplified key, of the same length."""

    text: str
    key: str

    @classmethod
    def of(cls, text: str) -> Span:
        text = _SPACE.sub("", text)
        return cls(text, simplified_chars(text))

    def __len__(self) -> int:
        return len(self.key)

    def cut(self, start: int, end: int | None = None) -> Span:
        return Span(self.text[start:end], self.key[start:end])

    def drop(self, pattern: re.Pattern[str]) -> Span:
        """The span without the parts of it `pattern` matches (on the key)."""
        keep_text, keep_key, last = [], [], 0
        for m in pattern.finditer(self.key):
            keep_text.append(self.text[last : m.start()])
            keep_key.append(self.key[last : m.start()])
            last = m.end()
        keep_text.append(self.text[last:])
        keep_key.append(self.key[last:])
        return Span("".join(keep_text), "".join(keep_key))

    def strip(self, chars: str) -> Span:
        start, end = 0, len(self.key)
        while start < end and self.key[start] in chars:
            start += 1
        while end > start and self.key[end - 1] in chars:
            end -= 1
        return self.cut(start, end)


@dataclass(frozen=True)
class Shape:
    organ: bool  # ends with an organ (局, 人民政府); False: a place standing for its government
    short: bool  # starts with a bare level (市教育局): a short form of the full name


@dataclass(frozen=True)
class Mention:
    name: str  # as printed
    key: str
    source: Source
    line_id: int
    kind: str  # the title, the label or the sentence pattern that named it
    shape: Shape | None  # None: not an agency shape (a title name misread: 望舒县司法周)
    rank: int = 0  # order of the sentence pattern (surest first)
    year: int | None = None  # the report year a sentence naming the report gives with it
    title: Span | None = None  # ... and the report's title as that sentence writes it

    @property
    def full(self) -> bool:
        return self.shape is not None and not self.shape.short


@dataclass(frozen=True)
class Title:
    text: Span  # the title as printed, markup and labels left out
    agency: Span | None  # the name before the report words, year and 关于 left out
    year: tuple[int, str] | None  # (year, as printed)


@dataclass
class Choice:
    name: str
    mention: Mention  # the mention the value rests on
    line_id: int  # where the value as printed stands (the completed name's line when extended)
    features: Features = field(default_factory=dict)


def year_of(key: str, years: range) -> tuple[int, str] | None:
    """The first plausible report year in `key` (Arabic or Chinese numerals): (year, match)."""
    for m in YEAR.finditer(key):
        year = int(m.group("y").translate(_CN_DIGIT))
        if year in years:
            return year, m.group(0)
    return None


class Shapes:
    """The template's vocabulary of agency names and page labels, compiled."""

    def __init__(self, template: Template, min_chars: int, max_chars: int) -> None:
        spec: MetaSpec = template.meta
        self.spec = spec
        self.min_chars, self.max_chars = min_chars, max_chars
        self.organs = sorted(spec.organ_suffixes + spec.national_suffixes, key=len, reverse=True)
        self.places = sorted(spec.place_suffixes, key=len, reverse=True)
        self.level_chars = {p[-1] for p in spec.place_suffixes}
        self.government = sorted(spec.government_suffixes, key=len, reverse=True)
        self.not_in = _alternation(spec.not_in_names)
        self.not_places = _alternation(spec.not_places)
        self.sites = sorted(spec.site_suffixes, key=len, reverse=True)
        self.subunits = sorted(spec.subunits, key=len, reverse=True)
        self.stems = sorted(template.title_stems, key=len, reverse=True)
        self.markers = sorted(template.title_markers, key=len, reverse=True)
        self.labels = _alternation(spec.title_labels + spec.agency_labels + spec.page_labels)
        self.breadcrumb = set(spec.breadcrumb_marks)
        self.equivalents = [
            sorted(pair, key=len, reverse=True) for pair in spec.equivalent_suffixes
        ]
        self.mentions = [(m, re.compile(m.pattern)) for m in spec.mentions]

    # ---- the shape of a name ---------------------------------------------------------------
    def shape(self, key: str) -> Shape | None:
        """The shape `key` has as an agency name, or None when it is no name."""
        if not (self.min_chars <= len(key) <= self.max_chars) or not _NAME_CHARS.match(key):
            return None
        if self.not_in.search(key) or key[0] in self.spec.pronouns:
            return None
        if key[0] in self.spec.qualified_starts and (
            key[1] in self.level_chars or self.placeless(key[1:])
        ):
            return None  # 本机关, 全县, 各乡镇
        organ = any(key.endswith(s) and len(key) > len(s) for s in self.organs)
        place = any(key.endswith(s) and len(key) > len(s) for s in self.places)
        if not (organ or place) or self.placeless(key):
            return None
        if not organ and any(s in key for s in self.spec.inner_organs):
            return None
        short = key.startswith(tuple(self.spec.short_starts)) and self.placeless(key[1:])
        return Shape(organ=organ, short=short)

    def placeless(self, key: str) -> bool:
        """No place in the name and no national organ (建设局, 没有因政府): no name on its own
        (the line above a title may hold the rest of it)."""
        if any(ch in self.level_chars for ch in self.not_places.sub("", key)):
            return False
        spec = self.spec
        return not (
            key.startswith(tuple(spec.national_starts))
            or key.endswith(tuple(spec.national_suffixes))
        )

    def related(self, a: str, b: str) -> bool:
        """Two keys naming the same organ: equal, one completing the other (镇 / 镇人民政府), or
        the same but for an equivalent suffix (国家卫生健康委 / 国家卫生健康委员会)."""
        if a == b:
            return True
        short, long_ = sorted((a, b), key=len)
        if long_.startswith(short) and long_[len(short) :] in self.spec.government_suffixes:
            return True
        return self.fuller(long_, short) or self._canonical(a) == self._canonical(b)

    def fuller(self, a: str, b: str) -> bool:
        """`a` is `b` with more of its place (国家税务总局佛山市税务局 / 佛山市税务局, 杭州市公安局
        滨江区分局 / 滨江区公安分局): the same organ, not another one under it (X人民政府办公室 is
        not a fuller X人民政府), nor `b` behind other words (由X)."""
        if len(a) <= len(b) or a[-1] != b[-1] or not set(b) <= set(a) or a.startswith(b):
            return False
        extra = set(a) - set(b)
        return bool(extra & self.level_chars) or a.startswith(tuple(self.spec.national_starts))

    def _canonical(self, key: str) -> str:
        for pair in self.equivalents:
            for s in pair:
                if key.endswith(s):
                    return key[: -len(s)] + pair[-1]
        return key

    # ---- cutting a name out of its surroundings ------------------------------------------
    def clean(self, span: Span) -> Span:
        """Markup, quotes, labels, years, aliases and a site suffix taken off a name."""
        span = span.drop(_MARKUP).drop(_ALIAS).drop(re.compile(_MASK + "+"))
        span = span.drop(YEAR).strip(_QUOTES + ":：")
        while (m := self.labels.match(span.key)) is not None:
            span = span.cut(m.end()).strip(_QUOTES + ":：")
        for site in self.sites:
            if span.key.endswith(site) and len(span.key) > len(site):
                span = span.cut(0, len(span.key) - len(site))
                break
        return span.strip(_QUOTES + ":：")

    def name(self, span: Span, following: Span | None = None) -> tuple[Span, Shape | None]:
        """`span` as a name. The 政府 of the report words after it (X人民|政府信息公开…) is part of
        the name only when the name needs it (X人民 is no name; 下各镇 is one)."""
        ends_bare = bool(span.key) and _NAME_CHARS.match(span.key[-1]) is not None
        ends_bare = ends_bare and span.key[-1] not in "年度）)"
        span = self.clean(span)
        shape = self.shape(span.key)
        if shape is None and following is not None and ends_bare:
            for stem in self.stems:
                if not following.key.startswith(stem):
                    continue
                for k in range(1, len(stem)):
                    if stem[k:] in self.stems:
                        longer = Span(span.text + following.text[:k], span.key + stem[:k])
                        if (s := self.shape(longer.key)) is not None:
                            return longer, s
        return span, shape

    def longest_name(self, clause: Span) -> tuple[Span, Shape] | None:
        """The longest start of `clause` with an agency shape (2024年，长春市人民政府办公厅坚持
        以… names 长春市人民政府办公厅), a unit inside a department cut off (X局办公室 -> X局),
        and a 政府 that begins the report words left to them (冲口街道政府信息公开… -> 冲口街道)."""
        for end in range(min(len(clause), self.max_chars), self.min_chars - 1, -1):
            cand = clause.cut(0, end)
            shape = self.shape(cand.key)
            if shape is None:
                continue
            rest = clause.key[end:]
            if self._splits_stem(cand.key, rest):
                continue
            return self._without_subunit(cand, shape)
        return None

    def _splits_stem(self, key: str, rest: str) -> bool:
        for stem in self.stems:
            for k in range(1, len(stem)):
                if key.endswith(stem[:k]) and rest.startswith(stem[k:]):
                    return self.shape(key[:-k]) is not None
        return False

    def _without_subunit(self, cand: Span, shape: Shape) -> tuple[Span, Shape]:
        for sub in self.subunits:
            if cand.key.endswith(sub) and len(cand.key) > len(sub):
                head = cand.cut(0, len(cand.key) - len(sub))
                head_shape = self.shape(head.key)
                governments = ("政府", *self.government)
                if (
                    head_shape is not None
                    and head_shape.organ
                    and not head.key.endswith(governments)
                ):
                    return head, head_shape
        return cand, shape

    # ---- titles -------------------------------------------------------------------------
    def breadcrumb_line(self, key: str) -> bool:
        return sum(key.count(m) for m in self.breadcrumb) >= 2

    def title(self, span: Span, years: range) -> Title | None:
        """`span` read as a report title, when it starts with one."""
        span = span.drop(_MARKUP)
        if self.breadcrumb_line(span.key):
            return None
        found = self._marker(span.key)
        if found is None:
            return None
        start, end = found
        prefix = span.cut(0, start)
        cut = _SEPARATORS.match(prefix.key)
        offset = cut.end() if cut else 0
        prefix = prefix.cut(offset)
        while (m := self.labels.match(prefix.key)) is not None:
            offset += m.end()
            prefix = prefix.cut(m.end())
        about = prefix.key.find("关于")
        if about >= 0:
            prefix = prefix.cut(0, about)
        bare = prefix.drop(YEAR).strip(_QUOTES + ":：")
        if len(bare) > self.max_chars or _SENTENCE_PUNCT.search(bare.key):
            return None
        if bare.key and self.not_in.search(bare.key):
            return None
        text = span.cut(offset, end).strip(_QUOTES)
        year = year_of(span.key[offset:end], years)
        agency: Span | None = None
        if bare.key:
            agency, _ = self.name(prefix, following=span.cut(start, end))
        return Title(text=text, agency=agency if agency and agency.key else None, year=year)

    def _marker(self, key: str) -> tuple[int, int] | None:
        """(start, end) of the first report words in `key`, a year inside them allowed only
        after a stem (政府信息公开工作2021年度报告, not 政府2019年信息公开…)."""
        kept = [i for i in range(len(key))]
        for m in reversed(list(YEAR.finditer(key))):
            del kept[m.start() : m.end()]
        reduced = "".join(key[i] for i in kept)
        best: tuple[int, int] | None = None
        for marker in self.markers:
            for m in re.finditer(re.escape(marker), reduced):
                start, end = kept[m.start()], kept[m.end() - 1] + 1
                inner = key[start:end]
                year = YEAR.search(inner)
                if year and not any(s in inner[: year.start()] for s in self.stems):
                    continue
                if best is None or (start, -end) < (best[0], -best[1]):
                    best = (start, end)
                break
        return best


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def mask_books(key: str) -> str:
    """Book titles (《…》, documents the report cites) masked: a name inside one is another
    document's, and no sentence pattern runs across it."""
    return _BOOK.sub(lambda m: "《" + "》" * (len(m.group(0)) - 1), key)


def mask_aliases(key: str) -> str:
    return _ALIAS.sub(lambda m: _MASK * len(m.group(0)), key)


def sentence_mentions(shapes: Shapes, line_id: int, text: str, years: range) -> list[Mention]:
    """Agency names the sentences of one line state (template `meta.mentions`). A sentence
    naming the report (现将我办2022年度…报告如下) is kept for its year and title even when it
    names no agency (shape None)."""
    span = Span.of(text)
    plain = mask_aliases(span.key)
    masked = mask_books(plain)
    out = []
    for rank, (spec, pattern) in enumerate(shapes.mentions):
        for m in pattern.finditer(plain if spec.kind == "report" else masked):
            group = span.cut(m.start("name"), m.end("name"))
            shape: Shape | None
            if spec.prefix:
                found = shapes.longest_name(shapes.clean(group))
                if found is None:
                    continue
                name, shape = found
            else:
                name, shape = shapes.name(group, following=span.cut(m.end("name")))
            year = year_of(group.key, years) if spec.kind == "report" else None
            if shape is None and year is None:
                continue
            title = shapes.title(span.cut(m.start("name")), years) if year else None
            out.append(
                Mention(
                    name.text,
                    name.key,
                    Source.sentence,
                    line_id,
                    spec.kind,
                    shape,
                    rank,
                    year[0] if year else None,
                    title.text if title is not None and title.year else None,
                )
            )
    return out


def choose(mentions: list[Mention], shapes: Shapes, text: Span) -> Choice | None:
    """The agency the mentions name (see the module docstring). `text` is the whole document
    (lines joined by newlines), for counting how often a reading is printed and for completing
    a place-only name."""
    named = [m for m in mentions if m.shape is not None]
    full = [m for m in named if m.full]
    titles = [m for m in mentions if m.source == Source.title]
    tiers = [
        [m for m in titles if m.full],
        [m for m in titles if m.shape is None],  # misread: resolved against the rest, or skipped
        *([m for m in full if m.source == s] for s in list(Source)[1:]),
        [m for m in named if not m.full],
    ]
    for tier in tiers:
        if not tier:
            continue
        features: Features = {}
        best = _vote(tier, shapes, features)
        resolved = _resolve(best, full, shapes, text, features)
        if resolved is None:
            continue
        return _finish(resolved, full, shapes, text, features)
    return None


def _vote(tier: list[Mention], shapes: Shapes, features: Features) -> Mention:
    """The name most mentions of one tier give (then the surer sentence pattern, the earlier
    line). Sure sources that disagree conflict; sentences conflict only on a tie (they also
    name other agencies: 在市政府办公室的指导下)."""
    own = Counter(m.key for m in tier)
    # a short form's mentions count for the fuller name it shortens (佛山市税务局 for 国家税务总局
    # 佛山市税务局)
    votes = {k: n + sum(own[o] for o in own if shapes.fuller(k, o)) for k, n in own.items()}
    ranked = sorted(tier, key=lambda m: (-votes[m.key], m.rank, m.line_id))
    best = ranked[0]
    rivals = [k for k in votes if not shapes.related(k, best.key)]
    if best.source == Source.sentence:
        rivals = [k for k in rivals if votes[k] >= votes[best.key]]
    if rivals:
        features[Feature.conflict] = 1.0
    return best


def _finish(
    best: Mention, full: list[Mention], shapes: Shapes, text: Span, features: Features
) -> Choice:
    if best.source == Source.sentence:
        features[Feature.agency_sentence] = 1.0
    elif best.source == Source.label:
        features[Feature.agency_label] = 1.0
    if best.shape is not None and best.shape.short:
        features[Feature.agency_short_form] = 1.0
    if best.source == Source.title and any(
        m.source == Source.signature and not shapes.related(m.key, best.key) for m in full
    ):
        features[Feature.conflict] = 1.0  # the signature names another agency
    choice = Choice(best.name, best, best.line_id, features)
    _complete(choice, shapes, text)
    if text.key.count(simplified_chars(choice.name)) > 1:
        features[Feature.corroborated] = 1.0
    return choice


def _resolve(
    best: Mention, full: list[Mention], shapes: Shapes, text: Span, features: Features
) -> Mention | None:
    """A reading one character off a name the report prints more often is read as printed
    there (OCR: 望舒县司法周 / 望舒县司法局); a tie with a sure source is a conflict. None: a
    misread title name nothing resolves (another source decides)."""
    variants = [
        m
        for m in full
        if len(m.key) == len(best.key)
        and sum(a != b for a, b in zip(m.key, best.key, strict=True)) == 1
    ]
    if variants:
        support = {k: text.key.count(k) for k in {m.key for m in variants} | {best.key}}
        top = max(variants, key=lambda m: (support[m.key], -m.source))
        if support[top.key] > support[best.key]:
            features[Feature.agency_resolved] = 1.0
            return Mention(
                top.name, top.key, best.source, best.line_id, best.kind, top.shape, best.rank
            )
        if top.source <= Source.signature:
            features[Feature.conflict] = 1.0
    return best if best.shape is not None else None


def _complete(choice: Choice, shapes: Shapes, text: Span) -> None:
    """A place-only name (利辛县望疃镇) or X政府 completed with the organ the report prints
    (利辛县望疃镇人民政府, X人民政府)."""
    key = simplified_chars(choice.name)
    shape = choice.mention.shape
    if shape is not None and not shape.organ:
        base = key
    elif key.endswith("政府") and not key.endswith("人民政府"):
        base = key[:-2]
    else:
        return
    for suffix in shapes.government:
        pos = text.key.find(base + suffix)
        if pos >= 0:
            end = pos + len(base) + len(suffix)
            choice.name = text.text[pos:end]
            choice.line_id = text.key.count("\n", 0, pos) + 1
            choice.features[Feature.agency_extended] = 1.0
            return
