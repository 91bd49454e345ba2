"""Staff sign-in at the station: online the first time, offline after that.

MOSIP's registration client is the model.  The first sign-in of an account
at this station goes to the hall (``POST /auth/token``), which confirms the
password and names the role; the station then keeps an argon2id hash of the
password and accepts it offline for ``offline_sign_in_days`` (default 7).
After that period the hall has to confirm it again.  ``sign_in_max_failures``
wrong passwords in a row (default 5) lock the account at this station for
``sign_in_lockout_minutes`` (default 30), online or offline alike.

While the offline hash is valid the station does not ask the hall at all:
signing in never waits on the network (DESIGN.md, offline first).  A role or
password changed at the hall therefore reaches this station at the next
online sign-in, at the latest after the offline period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from app.numbering import station_key
from app.staff import audit
from app.staff.roles import StaffIdentity, known_role
from local_store.models import StaffAccount, utcnow


@cache
def _hasher():
    """argon2id with the library's RFC 9106 "low memory" profile (64 MiB, t=3):
    ~0.1 s on a counter PC, and a stolen hash costs an attacker the same per
    guess.  Imported on first use: the window starts without it."""
    from argon2 import PasswordHasher

    return PasswordHasher()

HallVerifier = Callable[[str, str], object]  # (account, password) -> HallToken


class SignInError(Exception):
    """Sign-in refused; the message is one line for the clerk (Chinese)."""


class AccountLocked(SignInError):
    pass


class HallNeeded(SignInError):
    """Only the hall can confirm this password now, and it cannot be reached."""


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


class SignInService:
    def __init__(self, store, settings, *, hall_url: str | None = None,
                 verify_with_hall: HallVerifier | None = None,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.store = store
        self.settings = settings
        self.hall_url = hall_url
        self.policy = SignInPolicy.from_settings(settings)
        self._verify_with_hall = verify_with_hall or hall_verifier(settings, hall_url)
        self._clock = clock

    @property
    def station(self) -> str:
        return station_key(self.settings.region_code, self.settings.station_code)

    def _audit(self, account: str, event: str, outcome: str, detail: dict | None = None):
        audit.append(self.store, self.station, account, event, account, outcome, detail)

    def sign_in(self, account: str, password: str) -> StaffIdentity:
        account = (account or "").strip()
        if not account or not password:
            raise SignInError("请输入用户名和密码 / user name and password required")
        now = self._clock()
        known = StaffAccount.get_or_none(StaffAccount.account == account)
        if known is not None and known.locked_until and known.locked_until > now:
            self._audit(account, audit.SIGN_IN_REFUSED_LOCKED, audit.REFUSED)
            until = _local_time(self.settings, known.locked_until)
            raise AccountLocked(
                f"账户 {account} 因连续登录失败已锁定，请于 {until} 后再试 / account locked")
        offline_valid = (known is not None and known.password_hash
                         and known.hall_verified_at is not None
                         and now - known.hall_verified_at <= self.policy.offline_period)
        if offline_valid:
            return self._offline(known, password, now)
        return self._online(account, known, password, now)

    def _offline(self, known: StaffAccount, password: str, now: dt.datetime) -> StaffIdentity:
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            _hasher().verify(known.password_hash, password)
        except VerifyMismatchError:
            self._failed(known.account, now, "offline")
        except (InvalidHashError, VerificationError) as exc:
            raise HallNeeded("本工位保存的口令摘要无法使用，请连接大厅登录一次") from exc
        return self._succeeded(known.account, now, mode="offline")

    def _online(self, account: str, known: StaffAccount | None, password: str,
                now: dt.datetime) -> StaffIdentity:
        from sync.credentials import CredentialError, HallRefusedCredentials, HallRefusedStation

        if self._verify_with_hall is None:
            self._audit(account, audit.SIGN_IN_FAILED, audit.FAILED, {"reason": "no_hall"})
            raise HallNeeded(self._hall_needed_text(known, "未配置大厅地址"))
        try:
            token = self._verify_with_hall(account, password)
        except HallRefusedCredentials:
            self._failed(account, now, "hall")
        except HallRefusedStation as exc:
            # Not a wrong password: nothing to count towards a lock, but audited.
            self._audit(account, audit.SIGN_IN_FAILED, audit.REFUSED,
                        {"reason": "station_not_allowed"})
            raise SignInError(str(exc)) from exc
        except CredentialError as exc:
            self._audit(account, audit.SIGN_IN_FAILED, audit.FAILED, {"reason": "hall_unreachable"})
            raise HallNeeded(self._hall_needed_text(known, str(exc))) from exc
        password_hash = _hasher().hash(password)
        role = known_role(getattr(token, "role", ""))
        display_name = getattr(token, "display_name", "") or account

        def remember():
            StaffAccount.insert(
                account=account, display_name=display_name, role=role,
                password_hash=password_hash, hall_verified_at=now, failed_attempts=0,
                locked_until=None, last_sign_in_at=now,
            ).on_conflict(conflict_target=[StaffAccount.account], update={
                StaffAccount.display_name: display_name, StaffAccount.role: role,
                StaffAccount.password_hash: password_hash,
                StaffAccount.hall_verified_at: now,
            }).execute()

        self.store.writer.call(remember)
        _keep_hall_token(self.settings, self.hall_url, token)
        return self._succeeded(account, now, mode="online")

    def _hall_needed_text(self, known: StaffAccount | None, reason: str) -> str:
        if known is not None and known.password_hash:
            days = f"{self.policy.offline_period.days} 天"
            return f"离线登录期限（{days}）已过，需连接大厅登录一次：{reason}"
        return f"该账户首次在本工位登录，需连接大厅：{reason}"

    def _succeeded(self, account: str, now: dt.datetime, mode: str) -> StaffIdentity:
        def reset() -> StaffAccount:
            StaffAccount.update(failed_attempts=0, locked_until=None, last_sign_in_at=now).where(
                StaffAccount.account == account).execute()
            return StaffAccount.get(StaffAccount.account == account)

        row = self.store.writer.call(reset)
        self._audit(account, audit.SIGN_IN, audit.OK, {"mode": mode})
        return identity_of(row, self.station)

    def _failed(self, account: str, now: dt.datetime, mode: str):
        """Count the failure; lock at the limit.  Always raises."""
        policy = self.policy

        def count() -> tuple[int, dt.datetime | None]:
            StaffAccount.insert(account=account, display_name=account, failed_attempts=0
                                ).on_conflict_ignore().execute()
            row = StaffAccount.get(StaffAccount.account == account)
            failures = row.failed_attempts + 1
            locked_until = now + policy.lockout if failures >= policy.max_failures else None
            # A lock starts a fresh count: after it ends the clerk has the full number again.
            StaffAccount.update(failed_attempts=0 if locked_until else failures,
                                locked_until=locked_until).where(
                StaffAccount.account == account).execute()
            return failures, locked_until

        failures, locked_until = self.store.writer.call(count)
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
