"""Stations, accounts, password hashes, sign-in throttling and bearer tokens.

The hall keeps a station register (区划 6 + 工位 3 digits).  An account holds a
role — ``clerk`` (takes in cases at its station), ``supervisor`` (reads every
station of the district, changes nothing) or ``admin`` (the district's
departments: posts case progress, publishes the catalog, reads the audit) —
and the stations it may sign in at.  A token carries station, user and role;
every route decides from those alone.

Passwords are stored only as scrypt hashes (hashlib, no extra dependency);
tokens only as their SHA-256, so a copy of the hall database lets nobody sign
in.  Failed sign-ins are counted per account and per client address in the
database (so several worker processes share the count): an address that keeps
failing is slowed down, an account that keeps failing is locked for a while;
both answer 429 with ``Retry-After`` before any password is checked.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import time
from dataclasses import dataclass
from functools import cache

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central_hall.errors import HallError
from central_hall.storage import HallDatabase, utc_now

DEMO_PASSWORD = "onewindow-demo"
CENTRE_STATION = "350205001"
STREET_STATION = "350205002"
DEMO_STATIONS = {
    CENTRE_STATION: "厦门市海沧区行政服务中心",
    STREET_STATION: "海沧区海沧街道便民服务中心",
}
# user → (role, stations it may sign in at)
DEMO_ACCOUNTS = {
    "clerk01": ("clerk", (CENTRE_STATION,)),
    "clerk02": ("clerk", (STREET_STATION,)),
    "supervisor": ("supervisor", (CENTRE_STATION,)),
    "admin": ("admin", (CENTRE_STATION,)),
}
ROLES = ("clerk", "supervisor", "admin")
# ASCII digits only: ``\d`` would take Devanagari digits, ``$`` a trailing newline.
_STATION_CODE = re.compile(r"[0-9]{9}", re.ASCII)
_USER_NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}", re.ASCII)

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def valid_station_code(code) -> bool:
    return isinstance(code, str) and _STATION_CODE.fullmatch(code) is not None


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(digest.hex(), digest_hex)


@cache
def _unknown_user_hash() -> str:
    return hash_password(secrets.token_hex(16))


# --- stations ---------------------------------------------------------------


def add_station(db: HallDatabase, code: str, name: str) -> None:
    """Register a station or rename it."""
    if not valid_station_code(code):
        raise ValueError(f"station code must be nine ASCII digits (6 region + 3 station): {code!r}")
    if not name or not name.strip():
        raise ValueError("station name is required")
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO stations (code, name, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            (code, name.strip(), utc_now()),
        )


def list_stations(db: HallDatabase) -> list[dict]:
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT s.code, s.name, GROUP_CONCAT(a.user, ',') AS users FROM stations s "
            "LEFT JOIN account_stations a ON a.station = s.code GROUP BY s.code ORDER BY s.code"
        ).fetchall()
    return [{"code": r["code"], "name": r["name"],
             "users": sorted(r["users"].split(",")) if r["users"] else []} for r in rows]


# --- accounts ---------------------------------------------------------------


def _bind(conn, user: str, stations) -> None:
    conn.execute("DELETE FROM account_stations WHERE user = ?", (user,))
    conn.executemany("INSERT INTO account_stations (user, station) VALUES (?, ?)",
                     [(user, station) for station in stations])


def seed_demo_accounts(db: HallDatabase) -> None:
    """The documented demo stations and accounts, the first time a data dir is used.

    A data directory made before stations existed keeps its accounts; the demo
    accounts among them that still have the demo password get their demo
    stations (a pilot's own accounts stay unbound until an administrator binds
    them with ``account --station``)."""
    with db.transaction() as conn:
        has_accounts = conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
        has_stations = conn.execute("SELECT COUNT(*) FROM stations").fetchone()[0]
        if has_stations:
            return
        if has_accounts:
            old = {r["user"]: r["password_hash"] for r in conn.execute(
                "SELECT user, password_hash FROM accounts")}
            demo = {user: spec for user, spec in DEMO_ACCOUNTS.items()
                    if user in old and password_matches(DEMO_PASSWORD, old[user])}
            if not demo:
                return
        else:
            demo = DEMO_ACCOUNTS
        for code, name in DEMO_STATIONS.items():
            conn.execute("INSERT INTO stations (code, name, created_at) VALUES (?, ?, ?)",
                         (code, name, utc_now()))
        for user, (role, stations) in demo.items():
            if not has_accounts:
                conn.execute(
                    "INSERT INTO accounts (user, role, password_hash) VALUES (?, ?, ?)",
                    (user, role, hash_password(DEMO_PASSWORD)),
                )
            else:
                conn.execute("UPDATE accounts SET role = ? WHERE user = ?", (role, user))
            _bind(conn, user, stations)


def _check_stations(conn, stations) -> list[str]:
    stations = list(dict.fromkeys(stations))
    for code in stations:
        if not valid_station_code(code):
            raise ValueError(f"station code must be nine ASCII digits: {code!r}")
        if conn.execute("SELECT 1 FROM stations WHERE code = ?", (code,)).fetchone() is None:
            raise ValueError(f"station {code} is not registered (python -m central_hall "
                             "station add)")
    return stations


def set_account(db: HallDatabase, user: str, password: str | None, role: str,
                stations=()) -> None:
    """Create a staff account or change it (pilots replace the demo ones).

    ``password`` None keeps the password of an existing account; ``stations``
    empty keeps its stations.  A new account needs both."""
    if not _USER_NAME.fullmatch(user or ""):
        raise ValueError("user name: 1–64 ASCII letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    with db.transaction() as conn:
        stations = _check_stations(conn, stations)
        exists = conn.execute("SELECT 1 FROM accounts WHERE user = ?", (user,)).fetchone()
        if not exists and password is None:
            raise ValueError("a new account needs a password")
        if not exists and not stations:
            raise ValueError("a new account needs at least one --station")
        if exists:
            conn.execute("UPDATE accounts SET role = ? WHERE user = ?", (role, user))
            if password is not None:
                conn.execute("UPDATE accounts SET password_hash = ? WHERE user = ?",
                             (hash_password(password), user))
        else:
            conn.execute("INSERT INTO accounts (user, role, password_hash) VALUES (?, ?, ?)",
                         (user, role, hash_password(password)))
        if stations:
            _bind(conn, user, stations)
        # A changed account signs in again with what it is now.
        conn.execute("DELETE FROM tokens WHERE user = ?", (user,))
        conn.execute("DELETE FROM signin_failures WHERE key = ?", (f"user:{user}",))


def remove_account(db: HallDatabase, user: str) -> bool:
    with db.transaction() as conn:
        conn.execute("DELETE FROM tokens WHERE user = ?", (user,))
        conn.execute("DELETE FROM account_stations WHERE user = ?", (user,))
        return conn.execute("DELETE FROM accounts WHERE user = ?", (user,)).rowcount > 0


# --- sessions ---------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    station: str
    user: str
    role: str = "clerk"

    @property
    def reads_all_stations(self) -> bool:
        """District supervisors and administrators read every station's cases."""
        return self.role in ("supervisor", "admin")

    def may_read_station(self, station: str) -> bool:
        return self.reads_all_stations or station == self.station


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- sign-in throttling -----------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    account_failures: int = 5  # consecutive failures that lock an account
    account_lockout_s: float = 300.0
    address_failures: int = 20  # failures from one address per window
    address_window_s: float = 60.0


