"""Search-as-you-type over the cached catalog, in memory.

Budget: p99 ≤ 5 ms per keystroke at 20,000 items, so nothing here loops over
the items per keystroke.  At load the items are put in *display order*
(active first, then shorter names, then by name) and laid out as:

- a dict of exact codes (task, catalog and handle-item codes);
- a sorted list of codes, searched for prefixes with ``bisect``;
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
"""

from __future__ import annotations

import time
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from app.catalog.importer import ITEM_TABLE, catalog_database
from app.catalog.pinyin_keys import decode_search_keys

SEP = "\x00"
MAX_SEGMENTATIONS = 8

MATCH_SCORES = {
    "code": 100,
    "code_prefix": 80,
    "name_prefix": 60,
    "pinyin_prefix": 40,
    "substring": 20,
    "pinyin_substring": 20,
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    task_code: str
    name: str
    catalog_code: str
    dept_name: str
    match_kind: str
    score: int
    state: str = "active"


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
        if len(found) >= 64:
            return
        if start == size:
            found.append(tuple(pieces))
            return
        for piece in options_at[start]:
            walk(start + len(piece[0]), pieces + [piece])

    walk(0, [])
    found.sort(key=len)
    chosen = found[:limit]
    if found[-1] not in chosen:
        chosen[-1] = found[-1]
    return chosen


class CatalogIndex:
    """Immutable search index; build a new one after each import."""

    def __init__(self, rows: list[tuple[str, str, str, str, str, str]]):
        """rows: (task_code, catalog_code, name, dept_name, state, search_keys)."""
        started = time.perf_counter()
        rows = sorted(rows, key=lambda r: (r[4] != "active", len(r[2]), r[2], r[0]))
        self._items = [(r[0], r[2], r[1], r[3], r[4]) for r in rows]
        self._exact: dict[str, list[int]] = {}
        codes: list[tuple[str, int]] = []
        name_starts: list[int] = []
        spelling_starts: list[int] = []
        spelling_owner: list[int] = []
        self._owner_end: list[int] = []
        self._readings: list[str] = []
        names: list[str] = []
        spellings: list[str] = []
        name_pos = spell_pos = 1  # both strings start with SEP
        for ordinal, (task_code, catalog_code, name, _dept, _state, keys) in enumerate(rows):
            initials, char_readings, handle_code = decode_search_keys(keys)
            for code in {task_code.upper(), catalog_code.upper(), handle_code.upper()}:
                if code:
                    self._exact.setdefault(code, []).append(ordinal)
                    codes.append((code, ordinal))
            names.append(name)
            name_starts.append(name_pos)
            name_pos += len(name) + 1
            for spelling in initials:
                spellings.append(spelling)
                spelling_starts.append(spell_pos)
                spelling_owner.append(ordinal)
                spell_pos += len(spelling) + 1
            self._owner_end.append(spell_pos)
            self._readings.append(char_readings)
        codes.sort()
        self._code_keys = [code for code, _ in codes]
        self._code_owner = [ordinal for _, ordinal in codes]
        self._names = SEP + SEP.join(names) + SEP
        self._name_starts = name_starts
        self._spellings = SEP + SEP.join(spellings) + SEP
        self._spelling_starts = spelling_starts
        self._spelling_owner = spelling_owner
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def load(cls, target: Any = None) -> CatalogIndex:
        """Build from the catalog database (no JSON parsing, no pypinyin)."""
        cursor = catalog_database(target).execute_sql(
            f"SELECT task_code, catalog_code, name, dept_name, state, search_keys "
            f"FROM {ITEM_TABLE}")
        return cls(cursor.fetchall())

    def __len__(self) -> int:
        return len(self._items)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        text = unicodedata.normalize("NFKC", query).strip()
        if not text or limit <= 0:
            return []
        found: dict[int, str] = {}  # ordinal → match kind; insertion order = rank
        code = "".join(text.split()).upper()
        if code.isascii() and code.isalnum():
            self._match_codes(code, found, limit)
        self._match_names(SEP + text, "name_prefix", found, limit)
        letters = pinyin_letters(text)
        readings = segmentations(letters) if letters else []
        for pieces in readings:
            self._match_pinyin(pieces, True, found, limit)
        self._match_names(text, "substring", found, limit)
        for pieces in readings:
            self._match_pinyin(pieces, False, found, limit)
        return [self._hit(ordinal, kind) for ordinal, kind in found.items()]

    def _hit(self, ordinal: int, kind: str) -> SearchHit:
        task_code, name, catalog_code, dept_name, state = self._items[ordinal]
        return SearchHit(task_code, name, catalog_code, dept_name, kind, MATCH_SCORES[kind],
                         state)

    def _match_codes(self, code: str, found: dict[int, str], limit: int) -> None:
        for ordinal in self._exact.get(code, ()):
            if len(found) >= limit:
                return
            found.setdefault(ordinal, "code")
        low = bisect_left(self._code_keys, code)
        high = bisect_right(self._code_keys, code + "\x7f", low)
        # Code order within the tier: neighbouring codes belong together.
        for ordinal in self._code_owner[low:high]:
            if len(found) >= limit:
                return
            found.setdefault(ordinal, "code_prefix")

    def _match_names(self, needle: str, kind: str, found: dict[int, str], limit: int) -> None:
        haystack, starts = self._names, self._name_starts
        position = haystack.find(needle)
        while position != -1 and len(found) < limit:
            ordinal = bisect_right(starts, position) - 1
            if needle[0] == SEP:
                ordinal += 1  # the hit is the separator just before the name
            found.setdefault(ordinal, kind)
            next_start = starts[ordinal + 1] if ordinal + 1 < len(starts) else len(haystack)
            position = haystack.find(needle, next_start - 1 if needle[0] == SEP else next_start)

    def _match_pinyin(self, pieces: tuple[Piece, ...], at_start: bool,
                      found: dict[int, str], limit: int) -> None:
        initials = "".join(letters[0] for letters, _ in pieces)
        needle = SEP + initials if at_start else initials
        kind = "pinyin_prefix" if at_start else "pinyin_substring"
        must_confirm = any(exact or len(letters) > 1 for letters, exact in pieces)
        haystack, starts = self._spellings, self._spelling_starts
        position = haystack.find(needle)
        while position != -1 and len(found) < limit:
            spelling = bisect_right(starts, position + (1 if at_start else 0)) - 1
            owner = self._spelling_owner[spelling]
            if owner in found:
                position = haystack.find(needle, self._owner_end[owner] - 1)
                continue
            offset = 0 if at_start else position - starts[spelling]
            if not must_confirm or self._readings_match(owner, offset, pieces):
                found[owner] = kind
                position = haystack.find(needle, self._owner_end[owner] - 1)
            else:
                position = haystack.find(needle, position + 1)

    def _readings_match(self, ordinal: int, offset: int, pieces: tuple[Piece, ...]) -> bool:
        chars = self._readings[ordinal].split(" ")
        if offset + len(pieces) > len(chars):
            return False
        for index, (letters, exact) in enumerate(pieces):
            options = chars[offset + index].split(",")
            if exact:
                if letters not in options:
                    return False
            elif not any(option.startswith(letters) for option in options):
                return False
        return True
