"""The hall's schema, step by step, for SQLite and PostgreSQL alike.

Each step has a number, a name and what it does; the steps run in order, each in
a transaction of its own that also records it in ``hall_migrations`` (number,
name, when), so a database says which steps it has and an interrupted upgrade
resumes at the first step missing.  A step is frozen once released: a schema
change is a new step at the end, never an edit of an old one (the SQL text of
each step is kept here, not taken from the modules that use the tables).

Several worker processes may start on one database at once: on PostgreSQL every
step's transaction first takes an advisory lock and then looks again at what is
recorded, so each step runs once; on SQLite the write transaction (``BEGIN
IMMEDIATE``) does the same.  The SQL is the hall's one dialect (SQLite's),
translated for PostgreSQL by ``central_hall.pg``; where the engines differ a step
says so.

Databases made before steps were recorded said their version in ``PRAGMA
user_version`` (SQLite) or ``hall_schema`` (PostgreSQL); they are adopted: the
steps up to that version are recorded as done, the rest run.  A SQLite file is
copied beside itself (``hall.sqlite3.step<N>.bak``) before steps run on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

ADVISORY_LOCK = 4701  # pg_advisory_xact_lock key of schema changes


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    apply: Callable[[object, str], None]  # (connection, engine)


def _run(conn, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _columns(conn, engine: str, table: str) -> set[str]:
    if engine == "postgresql":
        return {row[0] for row in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ?", (table,))}
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


# --- step 1: stations, accounts, catalog, cases, blobs, updates, certificates --

CORE = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    user TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_stations (
    user TEXT NOT NULL REFERENCES accounts (user) ON DELETE CASCADE,
    station TEXT NOT NULL REFERENCES stations (code),
    PRIMARY KEY (user, station)
);
CREATE TABLE IF NOT EXISTS tokens (
    token_sha256 TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_at REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS uploads (
    station TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    length INTEGER NOT NULL,
    uuid TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (station, sha256)
);
CREATE TABLE IF NOT EXISTS blob_owners (
    station TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (station, sha256)
);
CREATE TABLE IF NOT EXISTS catalog_revisions (
    revision INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog_items (
    task_code TEXT NOT NULL,
    handle_item_code TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    item_json TEXT,
    PRIMARY KEY (task_code, handle_item_code)
);
CREATE INDEX IF NOT EXISTS catalog_items_by_revision ON catalog_items (revision);
CREATE TABLE IF NOT EXISTS cases (
    uuid TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    revision INTEGER NOT NULL,
    manifest_json TEXT NOT NULL,
    first_committed_at TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    task_code TEXT,
    handle_item_code TEXT
);
CREATE TABLE IF NOT EXISTS case_revisions (
    uuid TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    PRIMARY KEY (uuid, revision)
);
CREATE TABLE IF NOT EXISTS case_attachments (
    uuid TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (uuid, sha256)
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    uuid TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    response_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS status_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    number TEXT NOT NULL,
    station TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS status_updates_by_station ON status_updates (station, seq);
CREATE TABLE IF NOT EXISTS certificates (
    id TEXT PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    holder_id TEXT NOT NULL,
    holder_type TEXT NOT NULL,
    type_code TEXT NOT NULL,
    record_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS certificate_listings (
    holder TEXT NOT NULL,
    certificate_id TEXT NOT NULL,
    PRIMARY KEY (holder, certificate_id)
);
CREATE TABLE IF NOT EXISTS certificate_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    station TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    holder TEXT,
    holder_type TEXT,
    type_code TEXT,
    certificate_id TEXT,
    purpose TEXT NOT NULL,
    result_count INTEGER NOT NULL
)
"""


def _key_catalog_items_by_handle_item(conn) -> None:
    """(SQLite files older than user_version) Catalog rows were keyed by task_code
    alone; the key became (task_code, handle_item_code), one row per 业务办理项.
    Rebuilt in place, revisions kept, so workstations' cursors stay valid."""
    columns = _columns(conn, "sqlite", "catalog_items")
    if not columns or "handle_item_code" in columns:
        return
    conn.execute("ALTER TABLE catalog_items RENAME TO catalog_items_before_handle_items")
    conn.execute("DROP INDEX IF EXISTS catalog_items_by_revision")
    conn.execute(CORE[CORE.index("CREATE TABLE IF NOT EXISTS catalog_items"):].split(";")[0])
    conn.execute(
        "INSERT INTO catalog_items (task_code, handle_item_code, revision, removed, item_json) "
        "SELECT task_code, COALESCE(json_extract(item_json, '$.handle_item_code'), ''), "
        "revision, removed, item_json FROM catalog_items_before_handle_items")
    conn.execute("DROP TABLE catalog_items_before_handle_items")


