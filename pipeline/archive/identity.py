"""Agency identity: which stored reports are one agency's (issue #16).

A report's agency is the name stages/agency.py chose (documents.agency, as printed). The key
that groups reports is made from it with the same vocabulary agency.py uses (sections.yaml
`meta`, through its `Shapes` and `Span`):

- compared on textnorm.match_key (NFKC, simplified characters, no whitespace), markup, labels
  and site suffixes taken off (`Shapes.clean`);
- equivalent suffixes folded (人民政府 = 政府, 委员会 = 委, 街道办事处 = 街道: sections.yaml
  `equivalent_suffixes`, the rule `Shapes.related` uses);
- the parent places split off: 山东省聊城市教育局 is `聊城市教育局` in the region `山东省`; a key
  with a region and one without group together when nothing else claims the shorter one;
- a short form (市教育局) joins the one agency of that level whose name it completes, if only one;
- an OCR-misread character (望舒县司法周) joins the agency one confusion away
  (archive_rules.yaml `identity.confusions`), found with rapidfuzz among keys of the same length;
  a name `Shapes.fuller` than one already there (国家税务总局佛山市税务局 / 佛山市税务局) joins it;
- renames a report states (原X更名为Y; 由X和Y合并组建Y) make X's key one of Y's (`agency_names`,
  source `rename`), merging X's reports into Y's series.

Every key seen is kept in `agency_names`, so the next report with that name is found at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Hamming
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db.models import Agency, AgencyName, Document
from ..settings import Settings
from ..stages.agency import Shapes, Span
from ..template.loader import load_template
from ..textnorm import match_key
from .rules import load_archive_rules


@dataclass(frozen=True)
class AgencyKey:
    name: str  # as printed, whitespace removed
    core: str  # innermost place + organ, suffixes folded (聊城市教育局)
    region: str  # the parent places split off (山东省), "" when none
    short: bool  # begins with a bare level (市教育局): a short form

    @property
    def full(self) -> str:
        return self.region + self.core


class Naming:
    """Keys of agency names and the renames a text states."""

    def __init__(self) -> None:
        template = load_template()
        options = Settings().meta
        self.shapes = Shapes(template, options.agency_min_chars, options.agency_max_chars)
        spec = template.meta
        self.equivalents = [
            sorted(pair, key=len, reverse=True) for pair in spec.equivalent_suffixes
        ]
        self.places = sorted(spec.place_suffixes, key=len, reverse=True)
        self.not_places = spec.not_places
        self.organ_chars = {s[-1] for s in spec.organ_suffixes + spec.national_suffixes}
        self.national = tuple(spec.national_starts)
        ident = load_archive_rules().identity
        self.renames = [re.compile(p) for p in ident.renames]
        self.triggers = ident.rename_triggers
        self.separators = re.compile("|".join(map(re.escape, ident.old_name_separators)))
        pairs: set[tuple[str, str]] = set()
        for a, b in ident.confusions:
            pairs |= {(a, b), (b, a)}
        self.confusions = frozenset(pairs)
        self._keys: dict[str, AgencyKey | None] = {}

    def fold(self, key: str) -> str:
        """Equivalent suffixes folded to their short form (the pair's last)."""
        for pair in self.equivalents:
            for s in pair:
                if key.endswith(s) and len(key) > len(s):
                    return key[: -len(s)] + pair[-1]
        return key

    def _place_end(self, key: str) -> int:
        """Length of the first place at the start of `key` (聊城市 of 聊城市教育局), 0: none."""
        if key.startswith(self.national):
            return 0
        for end in range(2, min(len(key), 16)):
            head = key[:end]
            if any(ch in self.organ_chars for ch in head[:-1]):
                return 0
            if not any(head.endswith(p) for p in self.places):
                continue
            tail = key[end - 1 :]
            if any(head.endswith(w) or tail.startswith(w) for w in self.not_places):
                continue  # 城乡, 市场: not the end of a place
            return end
        return 0

    def key(self, name: str) -> AgencyKey | None:
        """The key of an agency name; None when it is no name (empty after cleaning)."""
        if name not in self._keys:
            if len(self._keys) > 100_000:
                self._keys.clear()
            self._keys[name] = self._key(name)
        return self._keys[name]

    def _key(self, name: str) -> AgencyKey | None:
        span = self.shapes.clean(Span.of(match_key(name)))
        text = span.key
        if len(text) < 2:
            return None
        short = self.shapes.shape(text) is not None and bool(self.shapes.shape(text).short)  # type: ignore[union-attr]
        folded = self.fold(text.replace("人民政府", "政府"))
        places: list[str] = []
        rest = folded
        while not short:
            end = self._place_end(rest)
            if end == 0 or end >= len(rest):
                break
            places.append(rest[:end])
            rest = rest[end:]
        if places:
            core = places[-1] + rest
            region = "".join(places[:-1])
        else:
            core, region = rest, ""
        return AgencyKey(name=Span.of(name).text, core=core, region=region, short=short)

    def renamed_from(self, text: str, own: AgencyKey) -> list[str]:
        """Former names a report's text gives for its own agency (原X更名为<own>)."""
        if not any(t in text for t in self.triggers):
            return []
        out: list[str] = []
        for pattern in self.renames:
            for m in pattern.finditer(text):
                new = m.group("new")
                if new:
                    k = self.key(new)
                    if k is None or not self.same(k, own):
                        continue
                for old in self.separators.split(m.group("old")):
                    k = self.key(old.lstrip("原"))
                    if k is not None and k.core != own.core and len(k.core) >= 3:
                        out.append(old.lstrip("原"))
        return out

    def same(self, a: AgencyKey, b: AgencyKey) -> bool:
        return a.core == b.core or self.shapes.related(a.full, b.full)

    def confusable(self, a: str, b: str) -> bool:
        """Same length, one position differs, and that pair is an OCR confusion."""
        if len(a) != len(b) or a == b:
            return False
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diff) == 1 and diff[0] in self.confusions


