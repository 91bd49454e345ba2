"""The one place SQLite connections are made.

Two databases:
- the *case* database (cases, outbox, print log…): WAL + synchronous=FULL,
  because a lost case is a legal problem;
- the *catalog* cache: synchronous=NORMAL, it can always be re-downloaded.

Models bind to the proxies below; ``open_case_db``/``open_catalog_db`` bind
them to a real file at start-up (tests bind a temp file per test).

Encryption at rest (issue 12): the case database is a SQLCipher file
(``sqlcipher3``), opened with a *raw* 256-bit key (``PRAGMA key = "x'…'"``,
derived from the station's data key, ``local_store.keys``): SQLCipher uses it
as the AES-256 key directly, so no PBKDF2 runs at open (a passphrase would
cost 256,000 iterations, ~0.16 s, at every connection).  Pages are AES-256-CBC
with an HMAC-SHA512 each (SQLCipher 4 defaults).  A plaintext case database
of an older version is converted on the first open with a key
(``encrypt_plaintext_database``): a new file is written beside it, checked,
fsynced and renamed over the old one, so a crash at any point leaves one
usable database.  The catalog cache stays plain SQLite: it holds the public
service catalog, no personal data, and is re-downloadable.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase

from local_store.keys import StationKeys, WrongKey

case_db = DatabaseProxy()
catalog_db = DatabaseProxy()

# FTS5 trigram LIKE returns nothing up to 3.40.1; JSON functions need ≥ 3.38.
MINIMUM_SQLITE = (3, 35, 0)

CASE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
    # Deleted and overwritten personal data (discarded drafts, retention's
    # purge) is zeroed in the file, not left in free space.  Debian's SQLite
    # does this by default, python.org's Windows build does not.
    "secure_delete": 1,
}
CATALOG_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
}


class SqliteTooOld(RuntimeError):
    pass


def sqlite_version() -> tuple[int, ...]:
    return sqlite3.sqlite_version_info


def check_sqlite_version() -> str:
    """Raise with a fix-it message when the linked SQLite is too old."""
    if sqlite_version() < MINIMUM_SQLITE:
        need = ".".join(map(str, MINIMUM_SQLITE))
        raise SqliteTooOld(
            f"SQLite {sqlite3.sqlite_version} 过旧，需要 {need} 或更新版本 "
            f"(SQLite {sqlite3.sqlite_version} is too old; {need}+ required)"
        )
    return sqlite3.sqlite_version


def _open(path: Path, pragmas: dict) -> SqliteDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: peewee keeps one connection per thread anyway;
    # the flag only lets a connection be closed from another thread at exit.
    return SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)


SQLITE_HEADER = b"SQLite format 3\x00"


def is_plaintext(path: Path) -> bool:
    """True when ``path`` is a plain SQLite file (its header readable)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _cipher():
    from sqlcipher3 import dbapi2  # noqa: PLC0415 - only where a key is used

    return dbapi2


def _encrypted_database_class():
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    return SqlCipherDatabase


def _open_encrypted(path: Path, keys: StationKeys, pragmas: dict) -> SqliteDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    # peewee's SQLCipher binding runs ``PRAGMA key='…'`` first on every new
    # connection, then the pragmas; a raw key in x'…' form skips PBKDF2.
    db = _encrypted_database_class()(str(path), passphrase=keys.sqlcipher_pragma_key(),
                                     pragmas=pragmas, check_same_thread=False)
    try:
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # noqa: BLE001 - SQLCipher says "file is not a database"
        db.close()
        if "not a database" in str(exc):
            raise WrongKey(f"案件数据库无法用本工位的密钥打开：{path}（{exc}）") from exc
        raise
    return db


def open_case_db(path: Path, keys: StationKeys | None = None) -> SqliteDatabase:
    """The case database, encrypted with ``keys`` (a plaintext one is converted first).

    Without ``keys`` only a plain database can be opened (tests of the old
    format, tools that make one): the store itself always passes keys."""
    check_sqlite_version()
    if keys is None:
        db = _open(path, CASE_PRAGMAS)
    else:
        if is_plaintext(path):
            encrypt_plaintext_database(path, keys)
        db = _open_encrypted(path, keys, CASE_PRAGMAS)
    case_db.initialize(db)
    return db


ENCRYPTING_SUFFIX = ".encrypting"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encrypt_plaintext_database(path: Path, keys: StationKeys) -> None:
    """Convert the plain SQLite file ``path`` into a SQLCipher file with ``keys``.

    Crash-safe: everything is written to ``<name>.encrypting`` beside it,
    checked (``integrity_check``), fsynced, and only then renamed over the
    original.  Killed before the rename, the plaintext original is untouched
    and the half-written copy is thrown away at the next attempt; after it,
    the encrypted file is complete.  The plaintext write-ahead log is folded
    into the file and emptied first, so no log of the old file can ever be
    replayed into the new one.  Copies the schema migrations left beside the
    database (``*.vN.bak``) are plaintext personal data too: removed after."""
    path = Path(path)
    target = path.with_name(path.name + ENCRYPTING_SUFFIX)
    for leftover in (target, Path(f"{target}-journal"), Path(f"{target}-wal")):
        leftover.unlink(missing_ok=True)
    cipher = _cipher()
    plain = cipher.connect(str(path), isolation_level=None)
    try:
        plain.execute("PRAGMA busy_timeout = 10000")
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        key = keys.sqlcipher_pragma_key().replace("'", "''")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY '{key}'", (str(target),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
        # Back to a rollback journal: nothing of the plain file may linger in a log.
        plain.execute("PRAGMA journal_mode = DELETE")
    finally:
        plain.close()
    check = cipher.connect(str(target), isolation_level=None)
    try:
        check.execute(f"PRAGMA key = '{key}'")
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        target.unlink(missing_ok=True)
        raise RuntimeError(f"加密后的案件数据库校验失败（{verdict}），原数据库未改动：{path}")
    if os.name == "posix":
        os.chmod(target, 0o600)
    _fsync(target)
    plain_log = Path(f"{path}-wal")
    if plain_log.exists() and plain_log.stat().st_size:
        # Another process still has the plain database open: try again later.
        target.unlink(missing_ok=True)
        raise RuntimeError(f"数据库日志未能清空（另有程序在使用），暂不加密：{plain_log}")
    os.replace(target, path)
    if os.name == "posix":
        _fsync(path.parent)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    for backup in path.parent.glob(f"{path.name}.v*.bak"):
        if is_plaintext(backup):
            backup.unlink()


def open_catalog_db(path: Path) -> SqliteDatabase:
    check_sqlite_version()
    db = _open(path, CATALOG_PRAGMAS)
    catalog_db.initialize(db)
    return db


def integrity_check(db: SqliteDatabase) -> str:
    return db.execute_sql("PRAGMA integrity_check").fetchone()[0]
