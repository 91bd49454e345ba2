"""Case numbers (办件编号), generated offline and unique across the province.

Default layout ``{region 6}{station 3}{yyyymmdd}{seq 5}{check 1}``; the part
before the check character comes from ``Settings.case_number_pattern``.

Check character: ISO 7064 MOD 37,36 (``stdnum.iso7064.mod_37_36``).  Chosen
over the purely numeric MOD 11,10 because a province may configure a pattern
with letters (station codes like ``A01``) and MOD 37,36 protects any
alphanumeric body; it catches every single-character error and nearly every
adjacent transposition, and it is the same scheme the national e-certificate
identifier uses, so one check family serves the whole product.

The per-station daily sequence lives in ``CaseNumberSequence`` and is bumped by
``next_case_number`` *inside the caller's writer transaction*: if the case
commit rolls back, so does the increment (no number consumed); once committed,
the counter is on disk with the case and is never handed out again, across
restarts and crashes.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from stdnum.iso7064 import mod_37_36

from local_store.models import Case, CaseNumberSequence

CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATTERN_FIELDS = {"region", "station", "date", "seq"}


class CaseNumberError(ValueError):
    """The configured pattern cannot produce a valid number (message in Chinese)."""


def _seq_capacity(pattern: str) -> int:
    """Largest sequence the pattern can print at its fixed width ({seq:05d} → 99999)."""
    fields = {}
    for _literal, name, spec, _conv in string.Formatter().parse(pattern):
        if name is not None:
            fields[name] = spec or ""
    unknown = set(fields) - PATTERN_FIELDS
    if unknown:
        raise CaseNumberError(f"办件编号格式含未知字段：{'、'.join(sorted(unknown))}")
    if "seq" not in fields or "date" not in fields:
        raise CaseNumberError("办件编号格式必须包含 {date} 和 {seq}")
    width = re.fullmatch(r"0?(\d+)d", fields["seq"])
    return 10 ** int(width.group(1)) - 1 if width else 10**9


def format_case_number(pattern: str, region: str, station: str, day: dt.date, seq: int) -> str:
    """Body from the pattern plus its ISO 7064 MOD 37,36 check character."""
    if seq > _seq_capacity(pattern):
        raise CaseNumberError(f"{day:%Y-%m-%d} 本工位办件编号已用尽（序号 {seq} 超出格式宽度）")
    body = pattern.format(region=region, station=station, date=f"{day:%Y%m%d}", seq=seq)
    body = body.upper()
    if not body or any(ch not in CHECK_ALPHABET for ch in body):
        raise CaseNumberError(f"办件编号只能由数字和大写字母组成：{body!r}")
    return body + mod_37_36.calc_check_digit(body)


def station_key(region: str, station: str) -> str:
    """Sequences are per region+station so two districts never share a counter."""
    return f"{region}{station}"


def next_case_number(settings, day: dt.date) -> str:
    """Reserve the next number for ``day`` — call inside the case's writer unit.

    Numbers already present in ``Case`` are skipped, so even a sequence row
    restored from an old backup cannot hand out a number twice.
    """
    key = station_key(settings.region_code, settings.station_code)
    day_text = f"{day:%Y%m%d}"
    CaseNumberSequence.insert(station=key, day=day_text, last_seq=0).on_conflict_ignore().execute()
    row = CaseNumberSequence.get(
        (CaseNumberSequence.station == key) & (CaseNumberSequence.day == day_text)
    )
    seq = row.last_seq
    while True:
        seq += 1
        number = format_case_number(
            settings.case_number_pattern, settings.region_code, settings.station_code, day, seq
        )
        if not Case.select().where(Case.number == number).exists():
            break
    CaseNumberSequence.update(last_seq=seq).where(CaseNumberSequence.id == row.id).execute()
    return number


def verify_case_number(number: str | None) -> bool:
    """True when the check character matches (catches typing errors)."""
    text = (number or "").strip().upper()
    if len(text) < 2 or any(ch not in CHECK_ALPHABET for ch in text):
        return False
    return mod_37_36.is_valid(text)