@cache
def naming() -> Naming:
    return Naming()


def agency_key(name: str) -> AgencyKey | None:
    """The normalised key of an agency name (see the module docstring)."""
    return naming().key(name)


def _compatible(r1: str, r2: str) -> bool:
    """Two regions that can be the same place chain (one ends the other, or one is unknown)."""
    return not r1 or not r2 or r1.endswith(r2) or r2.endswith(r1)


class Directory:
    """The agency names of a database, in memory for one run (built from `agency_names`)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.naming = naming()
        self.by_full: dict[str, int] = {}
        self._cores: dict[str, set[int]] | None = None  # built at the first name not found
        self.regions: dict[int, str] = {}
        self.by_len: dict[int, list[str]] = defaultdict(list)
        self.by_last: dict[str, list[str]] = defaultdict(list)
        rows = session.execute(select(AgencyName.key, AgencyName.agency_id)).all()
        for key, agency_id in rows:
            self._index(key, agency_id)
        self.keys: set[str] = set()
        for agency_id, key, region in session.execute(
            select(Agency.id, Agency.key, Agency.region)
        ).all():
            self.regions[agency_id] = region or ""
            self.keys.add(key)

    @property
    def by_core(self) -> dict[str, set[int]]:
        """core key -> agencies, made when first needed (most names are found by full key)."""
        if self._cores is None:
            self._cores = defaultdict(set)
            for full, agency_id in self.by_full.items():
                k = self.naming.key(full)
                if k is not None:
                    self._cores[k.core].add(agency_id)
        return self._cores

    def _index(self, full: str, agency_id: int) -> None:
        self.by_full[full] = agency_id
        if self._cores is not None:
            k = self.naming.key(full)
            if k is not None:
                self._cores[k.core].add(agency_id)
        self.by_len[len(full)].append(full)
        self.by_last[full[-1:]].append(full)

    def find(self, k: AgencyKey) -> int | None:
        """The agency a key names, or None (see the module docstring for the order)."""
        if k.full in self.by_full:
            return self.by_full[k.full]
        if k.short:
            stem = k.core[1:]
            level = k.core[0]
            found = {
                a
                for core, ids in self.by_core.items()
                if core.endswith(stem) and core[: -len(stem)].endswith(level)
                for a in ids
            }
            return found.pop() if len(found) == 1 else None
        candidates = [
            a
            for a in self.by_core.get(k.core, ())
            if _compatible(self.regions.get(a, ""), k.region)
        ]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            exact = [a for a in candidates if self.regions.get(a, "") == k.region]
            return exact[0] if len(exact) == 1 else None
        same_length = self.by_len.get(len(k.full), [])
        for other, _score, _i in process.extract(
            k.full, same_length, scorer=Hamming.distance, score_cutoff=1, limit=5
        ):
            if self.naming.confusable(k.full, other):
                return self.by_full[other]
        # ... or one confusion from the core of one (望舒市司法周 after 云岭省望舒市司法局)
        cores = [c for c in self.by_core if len(c) == len(k.core)]
        for other, _score, _i in process.extract(
            k.core, cores, scorer=Hamming.distance, score_cutoff=1, limit=5
        ):
            owners = [
                a for a in self.by_core[other] if _compatible(self.regions.get(a, ""), k.region)
            ]
            if self.naming.confusable(k.core, other) and len(owners) == 1:
                return owners[0]
        # a name with more of its place in front (国家税务总局佛山市税务局 / 佛山市税务局):
        # agency.py's `fuller`, and the shorter must end the longer (its character-set test
        # alone joins 云岭省玉安市… and 云安市…)
        fuller = self.naming.shapes.fuller
        for other in self.by_last.get(k.full[-1:], ()):
            if (other.endswith(k.full) and fuller(other, k.full)) or (
                k.full.endswith(other) and fuller(k.full, other)
            ):
                return self.by_full[other]
        return None

    def add_name(self, agency_id: int, k: AgencyKey, source: str) -> None:
        if k.full in self.by_full:
            return
        self.session.add(AgencyName(agency_id=agency_id, key=k.full, name=k.name, source=source))
        self._index(k.full, agency_id)

    def create(self, k: AgencyKey, *, by_reviewer: bool = False) -> int:
        key = k.core if k.core not in self.keys else k.full
        n = 1
        while key in self.keys:  # a name two agencies could own (no region): its own group
            n += 1
            key = f"{k.full}#{n}"
        self.keys.add(key)
        agency = Agency(
            key=key,
            name=k.name,
            region=k.region or None,
            by_reviewer=by_reviewer,
            created_at=datetime.now(UTC),
        )
        self.session.add(agency)
        self.session.flush()
        self.regions[agency.id] = k.region
        self.add_name(agency.id, k, "reviewer" if by_reviewer else "own")
        return agency.id

    def resolve(self, name: str) -> int | None:
        """The agency of a name, created when none matches; None when the name is no name."""
        k = self.naming.key(name)
        if k is None:
            return None
        found = self.find(k)
        if found is None:
            return self.create(k)
        if not k.short:  # a short form names another agency once another city's is stored
            self.add_name(found, k, "variant")
        return found

    def merge(self, old_id: int, into_id: int) -> None:
        """Move an agency's names and (auto-grouped) reports to another; drop it when empty."""
        if old_id == into_id:
            return
        s = self.session
        names = update(AgencyName).where(AgencyName.agency_id == old_id)
        s.execute(names.values(agency_id=into_id))
        s.execute(
            update(Document)
            .where(Document.agency_id == old_id, Document.agency_by_reviewer.is_(False))
            .values(agency_id=into_id)
        )
        for full, a in list(self.by_full.items()):
            if a == old_id:
                self.by_full[full] = into_id
        for ids in self.by_core.values():
            if old_id in ids:
                ids.discard(old_id)
                ids.add(into_id)
        left = s.scalar(select(Document.id).where(Document.agency_id == old_id).limit(1))
        if left is None:
            agency = s.get(Agency, old_id)
            if agency is not None and not agency.by_reviewer:
                s.delete(agency)
