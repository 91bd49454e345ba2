"""CJK fonts for printed documents: found at run time, embedded subsetted.

reportlab embeds only TrueType-outline fonts (``glyf``); the Noto CJK
collections Debian ships are CFF-based and cannot be used, so the main font
is the first TrueType CJK font fontconfig knows (WenQuanYi Zen Hei on Debian).
Applicants' names may hold characters the main font lacks (CJK Extension B,
e.g. 𠇔): such characters are printed in a fallback font that fontconfig
reports as covering them (HanaMin from fonts-hanazono on Debian), switched
per character run, so the name prints instead of a blank box.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

MAIN_FONT = "OneWindowCJK"
# Families tried first, in order; any other TrueType CJK font comes after.
PREFERRED_FAMILIES = (
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
)
# Where fontconfig is missing (Windows): TrueType CJK files by name, best first.
KNOWN_MAIN_FILES = ("simsun.ttc", "simhei.ttf", "msyh.ttc", "wqy-zenhei.ttc", "uming.ttc",
                    "DroidSansFallbackFull.ttf")
KNOWN_EXTENSION_B_FILES = ("simsunb.ttf", "SimSun-ExtB.ttf", "mingliub.ttc", "HanaMinA.ttf",
                           "HanaMinB.ttf")
# A rare-name probe: doctor reports whether it can be printed.
EXTENSION_B_PROBE = "\U000201d4"  # 𠇔


class FontError(RuntimeError):
    """No usable CJK font: printing cannot produce readable documents."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int
    family: str


def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None


def _fc_list(pattern: str) -> list[FontFile]:
    result = subprocess.run(
        ["fc-list", pattern, "file", "index", "family"],
        capture_output=True, text=True, timeout=20, check=False,
    )
    fonts = []
    for line in result.stdout.splitlines():
        # "path: family,alias:index=0" — fields in fontconfig's own order.
        match = re.match(r"^(?P<path>[^:]+):\s*(?P<rest>.*)$", line)
        if not match:
            continue
        rest = match["rest"]
        index = re.search(r"index=(\d+)", rest)
        family = re.sub(r":?index=\d+", "", rest).split(",")[0].strip()
        # Symlinks (Debian's alternatives) would otherwise load one file twice.
        path = os.path.realpath(match["path"])
        fonts.append(FontFile(path, int(index[1]) if index else 0, family))
    return sorted(set(fonts), key=lambda f: (f.path, f.index))


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts"]


def _known_files(names: tuple[str, ...]) -> list[FontFile]:
    """Without fontconfig (Windows, a bare macOS): well-known files, in ``names`` order."""
    found: dict[str, str] = {}
    wanted = {name.lower() for name in names}
    for directory in _font_dirs():
        for root, _dirs, files in os.walk(directory):
            for file in files:
                if file.lower() in wanted and file.lower() not in found:
                    found[file.lower()] = os.path.realpath(os.path.join(root, file))
    return [FontFile(found[name.lower()], 0, Path(name).stem) for name in names
            if name.lower() in found]


def _load(font: FontFile, name: str) -> TTFont | None:
    try:
        loaded = TTFont(name, font.path, subfontIndex=font.index)
    except (TTFError, OSError) as exc:
        # CFF-outline OpenType files land here: reportlab cannot embed them.
        log.debug("font %s#%d not usable: %s", font.path, font.index, exc)
        return None
    _slice_glyf_in_place(loaded)
    return loaded


class _TableSlices:
    """A font table that is only ever sliced: each slice copies just its glyph."""

    __slots__ = ("_data", "_start", "_length")

    def __init__(self, data: bytes, start: int, length: int):
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(self._length)
        if step != 1:
            raise TypeError("glyf table slices are contiguous")
        return self._data[self._start + start:self._start + stop]


def _slice_glyf_in_place(font: TTFont) -> None:
    """Stop reportlab copying the whole glyf table for every subset it embeds.

    ``makeSubset`` fetches ``get_table('glyf')`` — 10 MB for WenQuanYi, more
    for HanaMin — once per 256-glyph subset, only to slice single glyphs out
    of it: that copying was half the time of a receipt.  Where reportlab's
    internals differ from what this expects, nothing is changed.
    """
    face = font.face
    data = getattr(face, "_ttf_data", None)
    if not isinstance(data, bytes) or not hasattr(face, "get_table_pos"):
        return
    whole_table = face.get_table

    def get_table(tag):
        if tag == "glyf":
            pos, length = face.get_table_pos(tag)
            return _TableSlices(data, pos, length)
        return whole_table(tag)

    face.get_table = get_table


def _ranked_main_candidates() -> list[FontFile]:
    if not fontconfig_available():
        return _known_files(KNOWN_MAIN_FILES)
    candidates = _fc_list(":lang=zh-cn:fontformat=TrueType")

    def rank(font: FontFile) -> tuple[int, str]:
        try:
            return (PREFERRED_FAMILIES.index(font.family), font.path)
        except ValueError:
            return (len(PREFERRED_FAMILIES), font.path)

    return sorted(candidates, key=rank)


