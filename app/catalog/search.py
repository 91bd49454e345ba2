"""Search-as-you-type over the cached catalog, in memory.

Budget: p99 ≤ 5 ms per keystroke at 20,000 items, so nothing here loops over
the items per keystroke.  Items are kept in *display order* (shorter names
first — closest to what was typed — then by name; within one name, active
before suspended) and laid out (``index_parts``) as:

- a sorted list of codes (task, catalog and handle-item codes), searched for
  exact codes and prefixes with ``bisect``;
- one string of all names joined by NUL, searched with ``str.find`` — a NUL
  before the query finds name prefixes, a bare query finds substrings of
  any length, including one character (which FTS5 trigram cannot);
- one string of all initials spellings, searched the same way.

Because both strings are in display order, the first hits ``find`` returns
are the best ones and the scan stops as soon as ``limit`` items are found.
Full pinyin (``jiehun``) is split into syllables; their initials are found in
the initials string and each syllable is then confirmed against the readings
of the character at that position.  Rank: exact code, code prefix, name
prefix, pinyin prefix, substring.

An item's 业务办理项 (新办/变更/延续/注销, same task_code) are hits of their
own, listed together under their item: hits of one task_code follow the
first of them.

The importer stores the built index in the catalog database, so start-up
loads it in one read (``CatalogIndex.load``); the searched changes of recent
deltas are stored beside it and applied on load until the importer folds them in.
"""

from __future__ import annotations

import marshal
import sys
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from app.catalog.index_parts import (
    ROW_COLUMNS,
    SEP,
    IndexItem,
    IndexParts,
    Key,
    Row,
    build_parts,
    holders_at,
    lay_out,
    patch_parts,
    rows_of,
)
from app.catalog.storage import (
    ITEM_TABLE,
    PENDING_CHANGES_KEY,
    catalog_database,
    catalog_imported_at,
    read_search_snapshot,
    store_rebuilt_snapshot,
)

MAX_SEGMENTATIONS = 8

MATCH_SCORES = {
    "code": 100,
    "code_prefix": 80,
    "name_prefix": 60,
    "pinyin_prefix": 40,
    "substring": 20,
    "pinyin_substring": 20,
    "code_part": 15,
    "synonym": 10,
}
# A code fragment from the middle of a code ("107002" of 000107002000) is
# looked for from this length on; shorter digit strings match too many codes.
PARTIAL_CODE_MIN = 4


@cache
def spoken_synonyms() -> dict[str, tuple[str, ...]]:
    """Words applicants say → words in item names (app/data/search_synonyms.json)."""
    import json

    text = resources.files("app.data").joinpath("search_synonyms.json").read_text("utf-8")
    table = json.loads(text)["synonyms"]
    return {spoken: tuple(words) for spoken, words in table.items()}


@dataclass(frozen=True, slots=True)
class SearchHit:
    task_code: str
    name: str  # the item's name (事项名称), shared by its 办理项
    catalog_code: str
    dept_name: str
    match_kind: str
    score: int
    state: str = "active"
    handle_item_code: str | None = None  # None: an item without 办理项
    handle_item_name: str = ""

    @property
    def display_name(self) -> str:
        return self.handle_item_name or self.name


@cache
def _syllables() -> frozenset[str]:
    text = resources.files("app.data").joinpath("pinyin_syllables.txt").read_text("utf-8")
    return frozenset(line for line in text.split() if not line.startswith("#"))


@cache
def _syllable_prefixes() -> frozenset[str]:
    return frozenset(s[:end] for s in _syllables() for end in range(1, len(s) + 1))


# A piece of a pinyin query: (letters, exact).  exact=True: a whole syllable
# the character must read as; False: the start of one (an initial, or the
# syllable still being typed).
Piece = tuple[str, bool]


def _under_their_items(hits: list[SearchHit]) -> list[SearchHit]:
    """Each item's 办理项 together, where the best of them ranked (a few dozen hits)."""
    by_task: dict[str, list[SearchHit]] = {}
    for hit in hits:
        by_task.setdefault(hit.task_code, []).append(hit)
    if len(by_task) == len(hits):
        return hits
    return [hit for family in by_task.values() for hit in family]


def pinyin_letters(query: str) -> str | None:
    """The query as lower-case pinyin letters, or None if it cannot be pinyin."""
    letters = "".join(query.split()).replace("'", "").lower()
    return letters if letters.isascii() and letters.isalpha() else None