def _throttled(retry_after: float, code: str, detail: str) -> HallError:
    seconds = max(1, math.ceil(retry_after))
    return HallError(429, code, detail, headers={"Retry-After": str(seconds)})


def _check_throttle(conn, user: str, address: str, policy: ThrottlePolicy, now: float) -> None:
    account = conn.execute("SELECT locked_until FROM signin_failures WHERE key = ?",
                           (f"user:{user}",)).fetchone()
    if account and account["locked_until"] > now:
        raise _throttled(account["locked_until"] - now, "account_locked",
                         "too many failed sign-ins for this account; try again later")
    source = conn.execute("SELECT failures, first_at FROM signin_failures WHERE key = ?",
                          (f"addr:{address}",)).fetchone()
    if (source and source["failures"] >= policy.address_failures
            and now - source["first_at"] < policy.address_window_s):
        raise _throttled(source["first_at"] + policy.address_window_s - now, "too_many_attempts",
                         "too many failed sign-ins from this address; slow down")


def _record_failure(conn, user: str, address: str, policy: ThrottlePolicy, now: float) -> None:
    for key, limit, window, lock_s in (
        (f"user:{user}", policy.account_failures, None, policy.account_lockout_s),
        (f"addr:{address}", policy.address_failures, policy.address_window_s, 0.0),
    ):
        row = conn.execute("SELECT failures, first_at FROM signin_failures WHERE key = ?",
                           (key,)).fetchone()
        if row is None or (window is not None and now - row["first_at"] >= window):
            failures, first_at = 1, now
        else:
            failures, first_at = row["failures"] + 1, row["first_at"]
        locked_until = 0.0
        if lock_s and failures >= limit:
            locked_until, failures, first_at = now + lock_s, 0, now
        conn.execute(
            "INSERT INTO signin_failures (key, failures, first_at, locked_until) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
            "first_at = excluded.first_at, locked_until = excluded.locked_until",
            (key, failures, first_at, locked_until),
        )