def _drop_tokens_without_role(conn) -> None:
    """(SQLite files older than user_version) Tokens issued before stations and roles
    existed say nothing of the role: dropped (every workstation signs in again once)."""
    columns = _columns(conn, "sqlite", "tokens")
    if columns and "role" not in columns:
        conn.execute("DROP TABLE tokens")


def core(conn, engine: str) -> None:
    if engine == "sqlite":
        _key_catalog_items_by_handle_item(conn)
        _drop_tokens_without_role(conn)
    _run(conn, CORE)
    if engine == "postgresql":
        # SQLite numbers case revisions by its implicit rowid (the export's cursor).
        conn.execute("ALTER TABLE case_revisions ADD COLUMN IF NOT EXISTS rowid BIGSERIAL")
        conn.execute("CREATE INDEX IF NOT EXISTS case_revisions_by_rowid "
                     "ON case_revisions (rowid)")


# --- step 2: each station owns its blobs and idempotency keys ------------------

def blobs_and_keys_per_station(conn, _engine: str) -> None:
    """Blobs were shared by every station; each case's station now owns the blobs its
    committed cases list.  Idempotency keys became per station (``<station>:<key>``)."""
    conn.execute(
        "INSERT OR IGNORE INTO blob_owners (station, sha256) "
        "SELECT c.station, a.sha256 FROM case_attachments a JOIN cases c ON c.uuid = a.uuid")
    conn.execute(
        "UPDATE idempotency SET key = (SELECT station FROM cases "
        "WHERE cases.uuid = idempotency.uuid) || ':' || key "
        "WHERE uuid IN (SELECT uuid FROM cases)")


# --- step 3: cases filed by item ----------------------------------------------

def cases_by_item(conn, engine: str) -> None:
    """Each case names its item by (task_code, handle_item_code) — the 业务办理项 of
    one item counted apart — in columns of its own, filled from the manifests held."""
    columns = _columns(conn, engine, "cases")
    for column in ("task_code", "handle_item_code"):
        if column not in columns:
            conn.execute(f"ALTER TABLE cases ADD COLUMN {column} TEXT")
    if engine == "sqlite":  # PostgreSQL databases began with the columns
        conn.execute(
            "UPDATE cases SET task_code = json_extract(manifest_json, '$.task_code'), "
            "handle_item_code = NULLIF(json_extract(manifest_json, '$.handle_item_code'), '') "
            "WHERE task_code IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS cases_by_item ON cases (task_code, handle_item_code)")


# --- step 4: online applications (网上申报 → 网上预审) ----------------------------

APPLICATIONS = """
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    ref TEXT NOT NULL,
    access_key_sha256 TEXT NOT NULL,
    task_code TEXT NOT NULL,
    handle_item_code TEXT,
    item_name TEXT NOT NULL,
    dept_name TEXT NOT NULL,
    dept_code TEXT NOT NULL,
    applicant_key TEXT NOT NULL,
    body_json TEXT NOT NULL,
    state TEXT NOT NULL,
    round INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    round_submitted_at TEXT NOT NULL,
    decision_json TEXT,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_by_seq ON applications (seq);
CREATE INDEX IF NOT EXISTS applications_by_applicant ON applications (applicant_key, task_code);
CREATE TABLE IF NOT EXISTS application_refs (
    ref TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    round INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS application_routes (
    application_id TEXT NOT NULL,
    station TEXT NOT NULL,
    PRIMARY KEY (application_id, station)
);
CREATE INDEX IF NOT EXISTS application_routes_by_station ON application_routes (station);
CREATE TABLE IF NOT EXISTS item_stations (
    task_code TEXT NOT NULL,
    station TEXT NOT NULL,
    PRIMARY KEY (task_code, station)
);
CREATE TABLE IF NOT EXISTS application_decisions (
    decision_id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    response_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS application_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    station TEXT,
    user TEXT,
    detail_json TEXT NOT NULL
)
"""

