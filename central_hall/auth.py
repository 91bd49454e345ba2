"""Accounts, password hashes and bearer tokens.

Passwords are stored only as scrypt hashes (hashlib, no extra dependency);
tokens only as their SHA-256, so a copy of the hall database lets nobody sign
in.  Any nine-digit station code may sign in with a valid staff account: the
reference hall does not keep a station register.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from functools import cache

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central_hall.errors import HallError
from central_hall.storage import HallDatabase

DEMO_PASSWORD = "onewindow-demo"
DEMO_ACCOUNTS = {"clerk01": "clerk", "clerk02": "clerk", "supervisor": "supervisor"}
STATION_PATTERN = re.compile(r"^\d{9}$")

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


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


def seed_demo_accounts(db: HallDatabase) -> None:
    """Create the documented demo accounts the first time a data dir is used."""
    with db.transaction() as conn:
        if conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]:
            return
        for user, role in DEMO_ACCOUNTS.items():
            conn.execute(
                "INSERT INTO accounts (user, role, password_hash) VALUES (?, ?, ?)",
                (user, role, hash_password(DEMO_PASSWORD)),
            )


def set_account(db: HallDatabase, user: str, password: str, role: str) -> None:
    """Create a staff account or change its password (pilots replace the demo ones)."""
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO accounts (user, role, password_hash) VALUES (?, ?, ?) "
            "ON CONFLICT (user) DO UPDATE SET role = excluded.role, "
            "password_hash = excluded.password_hash",
            (user, role, hash_password(password)),
        )
        conn.execute("DELETE FROM tokens WHERE user = ?", (user,))


def remove_account(db: HallDatabase, user: str) -> bool:
    with db.transaction() as conn:
        conn.execute("DELETE FROM tokens WHERE user = ?", (user,))
        return conn.execute("DELETE FROM accounts WHERE user = ?", (user,)).rowcount > 0


@dataclass(frozen=True)
class Session:
    station: str
    user: str


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(db: HallDatabase, station: str, user: str, password: str, lifetime_s: int):
    if not STATION_PATTERN.match(station or ""):
        raise HallError(401, "bad_credentials", "station must be nine digits")
    with db.reading() as conn:
        row = conn.execute(
            "SELECT password_hash FROM accounts WHERE user = ?", (user,)
        ).fetchone()
    # Hash even for unknown users so the answer time does not reveal who exists.
    stored = row["password_hash"] if row else _unknown_user_hash()
    if not (password_matches(password or "", stored) and row):
        raise HallError(401, "bad_credentials", "unknown user or wrong password")
    token = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        conn.execute("DELETE FROM tokens WHERE expires_at < ?", (time.time(),))
        conn.execute(
            "INSERT INTO tokens (token_sha256, station, user, expires_at) VALUES (?, ?, ?, ?)",
            (_token_digest(token), station, user, time.time() + lifetime_s),
        )
    return token


_bearer = HTTPBearer(auto_error=False)


def require_session(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> Session:
    """FastAPI dependency: the signed-in station and user, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HallError(401, "unauthorized", "bearer token required")
    db: HallDatabase = request.app.state.hall.db
    with db.reading() as conn:
        row = conn.execute(
            "SELECT station, user, expires_at FROM tokens WHERE token_sha256 = ?",
            (_token_digest(credentials.credentials),),
        ).fetchone()
    if row is None or row["expires_at"] < time.time():
        raise HallError(401, "unauthorized", "token unknown or expired")
    return Session(station=row["station"], user=row["user"])
