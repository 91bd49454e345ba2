"""Text that shows what it says: names, numbers and codes without hidden characters.

A right-to-left override (U+202E) makes "张三\u202e321" print as something else on a
receipt; zero-width characters make two names that look alike differ; NUL and ESC
cut text short in other systems or drive the terminal that prints them.  So names,
numbers and codes refuse every control character (Unicode Cc), every formatting
character (Cf: bidi controls, zero-width space/joiners, BOM, soft hyphen …) and the
line/paragraph separators; longer free text (reasons, notes, guide text) may keep
line breaks and tabs.  Everything else stays: the middle dot of ethnic-minority
names (·, U+00B7), CJK Extension B and beyond (𠇔), private-use characters some
older systems use for rare names.

``visible(text)`` is for terminals: it writes those characters as ``\\u202e``
escapes, so a value can be shown without acting on the screen.
"""

from __future__ import annotations

import re
import unicodedata

# Caps by field (characters).  Names of people: the longest in use are some 30;
# organisation names and addresses: well under 100.
NAME_LIMIT = 100
ORGANISATION_NAME_LIMIT = 200
ADDRESS_LIMIT = 200
PHONE_LIMIT = 32
CODE_LIMIT = 64  # refs, material ids, codes (catalog codes are ≤ 50 by the format)
TEXT_LIMIT = 2000  # reasons, legal basis, notes

_LINE_BREAKS = "\n\r\t"

_NAMES = {
    "\u202a": "从左至右嵌入符", "\u202b": "从右至左嵌入符", "\u202c": "方向格式结束符",
    "\u202d": "从左至右强制符", "\u202e": "从右至左强制符", "\u2066": "从左至右隔离符",
    "\u2067": "从右至左隔离符", "\u2068": "方向隔离符", "\u2069": "隔离结束符",
    "\u200e": "从左至右标记", "\u200f": "从右至左标记", "\u061c": "阿拉伯字母标记",
    "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
    "\u2060": "零宽不换行符", "\ufeff": "零宽不换行空格（BOM）", "\u00ad": "软连字符",
    "\x00": "空字符（NUL）", "\x1b": "转义字符（ESC）", "\x7f": "删除符（DEL）",
    "\u2028": "行分隔符", "\u2029": "段分隔符",
}

# Every code point of categories Cc, Cf, Zl and Zp (Unicode 14, Python 3.11's
# tables; tests/test_plain_text.py checks this against unicodedata), for a quick
# pass over the common case: plain text has none of them at all.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def _unsafe(char: str, multiline: bool) -> bool:
    if multiline and char in _LINE_BREAKS:
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def describe(char: str) -> str:
    name = _NAMES.get(char) or unicodedata.name(char, "控制字符")
    return f"U+{ord(char):04X}（{name}）"


def hidden_character(text: str, multiline: bool = False) -> str | None:
    """The first control or formatting character of ``text``, described; None if clean."""
    if not _SUSPECT.search(text):
        return None
    for char in text:
        if _unsafe(char, multiline):
            return describe(char)
    return None


def text_problem(text: str, label: str, limit: int, multiline: bool = False) -> str | None:
    """Why ``text`` cannot stand in the field ``label`` (Chinese), or None."""
    if len(text) > limit:
        return f"{label}过长（{len(text)} 个字符，不超过 {limit} 个）"
    hidden = hidden_character(text, multiline)
    if hidden:
        return f"{label}含有不可见的控制或格式字符 {hidden}，请删除后重新输入"
    return None


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: controls and formatting characters as
    ``\\xNN``/``\\uNNNN`` escapes, everything else as it is."""
    text = str(text)
    if not _SUSPECT.search(text):
        return text
    out = []
    for char in text:
        if _unsafe(char, multiline=False):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def json_text_escaped(text: str) -> str:
    """JSON text (from ``json.dumps(ensure_ascii=False)``) with every hidden character
    written as a ``\\uXXXX`` escape.  json.dumps has escaped the C0 controls inside
    strings already; what is left raw (bidi, zero-width, C1) can only sit inside a
    string, where the escape means the same character.  Newlines outside strings are
    the indentation and stay."""
    if not _SUSPECT.search(text):
        return text
    out = []
    for char in text:
        if char != "\n" and _unsafe(char, multiline=False):
            code = ord(char)
            if code > 0xFFFF:  # JSON escapes beyond the BMP as a surrogate pair
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