def segmentations(letters: str, limit: int = MAX_SEGMENTATIONS) -> list[tuple[Piece, ...]]:
    """Ways to read typed letters as syllables and initials, most syllabic first.

    ``jiehun`` → (jie, hun) …; ``gtgsh`` → g t g s h; the last piece may be a
    syllable still being typed.  The all-initials reading, when there is one,
    is always kept.
    """
    syllables, prefixes = _syllables(), _syllable_prefixes()
    size = len(letters)

    def pieces_from(start: int) -> list[Piece]:
        options = []
        for end in range(size, start, -1):
            piece = letters[start:end]
            if end == size:
                if piece in prefixes:
                    options.append((piece, False))
            elif len(piece) == 1 or piece in ("zh", "ch", "sh"):
                if piece in prefixes:
                    options.append((piece, False))
            elif piece in syllables:
                options.append((piece, True))
        return options

    # can_finish[i]: the letters from i on can be read at all (prunes dead ends).
    can_finish = [False] * size + [True]
    options_at: list[list[Piece]] = [[] for _ in range(size)]
    for start in range(size - 1, -1, -1):
        options_at[start] = [p for p in pieces_from(start) if can_finish[start + len(p[0])]]
        can_finish[start] = bool(options_at[start])
    if not size or not can_finish[0]:
        return []

    found: list[tuple[Piece, ...]] = []

    def walk(start: int, pieces: list[Piece]) -> None:
        # Longest pieces are tried first, so the first readings found are the
        # most syllabic; a few dozen are plenty to rank.
        if len(found) >= 24:
            return
        if start == size:
            found.append(tuple(pieces))
            return
        for piece in options_at[start]:
            walk(start + len(piece[0]), pieces + [piece])

    walk(0, [])
    found.sort(key=len)
    chosen = found[:limit]
    if all(letter in prefixes for letter in letters):
        all_initials = tuple((letter, False) for letter in letters)
        if all_initials not in chosen:
            if len(chosen) >= limit:
                chosen.pop()
            chosen.append(all_initials)
    return chosen


SNAPSHOT_FORMAT = (5, sys.version_info[:2])  # marshal's format follows the Python version
# A pinyin prefix range this small is sorted into display order directly;
# a larger one is walked with find() over the display-ordered string instead.
SMALL_RANGE = 512
SUBSTRING_READINGS = 3


def _unmarshal(payload: bytes) -> Any:
    """What a stored snapshot holds, or None if unreadable or of another format."""
    try:
        stamp, stored = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return stored if stamp == SNAPSHOT_FORMAT else None


def parts_from_snapshot(payload: bytes) -> IndexParts | None:
    """The stored parts without their layout, or None if unreadable or outdated."""
    stored = _unmarshal(payload)
    if not isinstance(stored, dict):
        return None
    try:
        return IndexParts.from_stored(stored)
    except KeyError:  # a snapshot missing a part: rebuilt from the rows instead
        return None


def pending_to_snapshot(changes: dict[Key, Row | None]) -> bytes:
    return marshal.dumps((SNAPSHOT_FORMAT, changes))


def pending_from_snapshot(payload: bytes) -> dict[Key, Row | None] | None:
    """item key → new index row, or None for removed; None if unreadable."""
    return _unmarshal(payload)


def split_pending(changes: dict[Key, Row | None]) -> tuple[list[Row], list[Key]]:
    upserts = [row for row in changes.values() if row is not None]
    removed = [code for code, row in changes.items() if row is None]
    return upserts, removed