# --- step 5: 好差评 -------------------------------------------------------------

EVALUATIONS = """
CREATE TABLE IF NOT EXISTS evaluations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL,
    station TEXT NOT NULL,
    point TEXT NOT NULL,
    origin TEXT NOT NULL,
    record_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (number, point)
);
CREATE INDEX IF NOT EXISTS evaluations_by_station ON evaluations (station, origin, seq)
"""

# --- step 6: the non-tax platform's payment confirmations ----------------------

PAYMENTS = """
CREATE TABLE IF NOT EXISTS payments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    confirmation_id TEXT NOT NULL UNIQUE,
    payment_code TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    record_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_by_station ON payments (station, seq)
"""

# --- step 7: the stations' keys that sign pre-review decisions ----------------

STATION_SIGNING_KEYS = """
CREATE TABLE IF NOT EXISTS station_signing_keys (
    station TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT NOT NULL
)
"""


# --- step 8: case revisions numbered by a column of their own ------------------

def number_case_revisions(conn, engine: str) -> None:
    """The exchange export follows case revisions by number.  SQLite numbered them
    by the implicit rowid, which VACUUM may renumber in a table without an INTEGER
    PRIMARY KEY: they get ``seq`` (AUTOINCREMENT: a number is never given twice),
    the rowids they had kept as their numbers, so export cursors stay valid.  On
    PostgreSQL the column was already a sequence of its own (named ``rowid``)."""
    if engine == "postgresql":
        if "rowid" in _columns(conn, engine, "case_revisions"):
            conn.execute("ALTER TABLE case_revisions RENAME COLUMN rowid TO seq")
            conn.execute("ALTER INDEX IF EXISTS case_revisions_by_rowid "
                         "RENAME TO case_revisions_by_seq")
        conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS case_revisions_by_seq "
                     "ON case_revisions (seq)")
        return
    conn.execute("ALTER TABLE case_revisions RENAME TO case_revisions_before_seq")
    conn.execute("""
        CREATE TABLE case_revisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            event TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            manifest_json TEXT NOT NULL,
            committed_at TEXT NOT NULL,
            UNIQUE (uuid, revision)
        )""")
    conn.execute(
        "INSERT INTO case_revisions (seq, uuid, revision, event, idempotency_key, "
        "manifest_json, committed_at) SELECT rowid, uuid, revision, event, idempotency_key, "
        "manifest_json, committed_at FROM case_revisions_before_seq ORDER BY rowid")
    conn.execute("DROP TABLE case_revisions_before_seq")


# --- step 9: the stations' audit rows, kept at the hall ≥ 180 days --------------

AUDIT_ROWS = """
CREATE TABLE IF NOT EXISTS audit_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    held_for TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    row_json TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (held_for, seq)
);
CREATE INDEX IF NOT EXISTS audit_rows_by_station ON audit_rows (held_for, id);
CREATE TABLE IF NOT EXISTS audit_heads (
    held_for TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    row_hash TEXT NOT NULL
)
"""

# --- step 10: the stations' weekly and monthly reports (周报/月报) --------------

PERIOD_REPORTS = """
CREATE TABLE IF NOT EXISTS period_reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    record_json TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS period_reports_by_station ON period_reports
    (station, kind, period_start, seq)
"""

# --- step 11: the stations' fee notices (缴款码 ↔ case, payee, clerk, payer) ------

FEE_NOTICES = """
CREATE TABLE IF NOT EXISTS fee_notices (
    payment_code TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    case_uuid TEXT NOT NULL,
    case_number TEXT NOT NULL,
    record_json TEXT NOT NULL,
    received_at TEXT NOT NULL
)
"""

