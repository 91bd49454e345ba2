"""Staff sign-in at the station: online the first time, offline after that.

MOSIP's registration client is the model.  The first sign-in of an account
at this station goes to the hall (``POST /auth/token``), which confirms the
password and names the role; the station then keeps an argon2id hash of the
password and accepts it offline for ``offline_sign_in_days`` (default 7).
After that period the hall has to confirm it again.  ``sign_in_max_failures``
wrong passwords in a row (default 5) lock the account at this station for
``sign_in_lockout_minutes`` (default 30), online or offline alike.

While the offline period runs the station does not ask the hall at all:
signing in never waits on the network (DESIGN.md, offline first).  A role or
password changed at the hall therefore reaches this station at the next
online sign-in, at the latest after the offline period.

Encryption at rest (issue 12, item 5): what offline sign-in needs lives in
the key-slot file (``app.security.keys``), outside the encrypted case
database, because it is needed *before* the database can be opened.  The
argon2id key of an account's slot is derived from its password: a slot that
unwraps proves the password and yields the station's data key in one step
(held for this process, ``local_store.keys``).  Failure counts and locks are
kept there too.  The service works with the station locked (``store=None``:
the sign-in before the database opens; its database rows are written by
``record_in(store)`` once it is open) or unlocked (a clerk switch, an unlock
after the idle lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.numbering import station_key
from app.security import keys as station_keys
from app.security.keys import KdfParams, KeySlots
from app.staff import audit
from app.staff.roles import StaffIdentity, known_role
from local_store.models import StaffAccount, utcnow

HallVerifier = Callable[[str, str], object]  # (account, password) -> HallToken


class SignInError(Exception):
    """Sign-in refused; the message is one line for the clerk (Chinese)."""


class AccountLocked(SignInError):
    pass


class HallNeeded(SignInError):
    """Only the hall can confirm this password now, and it cannot be reached."""


class StationKeyNeeded(SignInError):
    """The hall confirmed the password, but the station is locked and this account
    has no slot that opens it: someone signed in here, or the recovery key, must
    unlock the station first."""


@dataclass(frozen=True)
class SignInPolicy:
    offline_period: dt.timedelta
    max_failures: int
    lockout: dt.timedelta

    @classmethod
    def from_settings(cls, settings) -> SignInPolicy:
        return cls(
            offline_period=dt.timedelta(days=settings.offline_sign_in_days),
            max_failures=max(1, int(settings.sign_in_max_failures)),
            lockout=dt.timedelta(minutes=settings.sign_in_lockout_minutes),
        )


def hall_verifier(settings, hall_url: str | None = None) -> HallVerifier | None:
    """Ask the configured hall (or ``hall_url``, e.g. the embedded demo hall)."""
    url = hall_url or settings.effective_hall_url
    if not url:
        return None
    station = station_key(settings.region_code, settings.station_code)

    def verify(account: str, password: str):
        from sync.credentials import request_token

        return request_token(url, station, account, password, ca_bundle=settings.ca_bundle,
                             timeout_s=settings.http_timeout_s)

    return verify


def _keep_hall_token(settings, hall_url: str | None, token) -> None:
    """The sync lanes act with the latest signed-in clerk's token, when a keyring can hold it."""
    from sync.credentials import CredentialError, keyring_problem, save_token

    url = hall_url or settings.effective_hall_url
    if url and keyring_problem() is None:
        try:
            save_token(url, token)
        except CredentialError:
            pass  # sign-in stands; the sync lane will say it needs a token


