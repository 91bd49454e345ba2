"""Pinyin search keys for item names: initials and full pinyin, every reading.

Clerks type ``gtgsh`` for 个体工商户 and ``jiehun`` for 结婚; a polyphonic
character (行 xing/hang, 长 chang/zhang) must match under each of its readings,
so the keys come from pypinyin's per-character table rather than its phrase
guesser (which picks one reading, and is ~50x slower per name).

Only initials are spelled out per item: a name with several polyphonic
characters has a product of spellings, so we list the most common spelling
first, then every spelling that changes one character, then two, … up to
``MAX_SPELLINGS``, so every single alternative reading is findable and the key
set stays small.  Full pinyin is matched by splitting the query into
syllables, finding their initials, then confirming each syllable against the
character's readings (kept per item, see ``encode_search_keys``).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import combinations, product

from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

MAX_SPELLINGS = 16


@cache
def readings(char: str) -> tuple[str, ...]:
    """Toneless readings of one character, most common first; () for punctuation."""
    raw = pinyin_dict.get(ord(char))
    if raw:
        return tuple(dict.fromkeys(to_normal(reading) for reading in raw.split(",")))
    if char.isascii() and char.isalnum():
        return (char.lower(),)
    return ()


def _spellings(options: list[tuple[str, ...]], limit: int) -> list[str]:
    """Joined spellings, fewest deviations from the first reading first."""
    default = [choices[0] for choices in options]
    found = ["".join(default)]
    variable = [pos for pos, choices in enumerate(options) if len(choices) > 1]
    for deviations in range(1, len(variable) + 1):
        for positions in combinations(variable, deviations):
            alternatives = [options[pos][1:] for pos in positions]
            for picked in product(*alternatives):
                spelling = list(default)
                for pos, reading in zip(positions, picked, strict=True):
                    spelling[pos] = reading
                found.append("".join(spelling))
                if len(found) >= limit:
                    return found
    return found


def name_readings(name: str) -> list[tuple[str, ...]]:
    """Readings of each pronounceable character of a name (punctuation dropped)."""
    per_char = [readings(char) for char in unicodedata.normalize("NFKC", name)]
    return [choices for choices in per_char if choices]


def initials_spellings(per_char: list[tuple[str, ...]], limit: int = MAX_SPELLINGS) -> list[str]:
    if not per_char:
        return []
    initials = [tuple(dict.fromkeys(reading[0] for reading in choices)) for choices in per_char]
    return _spellings(initials, limit)


def name_keys(name: str) -> str:
    """The name's part of the search keys: initials spellings TAB readings."""
    per_char = name_readings(name)
    return (" ".join(initials_spellings(per_char)) + "\t"
            + " ".join(",".join(choices) for choices in per_char))


def encode_search_keys(name: str, handle_item_code: str | None,
                       known: dict[str, str] | None = None) -> str:
    """The ``CatalogItem.search_keys`` text, so start-up never runs pypinyin.

    Three TAB-separated parts: the initials spellings (space-separated); the
    readings of each pronounceable character (space between characters, comma
    between readings), used to confirm a full-pinyin match; the handle-item code.
    ``known`` caches the name part: one item is often implemented by many bodies.
    """
    if known is None:
        head = name_keys(name)
    else:
        head = known.get(name)
        if head is None:
            head = known[name] = name_keys(name)
    return head + "\t" + (handle_item_code or "")


def decode_search_keys(text: str) -> tuple[list[str], str, str]:
    """(initials spellings, raw per-character readings, handle-item code)."""
    initials, char_readings, extra_code = (text.split("\t") + ["", "", ""])[:3]
    return initials.split(), char_readings, extra_code
