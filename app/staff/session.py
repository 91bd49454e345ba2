"""Sessions of signed-in staff: the window's, and the command line's.

A session is a random id whose SHA-256 is kept in ``staff_session``.  The
window holds its id in memory.  The command line keeps its id in
``session.json`` (mode 0600) in the station home: the file holds no password
and no hall token, only an id that is worthless once the session ends (logout,
or ``idle_lock_minutes`` without a command).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from app.numbering import station_key
from app.staff import audit
from app.staff.roles import StaffIdentity
from app.staff.signin import identity_of
from local_store.models import StaffAccount, StaffSession, utcnow

CLI_SESSION_FILE = "session.json"
WINDOW, CLI = "window", "cli"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def act_as(settings, identity: StaffIdentity | None) -> None:
    """Every case, print and look-up of this process is recorded under ``identity``."""
    settings.clerk_name = identity.account if identity else ""


def open_session(store, identity: StaffIdentity, kind: str) -> str:
    session_id = secrets.token_urlsafe(32)
    store.writer.call(lambda: StaffSession.create(
        session_sha256=_digest(session_id), account=identity.account, kind=kind))
    return session_id


def end_session(store, session_id: str, reason: str, *, settings=None) -> str | None:
    """End the session; return its account (None when it was not open)."""

    def close() -> str | None:
        row = StaffSession.get_or_none((StaffSession.session_sha256 == _digest(session_id))
                                       & StaffSession.ended_at.is_null())
        if row is None:
            return None
        row.ended_at = utcnow()
        row.end_reason = reason
        row.save()
        return row.account

    account = store.writer.call(close)
    if account and settings is not None:
        station = station_key(settings.region_code, settings.station_code)
        audit.append(store, station, account, audit.SIGN_OUT, account, audit.OK,
                     {"reason": reason})
    return account


def end_sessions_of(store, settings, account: str, reason: str) -> int:
    """End every open session of ``account`` here (its key slot was revoked): the
    command line's session stops at its next command; each end is audited."""
    open_ids = store.writer.call(lambda: [row.session_sha256 for row in StaffSession.select(
        StaffSession.session_sha256).where((StaffSession.account == account)
                                           & StaffSession.ended_at.is_null())])

    def close_all():
        return StaffSession.update(ended_at=utcnow(), end_reason=reason).where(
            StaffSession.session_sha256.in_(open_ids) & StaffSession.ended_at.is_null()
        ).execute()

    ended = store.writer.call(close_all) if open_ids else 0
    station = station_key(settings.region_code, settings.station_code)
    for _ in range(ended):
        audit.append(store, station, account, audit.SIGN_OUT, account, audit.OK,
                     {"reason": reason})
    return ended


def resolve(store, settings, session_id: str, *, idle_limit: dt.timedelta | None = None,
            clock: Callable[[], dt.datetime] = utcnow) -> StaffIdentity | None:
    """The identity of an open session, touching it; None when ended or idle too long."""
    now = clock()
    row = StaffSession.get_or_none((StaffSession.session_sha256 == _digest(session_id))
                                   & StaffSession.ended_at.is_null())
    if row is None:
        return None
    if idle_limit is not None and now - row.last_seen_at > idle_limit:
        end_session(store, session_id, "idle", settings=settings)
        return None
    account = StaffAccount.get_or_none(StaffAccount.account == row.account)
    if account is None:
        return None
    store.writer.call(lambda: StaffSession.update(last_seen_at=now).where(
        StaffSession.id == row.id).execute())
    return identity_of(account, station_key(settings.region_code, settings.station_code))


# --- the command line's session file ------------------------------------

def cli_session_path(home: Path) -> Path:
    return Path(home) / CLI_SESSION_FILE


def save_cli_session(home: Path, session_id: str, account: str,
                     agent: dict | None = None) -> Path:
    """``agent``: where the session's key agent listens and its authkey
    (``app.security.agent``) — not the key, and worthless once it has ended."""
    path = cli_session_path(home)
    tmp = path.with_name(f".{path.name}.tmp")
    # Created 0600 from the start: never readable by others, not even briefly.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"session": session_id, "account": account, "agent": agent}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def load_cli_session_record(home: Path) -> dict | None:
    try:
        record = json.loads(cli_session_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def load_cli_session(home: Path) -> str | None:
    try:
        return str(load_cli_session_record(home)["session"])
    except (KeyError, TypeError):
        return None


def forget_cli_session(home: Path) -> None:
    cli_session_path(home).unlink(missing_ok=True)


def cli_identity(store, settings) -> StaffIdentity | None:
    """Who the command line acts for (None = nobody signed in, or idle too long)."""
    session_id = load_cli_session(store.home)
    if not session_id:
        return None
    idle = dt.timedelta(minutes=settings.idle_lock_minutes)
    identity = resolve(store, settings, session_id, idle_limit=idle)
    if identity is None:
        from app.security.agent import AgentAddress, stop_agent

        stop_agent(AgentAddress.from_dict((load_cli_session_record(store.home) or {})
                                          .get("agent")))
        forget_cli_session(store.home)
    return identity


# --- the window's session -------------------------------------------------

def begin_window_session(store, settings, identity: StaffIdentity,
                         previous_session_id: str | None = None) -> str:
    """``identity`` takes over the window: the previous clerk's session ends
    (a switch at a shared window), and everything from now on is theirs.
    Work in progress stays open; it is committed under whoever commits it."""
    if previous_session_id:
        before = end_session(store, previous_session_id, "switch", settings=settings)
        if before and before != identity.account:
            audit.append(store, identity.station, identity.account, audit.CLERK_SWITCH,
                         identity.account, audit.OK, {"from": before})
    session_id = open_session(store, identity, WINDOW)
    act_as(settings, identity)
    return session_id


def record_window_lock(store, settings, account: str, event: str) -> None:
    """Idle lock (or unlock) of the window, for the audit trail."""
    station = station_key(settings.region_code, settings.station_code)
    audit.append(store, station, account, event, account, audit.OK)