STEPS: tuple[Step, ...] = (
    Step(1, "core", core),
    Step(2, "blobs_and_keys_per_station", blobs_and_keys_per_station),
    Step(3, "cases_by_item", cases_by_item),
    Step(4, "online_applications", lambda conn, _engine: _run(conn, APPLICATIONS)),
    Step(5, "evaluations", lambda conn, _engine: _run(conn, EVALUATIONS)),
    Step(6, "payments", lambda conn, _engine: _run(conn, PAYMENTS)),
    Step(7, "station_signing_keys", lambda conn, _engine: _run(conn, STATION_SIGNING_KEYS)),
    Step(8, "case_revisions_numbered", number_case_revisions),
    Step(9, "audit_rows", lambda conn, _engine: _run(conn, AUDIT_ROWS)),
    Step(10, "period_reports", lambda conn, _engine: _run(conn, PERIOD_REPORTS)),
    Step(11, "fee_notices", lambda conn, _engine: _run(conn, FEE_NOTICES)),
)
LATEST = STEPS[-1].number

RECORD_TABLE = """
CREATE TABLE IF NOT EXISTS hall_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _table_exists(conn, engine: str, table: str) -> bool:
    if engine == "postgresql":
        return conn.execute("SELECT to_regclass(?::text)", (table,)).fetchone()[0] is not None
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (table,)).fetchone() is not None


def _legacy_version(conn, engine: str) -> int:
    """The version a database made before steps were recorded says it has (0: none)."""
    if engine == "postgresql":
        if not _table_exists(conn, engine, "hall_schema"):
            return 0
        return conn.execute("SELECT COALESCE(MAX(version), 0) FROM hall_schema").fetchone()[0]
    if not _table_exists(conn, engine, "accounts"):
        return 0
    # Files from before PRAGMA user_version was set were version 1.
    return conn.execute("PRAGMA user_version").fetchone()[0] or 1


def applied_steps(conn, engine: str) -> dict[int, tuple[str, str]]:
    """{number: (name, applied_at)} of the steps recorded in the database."""
    if not _table_exists(conn, engine, "hall_migrations"):
        return {}
    return {row[0]: (row[1], row[2]) for row in conn.execute(
        "SELECT version, name, applied_at FROM hall_migrations ORDER BY version")}


def _lock(conn, engine: str) -> None:
    if engine == "postgresql":
        conn.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")


def _adopt(conn, engine: str) -> None:
    """Record the steps a database made before steps were recorded has had."""
    _run(conn, RECORD_TABLE)
    if applied_steps(conn, engine):
        return
    legacy = _legacy_version(conn, engine)
    if not legacy:
        return
    if engine == "sqlite":
        core(conn, engine)  # the older files' fix-ups ran at every start then
    for step in STEPS[:legacy]:
        conn.execute("INSERT INTO hall_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     (step.number, step.name, f"adopted {_now()}"))
    if engine == "postgresql":
        conn.execute("DROP TABLE hall_schema")


def migrate(db, to: int | None = None, before_first_step: Callable[[int], None] | None = None,
            ) -> list[int]:
    """Apply the steps missing up to ``to`` (default: all), in order, each in its own
    transaction; returns the numbers applied here.  ``before_first_step(number)`` runs
    under the schema lock when a database that has steps is about to get more (the
    SQLite file's copy)."""
    target = LATEST if to is None else to
    if not 1 <= target <= LATEST:
        raise MigrationError(f"schema steps are 1–{LATEST}; no step {target}")
    engine = db.engine
    with db.transaction() as conn:
        _lock(conn, engine)
        _adopt(conn, engine)
        applied = applied_steps(conn, engine)
        unknown = sorted(set(applied) - {step.number for step in STEPS})
        if unknown:
            raise MigrationError(
                f"the database has schema step {unknown[-1]}, newer than this hall knows "
                f"(1–{LATEST}): run the newer hall, or restore the copy made before its "
                "upgrade")
        pending = [step for step in STEPS
                   if step.number <= target and step.number not in applied]
        if pending and applied and before_first_step is not None:
            # Under the write lock: no other process can be upgrading it meanwhile.
            before_first_step(pending[0].number)
    done = []
    for step in pending:
        with db.transaction() as conn:
            _lock(conn, engine)
            if step.number in applied_steps(conn, engine):
                continue  # another worker process applied it meanwhile
            step.apply(conn, engine)
            conn.execute("INSERT INTO hall_migrations (version, name, applied_at) "
                         "VALUES (?, ?, ?)", (step.number, step.name, _now()))
            if engine == "sqlite":
                conn.execute(f"PRAGMA user_version = {step.number}")
        done.append(step.number)
    return done