def issue_token(db: HallDatabase, station: str, user: str, password: str, lifetime_s: int,
                address: str = "", policy: ThrottlePolicy | None = None
                ) -> tuple[str, Session]:
    """Check the credentials; return ``(token, session)`` or raise 401/429."""
    policy = policy or ThrottlePolicy()
    user = user if isinstance(user, str) else ""
    now = time.time()
    with db.reading() as conn:
        _check_throttle(conn, user, address, policy, now)
    if not valid_station_code(station):
        raise HallError(401, "bad_credentials", "station must be nine ASCII digits")
    with db.reading() as conn:
        row = conn.execute(
            "SELECT a.password_hash, a.role, s.station FROM accounts a "
            "LEFT JOIN account_stations s ON s.user = a.user AND s.station = ? "
            "WHERE a.user = ?", (station, user),
        ).fetchone()
    # Hash even for unknown users so the answer time does not reveal who exists.
    stored = row["password_hash"] if row else _unknown_user_hash()
    password_ok = password_matches(password or "", stored) and row is not None
    if not password_ok or row["station"] is None:
        with db.transaction() as conn:
            _record_failure(conn, user, address, policy, time.time())
        if not password_ok:
            raise HallError(401, "bad_credentials", "unknown user or wrong password")
        raise HallError(401, "station_not_allowed",
                        f"account {user} may not sign in at station {station}")
    token = secrets.token_urlsafe(32)
    session = Session(station=station, user=user, role=row["role"])
    with db.transaction() as conn:
        conn.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
        conn.execute("DELETE FROM signin_failures WHERE key = ?", (f"user:{user}",))
        conn.execute(
            "INSERT INTO tokens (token_sha256, station, user, role, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (_token_digest(token), station, user, session.role, now + lifetime_s),
        )
    return token, session


def session_for_token(db: HallDatabase, token: str) -> Session | None:
    """The session a bearer token stands for, or None (unknown or expired)."""
    with db.reading() as conn:
        row = conn.execute(
            "SELECT station, user, role, expires_at FROM tokens WHERE token_sha256 = ?",
            (_token_digest(token),),
        ).fetchone()
    if row is None or row["expires_at"] < time.time():
        return None
    return Session(station=row["station"], user=row["user"], role=row["role"])


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


_bearer = HTTPBearer(auto_error=False)


def require_session(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> Session:
    """FastAPI dependency: the signed-in station, user and role, or 401.

    The gate middleware has normally checked the token before the body was
    read and left the session in the request state."""
    checked = getattr(request.state, "session", None)
    if checked is not None:
        return checked
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HallError(401, "unauthorized", "bearer token required")
    session = session_for_token(request.app.state.hall.db, credentials.credentials)
    if session is None:
        raise HallError(401, "unauthorized", "token unknown or expired")
    return session


def require_role(*roles: str):
    """FastAPI dependency: the session, if its role is one of ``roles``; else 403."""

    def dependency(session: Session = Depends(require_session)) -> Session:  # noqa: B008
        if session.role not in roles:
            raise HallError(403, "forbidden",
                            f"role {session.role} may not do this (needs {' or '.join(roles)})")
        return session

    return dependency


def require_clerk(session: Session = Depends(require_session)) -> Session:  # noqa: B008
    """Writes to cases, uploads and blobs: a clerk at its own station only."""
    if session.role != "clerk":
        raise HallError(403, "read_only", f"role {session.role} reads only; clerks take in cases")
    return session
