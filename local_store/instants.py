"""Points in time: how OneWindow stores, shows and sends them.  One convention.

**Stored: UTC.**  Every ``DateTimeField`` of the case database and of the
catalog cache holds a UTC instant as *naive* text, ``YYYY-MM-DD HH:MM:SS[.ffffff]``
(peewee's own format, so values sort and compare as text and the time indexes
work).  In Python a value read from a model is a naive ``datetime`` that means
UTC; ``utcnow()`` makes such values.  Model fields are ``UTCDateTimeField``:
an *aware* value handed to one is converted to UTC before it is written, so an
offset never reaches the file and no column ever mixes zones.

**Shown and printed: the station's zone.**  The station has a time zone
(``Settings.time_zone``, default ``Asia/Shanghai``), used for every display,
printout, working-day and midnight rule — whatever the operating system's
zone is.  ``to_station`` turns a stored instant into station wall time.

**Calendar days are station days.**  The case-number date, deadlines, report
days and "today" come from ``station_date``/``station_today``; a day's bounds
as stored instants come from ``day_bounds_utc``.

**On the wire: ISO 8601 with an offset.**  ``to_wire`` gives
``2026-11-20T09:00:00+08:00`` (the station's offset); ``from_wire`` accepts
any offset or ``Z`` and refuses text without one.

**Wall-clock text without an offset** (a batch file's 收件时间, a date typed at
the window, an injected test clock) is station wall time: ``from_station_wall``.

Rows written before schema step 0004 kept some of these columns in the
operating system's local time; that step moved them to UTC on the assumption
that the station ran in ``Asia/Shanghai`` (UTC+8, no daylight saving since
1991) — see ``local_store/schema/0004_times_in_utc.sql``.

The station zone is a process-wide fact: ``app.settings.load_settings`` sets it
with ``set_station_zone``; code below ``app`` (sync, printing) reads it from
here and never imports the settings.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import DateTimeField

DEFAULT_ZONE = "Asia/Shanghai"


class UnknownTimeZone(ValueError):
    """A zone name the time-zone database does not know (message in Chinese)."""


def zone_named(name: str) -> ZoneInfo:
    """The zone called ``name``; the ``tzdata`` package supplies the data on Windows."""
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(
            f"未知的时区“{name}”，请填写 IANA 时区名，如 Asia/Shanghai"
        ) from exc


_station_zone: ZoneInfo = zone_named(DEFAULT_ZONE)


def set_station_zone(name: str | ZoneInfo) -> ZoneInfo:
    global _station_zone
    _station_zone = name if isinstance(name, ZoneInfo) else zone_named(name)
    return _station_zone


def station_zone() -> ZoneInfo:
    return _station_zone


def utcnow() -> dt.datetime:
    """Now, as stored: naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_stored(value: dt.datetime) -> dt.datetime:
    """An instant in the stored form (naive UTC); a naive value is already UTC."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def from_station_wall(value: dt.datetime, zone: ZoneInfo | None = None) -> dt.datetime:
    """Stored form of a time that may lack an offset; naive means station wall time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or _station_zone)
    return as_stored(value)


def to_station(value: dt.datetime, zone: ZoneInfo | None = None) -> dt.datetime:
    """A stored instant (naive UTC, or aware) as aware station wall time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone or _station_zone)


def station_now(zone: ZoneInfo | None = None) -> dt.datetime:
    return dt.datetime.now(zone or _station_zone)


def station_today(zone: ZoneInfo | None = None) -> dt.date:
    return station_now(zone).date()


def station_date(value: dt.datetime, zone: ZoneInfo | None = None) -> dt.date:
    """The station's calendar day of a stored instant."""
    return to_station(value, zone).date()


def day_bounds_utc(first: dt.date, last: dt.date | None = None,
                   zone: ZoneInfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Stored instants [since, until) covering station days ``first`` to ``last``."""
    zone = zone or _station_zone
    last = first if last is None else last
    since = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return as_stored(since), as_stored(until)


def to_wire(value: dt.datetime | None, zone: ZoneInfo | None = None) -> str | None:
    """ISO 8601 with the station's offset, to the second: ``2026-11-20T09:00:00+08:00``."""
    if value is None:
        return None
    return to_station(value, zone).isoformat(timespec="seconds")


class NoOffset(ValueError):
    pass


def from_wire(text: str) -> dt.datetime:
    """Stored form of an ISO 8601 instant from the wire; it must carry an offset."""
    value = dt.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise NoOffset(f"时间“{text}”缺少时区偏移（应如 2026-11-20T09:00:00+08:00）")
    return as_stored(value)


class UTCDateTimeField(DateTimeField):
    """A stored instant: naive UTC text; aware values are converted on the way in."""

    def db_value(self, value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = as_stored(value)
        return super().db_value(value)