class FontSet:
    """The main font plus fallbacks found on demand, per missing character."""

    def __init__(self, main_name: str = MAIN_FONT, fallback_prefix: str = "OneWindowFallback"):
        # Registered font names are global in reportlab; a second set needs its own.
        self.main_name = main_name
        self.fallback_prefix = fallback_prefix
        self._lock = threading.Lock()
        self.main_file: FontFile | None = None
        self._main: TTFont | None = None
        self._fallback_by_char: dict[str, str | None] = {}
        self._fallback_fonts: dict[FontFile, TTFont | None] = {}
        self.fallback_files: dict[str, FontFile] = {}

    def ensure_main(self) -> str:
        with self._lock:
            if self._main is None:
                for candidate in _ranked_main_candidates():
                    font = _load(candidate, self.main_name)
                    if font is not None:
                        pdfmetrics.registerFont(font)
                        self._main, self.main_file = font, candidate
                        break
                else:
                    raise FontError(
                        "没有可嵌入的中文 TrueType 字体，请安装 fonts-wqy-zenhei"
                        "（Windows：宋体 simsun.ttc）/ no embeddable TrueType CJK font found"
                    )
        return self.main_name

    def covers(self, char: str) -> bool:
        self.ensure_main()
        return ord(char) in self._main.face.charToGlyph

    def font_for(self, char: str) -> str:
        """Registered font name that has a glyph for ``char``."""
        if self.covers(char) or char.isspace():
            return self.main_name
        with self._lock:
            if char not in self._fallback_by_char:
                self._fallback_by_char[char] = self._find_fallback(char)
            name = self._fallback_by_char[char]
        if name is None:
            log.warning("no installed font has U+%04X; it prints as a box", ord(char))
            return self.main_name
        return name

    def _find_fallback(self, char: str) -> str | None:
        code = ord(char)
        # Fonts already loaded first: one rare name often has several rare characters.
        for font in self._fallback_fonts.values():
            if font is not None and code in font.face.charToGlyph:
                return font.fontName
        candidates = (_fc_list(f":charset={code:x}:fontformat=TrueType")
                      if fontconfig_available()
                      else _known_files(KNOWN_EXTENSION_B_FILES + KNOWN_MAIN_FILES))
        for candidate in candidates:
            if candidate in self._fallback_fonts or candidate == self.main_file:
                continue
            name = f"{self.fallback_prefix}{len(self._fallback_fonts)}"
            font = _load(candidate, name)
            self._fallback_fonts[candidate] = font
            if font is not None:
                # Registered as soon as loaded: a later character may need it.
                pdfmetrics.registerFont(font)
                self.fallback_files[name] = candidate
                if code in font.face.charToGlyph:
                    return name
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, run) pieces with a glyph for every char."""
        pieces: list[tuple[str, str]] = []
        for char in text:
            name = self.font_for(char)
            if pieces and pieces[-1][0] == name:
                pieces[-1] = (name, pieces[-1][1] + char)
            else:
                pieces.append((name, char))
        return pieces

    def markup(self, text: str) -> str:
        """Escaped Paragraph markup with ``<font>`` tags around fallback runs."""
        out = []
        for name, run in self.runs(text):
            run = escape(run)
            out.append(run if name == self.main_name else f'<font face="{name}">{run}</font>')
        return "".join(out)


FONTS = FontSet()


def warm_up() -> None:
    """Find and parse the fonts now (≈0.5 s, once per process), e.g. in the
    background at start-up, so the first receipt meets its 100 ms budget."""
    FONTS.ensure_main()
    FONTS.font_for(EXTENSION_B_PROBE)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap with UTF-16 surrogate pairs beyond the BMP.

    reportlab 5.1 writes ``<%04X>`` for every code point, so U+201D4 becomes
    the five-digit ``<201D4>`` and text extraction (pdftotext, copy-paste,
    screen readers) yields U+201D instead of 𠇔.  The PDF spec wants UTF-16BE.
    """

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


# TTFont.addObjects looks the helper up as a module global at call time.
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def font_report() -> dict:
    """What `onewindow doctor` shows: the fonts printing will use, or why not.

    Keys: ok, detail (one line), fix (a command, when not ok), main, extension_b.
    """
    report: dict = {"ok": False, "detail": "", "fix": "", "main": None, "extension_b": None}
    try:
        FONTS.ensure_main()
    except FontError as exc:
        report["detail"] = str(exc)
        report["fix"] = "sudo apt-get install fonts-wqy-zenhei"
        return report
    main = FONTS.main_file
    report["main"] = f"{main.family} ({Path(main.path).name}#{main.index})"
    name = FONTS.font_for(EXTENSION_B_PROBE)
    if name == MAIN_FONT and not FONTS.covers(EXTENSION_B_PROBE):
        report["detail"] = (
            f"主字体 {report['main']}；没有字体含扩展B区汉字（如 𠇔），生僻字姓名将印成方框"
        )
        report["fix"] = "sudo apt-get install fonts-hanazono"
        return report
    fallback = FONTS.fallback_files.get(name, main)
    report["extension_b"] = f"{fallback.family} ({Path(fallback.path).name}#{fallback.index})"
    report["detail"] = f"主字体 {report['main']}，生僻字后备字体 {report['extension_b']}"
    report["ok"] = True
    return report
