"""PostgreSQL under the hall's storage, for a district (``--database postgresql://…``).

The hall's SQL is written once, in the dialect SQLite and PostgreSQL share;
``translate`` rewrites the few SQLite spellings it still uses (``?``
placeholders, ``INSERT OR IGNORE``, ``GROUP_CONCAT``, the column ``user``,
which PostgreSQL reserves, and the column types of ``CREATE TABLE``) so that no
module carries two versions of a statement.  ``PgConnection`` offers the part
of ``sqlite3.Connection`` the hall uses: ``execute``/``executemany`` returning
rows readable by name and by position, ``in_transaction``.  It runs in
autocommit mode; ``HallDatabase`` issues BEGIN/COMMIT itself, as it does for
SQLite.

Sequences that clients follow by cursor (status updates, online applications)
take a table lock while a row is appended (``lock_sequence``): with several
worker processes, a row numbered later must never commit before one numbered
earlier, or a client that already moved its cursor past it would miss it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_USER = re.compile(r'(?<!["\w])user(?!["\w])')
_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\(", re.IGNORECASE)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The PostgreSQL spelling of one of the hall's SQLite statements."""
    text = sql.replace("%", "%%").replace("?", "%s")
    text = _USER.sub('"user"', text)
    text = _GROUP_CONCAT.sub("string_agg(", text)
    if _INSERT_OR_IGNORE.match(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text).rstrip().rstrip(";")
        text += " ON CONFLICT DO NOTHING"
    if text.lstrip().upper().startswith("CREATE TABLE"):
        text = (text.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
                .replace(" REAL", " DOUBLE PRECISION").replace(" INTEGER", " BIGINT"))
    return text


class PgRow(tuple):
    """A result row readable as ``row[0]`` and ``row["name"]``, and ``dict(row)``."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self):
        return list(self._index)


def _row_factory(cursor):
    names = [column.name for column in cursor.description or ()]
    row_class = type("Row", (PgRow,), {"_index": {n: i for i, n in enumerate(names)},
                                        "__slots__": ()})
    return lambda values: row_class(values)


class PgCursor:
    def __init__(self, cursor):
        self._cursor = cursor

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self):
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


class PgConnection:
    engine = "postgresql"

    def __init__(self, url: str):
        import psycopg

        self._conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)

    def execute(self, sql: str, params=()) -> PgCursor:
        cursor = self._conn.cursor()
        cursor.execute(translate(sql), tuple(params))
        return PgCursor(cursor)

    def executemany(self, sql: str, seq_of_params) -> PgCursor:
        cursor = self._conn.cursor()
        rows = [tuple(p) for p in seq_of_params]
        if rows:
            cursor.executemany(translate(sql), rows)
        return PgCursor(cursor)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def lock_sequence(self, table: str) -> None:
        # EXCLUSIVE: readers go on, a second appender waits for this commit.
        self._conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")

    def close(self) -> None:
        self._conn.close()