class CatalogIndex:
    """Search index over the catalog; see ``index_parts`` for its data.

    Items with the same name (one item implemented by many bodies) form a
    *group*; names, spellings and readings are stored once per group.
    """

    def __init__(self, parts: IndexParts):
        layout = parts.layout
        if layout is None:
            lay_out(parts)
            layout = parts.layout
        self._parts = parts
        # Bound once: attribute look-ups of the keystroke's inner loops stay local.
        self._items: list = parts.items
        self._group_members: list[list[int]] = parts.group_members
        self._readings: list[str] = parts.group_readings
        self._order: list[int] = parts.order
        self._rank: list[int] = layout.rank
        self._names: str = layout.names
        self._name_starts: list[int] = layout.name_starts
        self._spellings: str = layout.spellings
        self._spelling_starts: list[int] = layout.spelling_starts
        self._spelling_owner: list[int] = layout.spelling_owner
        self._owner_end: list[int] = layout.owner_end
        self._sorted_spellings: list[str] = parts.sorted_spellings
        self._sorted_owner: list[int] = parts.sorted_owner
        self._code_keys: list[str] = parts.code_keys
        self._code_text: tuple[str, list[int]] | None = None
        self.load_seconds = 0.0
        _syllable_prefixes()  # read the syllable table now, not on the first keystroke
        spoken_synonyms()  # and the applicants' words

    # -- building ---------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> CatalogIndex:
        return cls(build_parts(rows))

    def rows(self) -> list[Row]:
        """The rows this index holds, in display order."""
        return rows_of(self._parts)

    def patched(self, upserts: Iterable[Row], removed: Iterable[Key]) -> CatalogIndex:
        """This index with rows replaced/added by item key and others removed.

        Changes this index's data in place (the importer patches a copy it
        just read from the snapshot; indexes in use are never patched).
        """
        return CatalogIndex(patch_parts(self._parts, upserts, removed))

    def to_snapshot(self) -> bytes:
        # The joined strings and position tables are re-laid at load (a few
        # C-level passes), which keeps the stored snapshot a quarter smaller.
        return marshal.dumps((SNAPSHOT_FORMAT, self._parts.stored()))

    @classmethod
    def from_snapshot(cls, payload: bytes, pending: bytes | None = None) -> CatalogIndex | None:
        """The stored index, with the pending changes of recent deltas applied."""
        parts = parts_from_snapshot(payload)
        if parts is None:
            return None
        changes = pending_from_snapshot(pending) if pending else None
        if changes:
            upserts, removed = split_pending(changes)
            return cls(patch_parts(parts, upserts, removed))
        return cls(parts)  # laid out by the constructor

    @classmethod
    def patched_snapshot(cls, payload: bytes, upserts: Iterable[Row],
                         removed: Iterable[Key]) -> CatalogIndex | None:
        """The stored index with a delta applied (laid out once, after the patch)."""
        parts = parts_from_snapshot(payload)
        return None if parts is None else cls(patch_parts(parts, upserts, removed))

    @classmethod
    def load(cls, target: Any = None) -> CatalogIndex:
        """From the importer's snapshot; from the rows if there is none (no pypinyin).

        An index rebuilt from the rows (after another writer changed items, or
        a snapshot of an older format) is stored for the next start, unless the
        catalog changed meanwhile.
        """
        started = time.perf_counter()
        db = catalog_database(target)
        payload = read_search_snapshot(db)
        index = cls.from_snapshot(payload, read_search_snapshot(db, PENDING_CHANGES_KEY)) \
            if payload else None
        if index is None:
            with db.atomic():  # one read snapshot: the rows and the import stamp agree
                imported_at = catalog_imported_at(db)
                index = cls.from_rows(db.execute_sql(
                    f"SELECT {ROW_COLUMNS} FROM {ITEM_TABLE}").fetchall())
            store_rebuilt_snapshot(db, index.to_snapshot(), imported_at, payload)
        index.load_seconds = time.perf_counter() - started
        return index

    def __len__(self) -> int:
        return self._parts.live

    # -- searching --------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        text = unicodedata.normalize("NFKC", query).strip()
        if not text or limit <= 0:
            return []
        found: dict[int, str] = {}  # item ordinal → match kind; insertion order = rank
        groups: set[int] = set()  # groups already added whole
        code = "".join(text.split()).upper()
        if code.isascii() and code.isalnum():
            self._match_codes(code, found, limit)
        self._match_names(SEP + text, "name_prefix", found, groups, limit)
        letters = pinyin_letters(text)
        readings_by_needle: dict[str, list[tuple[Piece, ...]]] = {}
        for pieces in segmentations(letters) if letters else []:
            needle = "".join(piece[0] for piece, _ in pieces)
            readings_by_needle.setdefault(needle, []).append(pieces)
        for needle, readings in readings_by_needle.items():
            self._match_pinyin_prefix(needle, readings, found, groups, limit)
        self._match_names(text, "substring", found, groups, limit)
        # Each substring needle costs a pass over the spellings, so only the
        # likeliest readings are looked for inside names.
        for needle in list(readings_by_needle)[:SUBSTRING_READINGS]:
            if len(found) >= limit:
                break
            self._scan_spellings(needle, readings_by_needle[needle], "pinyin_substring",
                                 found, groups, limit)
        if code.isascii() and code.isalnum() and len(code) >= PARTIAL_CODE_MIN:
            self._match_code_parts(code, found, limit)
        self._match_synonyms(text, found, groups, limit)
        return _under_their_items([self._hit(ordinal, kind) for ordinal, kind in found.items()])

    def _match_synonyms(self, text: str, found: dict[int, str], groups: set[int],
                        limit: int) -> None:
        """"营业执照" finds 个体工商户设立登记: the applicant's word, the catalog's name."""
        for spoken, words in spoken_synonyms().items():
            if len(found) >= limit:
                return
            if spoken in text:
                # The item's own word alone: "办个体户营业执照" is nobody's item name.
                for word in words:
                    self._match_names(word, "synonym", found, groups, limit)

    def _match_code_parts(self, code: str, found: dict[int, str], limit: int) -> None:
        """A fragment from inside a code (the clerk reads part of a code off a form)."""
        if len(found) >= limit:
            return
        joined, starts = self._joined_codes()
        position = joined.find(code)
        while position != -1 and len(found) < limit:
            key = bisect_right(starts, position) - 1
            for item_id in holders_at(self._parts, key):
                if len(found) >= limit:
                    return
                found.setdefault(item_id, "code_part")
            next_key = key + 1
            if next_key >= len(starts):
                return
            position = joined.find(code, starts[next_key])

    def _joined_codes(self) -> tuple[str, list[int]]:
        # Built on the first fragment search (a few ms at 20,000 items), not at
        # load: start-up and the stored index stay as they are.
        if self._code_text is None:
            starts, offset = [], 0
            for key in self._code_keys:
                starts.append(offset)
                offset += len(key) + 1
            self._code_text = (SEP.join(self._code_keys), starts)
        return self._code_text

    def _hit(self, ordinal: int, kind: str) -> SearchHit:
        item = IndexItem._make(self._items[ordinal])
        return SearchHit(item.task_code, item.name, item.catalog_code, item.dept_name, kind,
                         MATCH_SCORES[kind], item.state, item.handle_code or None,
                         item.handle_name)

    def _add_group(self, group: int, kind: str, found: dict[int, str], groups: set[int],
                   limit: int) -> None:
        groups.add(group)
        for item_id in self._group_members[group]:
            if len(found) >= limit:
                return
            found.setdefault(item_id, kind)

    def _match_codes(self, code: str, found: dict[int, str], limit: int) -> None:
        keys = self._code_keys
        start = bisect_left(keys, code)
        if start < len(keys) and keys[start] == code:
            for item_id in holders_at(self._parts, start):
                if len(found) >= limit:
                    return
                found.setdefault(item_id, "code")
        # Code order within the tier: neighbouring codes belong together.
        for position in range(start, len(keys)):
            if len(found) >= limit or not keys[position].startswith(code):
                return
            for item_id in holders_at(self._parts, position):
                if len(found) >= limit:
                    return
                found.setdefault(item_id, "code_prefix")

    def _match_names(self, needle: str, kind: str, found: dict[int, str], groups: set[int],
                     limit: int) -> None:
        if len(found) >= limit:
            return
        haystack, starts = self._names, self._name_starts
        at_start = needle[0] == SEP
        position = haystack.find(needle)
        while position != -1 and len(found) < limit:
            # A prefix hit is the separator just before the name.
            place = bisect_right(starts, position + at_start) - 1
            group = self._order[place]
            if group not in groups:
                self._add_group(group, kind, found, groups, limit)
            next_start = starts[place + 1] if place + 1 < len(starts) else len(haystack)
            position = haystack.find(needle, next_start - 1 if at_start else next_start)

    def _match_pinyin_prefix(self, needle: str, readings: list[tuple[Piece, ...]],
                             found: dict[int, str], groups: set[int], limit: int) -> None:
        if len(found) >= limit:
            return
        low = bisect_left(self._sorted_spellings, needle)
        high = bisect_right(self._sorted_spellings, needle + "\x7f", low)
        if high == low:
            return
        if high - low <= SMALL_RANGE:
            for group in sorted(set(self._sorted_owner[low:high]), key=self._rank.__getitem__):
                if len(found) >= limit:
                    return
                if group not in groups and self._confirmed(group, 0, readings):
                    self._add_group(group, "pinyin_prefix", found, groups, limit)
            return
        self._scan_spellings(SEP + needle, readings, "pinyin_prefix", found, groups, limit)

    def _scan_spellings(self, needle: str, readings: list[tuple[Piece, ...]], kind: str,
                        found: dict[int, str], groups: set[int], limit: int) -> None:
        if len(found) >= limit:
            return
        haystack, starts, owner_end = self._spellings, self._spelling_starts, self._owner_end
        at_start = needle[0] == SEP
        position = haystack.find(needle)
        while position != -1 and len(found) < limit:
            spelling = bisect_right(starts, position + at_start) - 1
            group = self._spelling_owner[spelling]
            offset = 0 if at_start else position - starts[spelling]
            if group in groups:
                position = haystack.find(needle, owner_end[group] - 1)
            elif self._confirmed(group, offset, readings):
                self._add_group(group, kind, found, groups, limit)
                position = haystack.find(needle, owner_end[group] - 1)
            else:
                position = haystack.find(needle, position + 1)

    def _confirmed(self, group: int, offset: int, readings: list[tuple[Piece, ...]]) -> bool:
        """Whether the group's name reads as one of the query's readings at offset."""
        chars = None
        for pieces in readings:
            if all(len(letters) == 1 and not exact for letters, exact in pieces):
                return True  # plain initials: the spelling itself proves it
            if chars is None:
                chars = self._readings[group].split(" ")
            if offset + len(pieces) <= len(chars) and all(
                letters in chars[offset + i].split(",") if exact else
                any(option.startswith(letters) for option in chars[offset + i].split(","))
                for i, (letters, exact) in enumerate(pieces)
            ):
                return True
        return False