def _local_time(settings, utc_naive: dt.datetime) -> str:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(getattr(settings, "time_zone", "") or "Asia/Shanghai")
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(zone).strftime("%H:%M")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _naive_utc(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


class SignInService:
    """Signs staff in at a station.  ``store`` is the open store (station
    unlocked) or None (station locked: pass ``home``); see the module text."""

    def __init__(self, store, settings, *, home: Path | None = None,
                 hall_url: str | None = None,
                 verify_with_hall: HallVerifier | None = None,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.store = store
        self.home = Path(store.home if store is not None else home)
        self.settings = settings
        self.hall_url = hall_url
        self.policy = SignInPolicy.from_settings(settings)
        self._verify_with_hall = verify_with_hall or hall_verifier(settings, hall_url)
        self._clock = clock
        # Shown once to whoever started the station: its keys were created by this sign-in.
        self.recovery_code: str | None = None
        self._pending_rows: list[tuple] = []  # audit rows waiting for the database
        self._pending_account: dict | None = None

    @property
    def station(self) -> str:
        return station_key(self.settings.region_code, self.settings.station_code)

    def _audit(self, account: str, event: str, outcome: str, detail: dict | None = None,
               obj: str | None = None):
        """One row about ``account`` (the object too, unless ``obj`` names another)."""
        if self.store is not None:
            audit.append(self.store, self.station, account, event, obj or account, outcome,
                         detail)
            return
        row = (account, event, outcome, {**(detail or {}),
                                         "at": self._clock().replace(tzinfo=dt.UTC).isoformat()})
        self._pending_rows.append((*row, obj) if obj else row)

    def sign_in(self, account: str, password: str) -> StaffIdentity:
        account = (account or "").strip()
        if not account or not password:
            raise SignInError("请输入用户名和密码 / user name and password required")
        now = self._clock()
        slots = KeySlots.load(self.home)
        try:
            return self._sign_in(slots, account, password, now)
        finally:
            if self.store is None and self._pending_rows:
                # The database is still locked: the rows wait in the slot file
                # unless the caller records them (record_in) after unlocking.
                for row in self._take_failures_only():
                    slots.queue_audit(list(row))

    def _take_failures_only(self) -> list[tuple]:
        if self._pending_account is not None:
            return []  # a success: record_in writes every row
        rows, self._pending_rows = self._pending_rows, []
        return rows

    def _sign_in(self, slots: KeySlots, account: str, password: str,
                 now: dt.datetime) -> StaffIdentity:
        known = slots.staff(account)
        locked_until = _naive_utc((known or {}).get("locked_until"))
        if locked_until and locked_until > now:
            self._audit(account, audit.SIGN_IN_REFUSED_LOCKED, audit.REFUSED)
            until = _local_time(self.settings, locked_until)
            raise AccountLocked(
                f"账户 {account} 因连续登录失败已锁定，请于 {until} 后再试 / account locked")
        if not slots.exists:
            legacy = self._legacy_offline_account(account, now)
            if legacy is not None:
                return self._legacy_offline(slots, account, password, legacy, now)
        verified_at = _naive_utc((known or {}).get("hall_verified_at"))
        offline_valid = (known is not None and "slot" in known and verified_at is not None
                         and now - verified_at <= self.policy.offline_period)
        if offline_valid:
            return self._offline(slots, account, password, now)
        return self._online(slots, account, known, password, now)

    def _offline(self, slots: KeySlots, account: str, password: str,
                 now: dt.datetime) -> StaffIdentity:
        try:
            unlocked = slots.unwrap_staff(account, password)
        except (ValueError, KeyError) as exc:
            raise HallNeeded("本工位保存的密钥槽无法使用，请连接大厅登录一次") from exc
        if unlocked is None:
            self._failed(slots, account, now, "offline")
        return self._succeeded(slots, account, unlocked, now, mode="offline")

    def _legacy_offline_account(self, account: str, now: dt.datetime) -> dict | None:
        """A station upgraded from a release without key slots: its case database is
        still plaintext and holds the argon2 hash offline sign-in used.  Accepted for
        the rest of its offline period, so a street office without a link is not shut
        out of its own cases by the upgrade; the first sign-in creates the keys."""
        import sqlite3

        from local_store.db import is_plaintext
        from local_store.store import CASE_DB_FILE

        path = self.home / CASE_DB_FILE
        if not is_plaintext(path):
            return None
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         timeout=5)
            try:
                row = connection.execute(
                    "SELECT display_name, role, password_hash, hall_verified_at "
                    "FROM staff_account WHERE account = ?", (account,)).fetchone()
            finally:
                connection.close()
        except sqlite3.Error:
            return None
        if row is None or not row[2] or not row[3]:
            return None
        verified_at = dt.datetime.fromisoformat(str(row[3]))
        if now - verified_at > self.policy.offline_period:
            return None
        return {"display_name": row[0] or account, "role": known_role(row[1]),
                "password_hash": row[2], "hall_verified_at": _iso(verified_at)}

    def _legacy_offline(self, slots: KeySlots, account: str, password: str, legacy: dict,
                        now: dt.datetime) -> StaffIdentity:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            PasswordHasher().verify(legacy.pop("password_hash"), password)
        except VerifyMismatchError:
            self._failed(slots, account, now, "offline")
        except (InvalidHashError, VerificationError) as exc:
            raise HallNeeded("本工位保存的口令摘要无法使用，请连接大厅登录一次") from exc
        held = station_keys.held() if station_keys.unlocked() else None
        unlocked, self.recovery_code = slots.create(held)
        slots.set_staff_slot(account, password, unlocked, KdfParams.from_settings(self.settings),
                             legacy)
        return self._succeeded(slots, account, unlocked, now, mode="offline")

    def _online(self, slots: KeySlots, account: str, known: dict | None, password: str,
                now: dt.datetime) -> StaffIdentity:
        from sync.credentials import CredentialError, HallRefusedCredentials, HallRefusedStation

        if self._verify_with_hall is None:
            self._audit(account, audit.SIGN_IN_FAILED, audit.FAILED, {"reason": "no_hall"})
            raise HallNeeded(self._hall_needed_text(known, "未配置大厅地址"))
        try:
            token = self._verify_with_hall(account, password)
        except HallRefusedCredentials:
            if known is not None and "slot" in known and slots.unwrap_staff(account, password):
                # The hall refuses a password that still opens this station: the
                # account was removed there, or its password changed.  Its slot here
                # must not keep working for the rest of any offline period.
                self._revoke_on_the_halls_word(slots, account, "hall_refused_password")
            self._failed(slots, account, now, "hall")
        except HallRefusedStation as exc:
            # Not a wrong password: nothing to count towards a lock, but audited.
            self._audit(account, audit.SIGN_IN_FAILED, audit.REFUSED,
                        {"reason": "station_not_allowed"})
            if known is not None and "slot" in known:
                # The hall no longer lets this account work at this station.
                self._revoke_on_the_halls_word(slots, account, "station_not_allowed")
            raise SignInError(str(exc)) from exc
        except CredentialError as exc:
            self._audit(account, audit.SIGN_IN_FAILED, audit.FAILED, {"reason": "hall_unreachable"})
            raise HallNeeded(self._hall_needed_text(known, str(exc))) from exc
        role = known_role(getattr(token, "role", ""))
        display_name = getattr(token, "display_name", "") or account
        unlocked = self._station_keys_for(slots, account, known, password)
        slots.set_staff_slot(account, password, unlocked, KdfParams.from_settings(self.settings),
                             {"display_name": display_name, "role": role,
                              "hall_verified_at": _iso(now)})
        _keep_hall_token(self.settings, self.hall_url, token)
        return self._succeeded(slots, account, unlocked, now, mode="online")

    def _revoke_on_the_halls_word(self, slots: KeySlots, account: str, reason: str) -> None:
        """Revoke ``account``'s slot because the hall refused it (audited, no secrets);
        kept when it is the last way into the station (no recovery slot)."""
        from app.security.keys import LastSlotRefused, NoSlot, staff_slot_name

        try:
            slots.revoke_staff_slot(account, revoked_by="hall", reason=reason)
        except NoSlot:
            return  # another process revoked it meanwhile
        except LastSlotRefused:
            self._audit(account, audit.KEY_SLOT_REVOKED, audit.REFUSED,
                        {"by": "hall", "reason": reason, "kept": "last_slot"},
                        obj=f"keyslot/{staff_slot_name(account)}")
            return
        self._audit(account, audit.KEY_SLOT_REVOKED, audit.OK, {"by": "hall", "reason": reason},
                    obj=f"keyslot/{staff_slot_name(account)}")

    def _station_keys_for(self, slots: KeySlots, account: str, known: dict | None,
                          password: str) -> station_keys.StationKeys:
        """The data key the hall-confirmed account's new slot will wrap."""
        held = station_keys.held() if station_keys.unlocked() else None
        if not slots.exists:
            # The station's first sign-in: its keys are made now (the recovery key
            # is shown once, by whoever called).  A key this process already holds
            # (its database already encrypted with it) is kept.
            created, self.recovery_code = slots.create(held)
            return created
        if known is not None and "slot" in known:
            same_password = slots.unwrap_staff(account, password)
            if same_password is not None:
                return same_password
        if held is not None and slots.matches(held):
            return held
        raise StationKeyNeeded(
            f"大厅已确认 {account} 的密码，但本工位数据已加密，该账户在本工位尚无密钥槽：请由"
            "已在本工位登录的工作人员在场时切换用户登录，或由管理员用恢复密钥解锁"
            "（onewindow user recover）/ the station is locked: sign in where it is unlocked")

    def _hall_needed_text(self, known: dict | None, reason: str) -> str:
        if known is not None and "slot" in known:
            days = f"{self.policy.offline_period.days} 天"
            return f"离线登录期限（{days}）已过，需连接大厅登录一次：{reason}"
        if known is not None and known.get("revoked_at"):
            return f"该账户在本工位的密钥槽已被撤销，只有大厅确认后才能再登录：{reason}"
        return f"该账户首次在本工位登录，需连接大厅：{reason}"

    def _succeeded(self, slots: KeySlots, account: str, unlocked, now: dt.datetime,
                   mode: str) -> StaffIdentity:
        current = station_keys.held()
        if self.store is not None and current is not None and current != unlocked:
            raise station_keys.WrongKey("密钥与已打开的数据库不符 / not this database's key")
        station_keys.hold(unlocked)
        entry = slots.update_staff(account, failed_attempts=0, locked_until=None,
                                   last_sign_in_at=_iso(now))
        self._pending_account = {"account": account,
                                 "display_name": entry.get("display_name") or account,
                                 "role": known_role(entry.get("role")),
                                 "hall_verified_at": _naive_utc(entry.get("hall_verified_at")),
                                 "last_sign_in_at": now}
        self._audit(account, audit.SIGN_IN, audit.OK, {"mode": mode})
        if self.store is not None:
            self.record_in(self.store)
        return StaffIdentity(account=account, display_name=self._pending_account["display_name"],
                             role=self._pending_account["role"], station=self.station)

    def record_in(self, store) -> None:
        """Write what the sign-in left for the database: the account as the station
        knows it, this sign-in's audit rows, and rows queued while it was locked."""
        self.store = store
        account = self._pending_account
        if account is not None:
            def remember():
                StaffAccount.insert(**account, password_hash=None, failed_attempts=0,
                                    locked_until=None).on_conflict(
                    conflict_target=[StaffAccount.account],
                    update={StaffAccount.display_name: account["display_name"],
                            StaffAccount.role: account["role"],
                            StaffAccount.hall_verified_at: account["hall_verified_at"],
                            StaffAccount.last_sign_in_at: account["last_sign_in_at"],
                            StaffAccount.password_hash: None,
                            StaffAccount.failed_attempts: 0,
                            StaffAccount.locked_until: None}).execute()

            store.writer.call(remember)
        queued = KeySlots.load(store.home).take_pending_audit()
        rows, self._pending_rows = [tuple(r) for r in queued] + self._pending_rows, []
        for who, event, outcome, detail, *obj in rows:  # obj: rows that name another object
            audit.append(store, self.station, who, event, obj[0] if obj else who, outcome,
                         detail)

    def _failed(self, slots: KeySlots, account: str, now: dt.datetime, mode: str):
        """Count the failure (in the slot file: readable while locked); lock at the
        limit.  Always raises."""
        policy = self.policy
        entry = slots.staff(account) or {}
        failures = int(entry.get("failed_attempts") or 0) + 1
        locked_until = now + policy.lockout if failures >= policy.max_failures else None
        # A lock starts a fresh count: after it ends the clerk has the full number again.
        slots.update_staff(account, failed_attempts=0 if locked_until else failures,
                           locked_until=_iso(locked_until))
        self._audit(account, audit.SIGN_IN_FAILED, audit.FAILED,
                    {"mode": mode, "failures": failures})
        if locked_until is not None:
            self._audit(account, audit.ACCOUNT_LOCKED, audit.OK,
                        {"until": locked_until.replace(tzinfo=dt.UTC).isoformat()})
            minutes = int(policy.lockout.total_seconds() // 60)
            raise AccountLocked(
                f"用户名或密码错误；已连续失败 {failures} 次，账户锁定 {minutes} 分钟"
                f"（至 {_local_time(self.settings, locked_until)}）/ account locked")
        left = policy.max_failures - failures
        raise SignInError(f"用户名或密码错误（再错 {left} 次将锁定）/ wrong user name or password")


def identity_of(row: StaffAccount, station: str) -> StaffIdentity:
    return StaffIdentity(account=row.account, display_name=row.display_name or row.account,
                         role=known_role(row.role), station=station)


def display_names(accounts) -> dict[str, str]:
    """account → display name, for the accounts this station knows."""
    wanted = {a for a in accounts if a}
    if not wanted:
        return {}
    query = StaffAccount.select(StaffAccount.account, StaffAccount.display_name).where(
        StaffAccount.account.in_(list(wanted)))
    return {row.account: row.display_name or row.account for row in query}
