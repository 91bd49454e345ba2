"""Enrolment, sign-in and the hall token — kept in the OS keyring only.

The clerk's password is sent once to ``POST /auth/token``; the bearer token
that comes back is stored with ``keyring`` under the service
``onewindow:<hall url>``.  When this machine has no usable keyring (no
backend, only the "fail" backend, or only plaintext/terminal-prompt file
backends that ``keyrings.alt`` adds to the chain) we say so clearly and store
nothing: a token is never written to a plain file by this program.

A backend chosen explicitly (``PYTHON_KEYRING_BACKEND``, ``keyringrc.cfg`` or
``keyring.set_keyring``) is the administrator's decision and is used as is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from sync.http import HallClient, HallFailure, json_body, transport_problem

TOKEN_ACCOUNT = "access-token"

# Backends that are not a secure store: plaintext files, or ones that prompt
# for a master password on the terminal (which hangs a GUI).
INSECURE_BACKENDS = frozenset({
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file.EncryptedKeyring",
    "keyrings.alt.Windows.RegistryKeyring",
    "keyring.backends.null.Keyring",
})

NO_KEYRING_MESSAGE = (
    "本机没有可用的安全密钥环（系统钥匙串），无法保存大厅登录凭据；"
    "请安装并解锁 gnome-keyring、KWallet 或 Windows 凭据管理器。凭据不会以明文保存。"
)


class CredentialError(Exception):
    """Signing in or storing the token failed; the message is for the clerk."""


class NoSecureKeyring(CredentialError):
    pass


@dataclass
class HallToken:
    access_token: str
    station: str
    user: str
    expires_at: str  # ISO, UTC
    # The account's role at the hall.  A hall that does not name one yet is
    # taken to mean the least privileged role.
    role: str = "clerk"
    display_name: str = ""

    @property
    def expired(self) -> bool:
        try:
            expires = dt.datetime.fromisoformat(self.expires_at)
        except ValueError:
            return False
        return expires <= dt.datetime.now(dt.UTC)


def service_name(hall_url: str) -> str:
    return f"onewindow:{hall_url.rstrip('/')}"


def _qualified(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _secure(backend: keyring.backend.KeyringBackend) -> bool:
    return not isinstance(backend, fail.Keyring) and _qualified(backend) not in INSECURE_BACKENDS


def secure_backend() -> keyring.backend.KeyringBackend | None:
    """The keyring backend tokens go to, or None when there is no secure one."""
    current = keyring.get_keyring()
    if isinstance(current, chainer.ChainerBackend):
        # The default chain: take its best *secure* member, skip plaintext files.
        usable = [backend for backend in current.backends if _secure(backend)]
        return usable[0] if usable else None
    if isinstance(current, fail.Keyring) or _qualified(current) == "keyring.backends.null.Keyring":
        return None
    return current  # explicitly configured


def keyring_problem() -> str | None:
    """A clear sentence when tokens cannot be stored securely here (for doctor and UI)."""
    return None if secure_backend() is not None else NO_KEYRING_MESSAGE


def _backend() -> keyring.backend.KeyringBackend:
    backend = secure_backend()
    if backend is None:
        raise NoSecureKeyring(NO_KEYRING_MESSAGE)
    return backend


def save_token(hall_url: str, token: HallToken) -> None:
    payload = json.dumps(token.__dict__, ensure_ascii=False)
    try:
        _backend().set_password(service_name(hall_url), TOKEN_ACCOUNT, payload)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(f"密钥环拒绝保存大厅凭据：{exc}") from exc


def load_token(hall_url: str) -> HallToken | None:
    """The stored token for ``hall_url`` (None = not signed in)."""
    try:
        raw = _backend().get_password(service_name(hall_url), TOKEN_ACCOUNT)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(f"无法读取密钥环中的大厅凭据：{exc}") from exc
    if not raw:
        return None
    try:
        return HallToken(**json.loads(raw))
    except (ValueError, TypeError):
        return None


def forget_token(hall_url: str) -> None:
    try:
        _backend().delete_password(service_name(hall_url), TOKEN_ACCOUNT)
    except keyring.errors.PasswordDeleteError:
        pass


class HallRefusedCredentials(CredentialError):
    """The hall answered: unknown user or wrong password (not a link problem)."""


class HallRefusedStation(CredentialError):
    """The password was right, but the account may not sign in at this station."""


def request_token(hall_url: str, station: str, user: str, password: str, *,
                  ca_bundle: str = "", timeout_s: float = 15.0) -> HallToken:
    """POST /auth/token and return the token; stores nothing.

    Staff sign-in at the station uses this to have the hall confirm a
    password (and learn the role) even where no keyring can keep the token.
    """
    insecure = transport_problem(hall_url)
    if insecure:  # the password would cross the network in clear
        raise CredentialError(f"登录大厅失败：{insecure}")
    client = HallClient(hall_url, ca_bundle=ca_bundle, timeout_s=timeout_s)
    try:
        response = client.request(
            "POST", "/auth/token", json={"station": station, "user": user, "password": password}
        )
        body = json_body(response)
    except HallFailure as failure:
        if failure.code == "station_not_allowed":
            raise HallRefusedStation(f"登录大厅失败：{failure.message}") from failure
        if failure.status in (401, 403):
            raise HallRefusedCredentials(f"登录大厅失败：{failure.message}") from failure
        raise CredentialError(f"登录大厅失败：{failure.message}") from failure
    finally:
        client.close()
    token_text = body.get("access_token")
    if not token_text:
        raise CredentialError("登录大厅失败：大厅没有返回令牌")
    expires_in = float(body.get("expires_in") or 86400)
    return HallToken(
        access_token=str(token_text),
        station=str(body.get("station") or station),
        user=str(body.get("user") or user),
        expires_at=(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in)).isoformat(),
        role=str(body.get("role") or "clerk"),
        display_name=str(body.get("display_name") or body.get("name") or ""),
    )


def sign_in(hall_url: str, station: str, user: str, password: str, *,
            ca_bundle: str = "", timeout_s: float = 15.0) -> HallToken:
    """POST /auth/token and keep the token in the keyring."""
    backend_problem = keyring_problem()
    if backend_problem:  # refuse before the password even leaves the machine
        raise NoSecureKeyring(backend_problem)
    token = request_token(hall_url, station, user, password,
                          ca_bundle=ca_bundle, timeout_s=timeout_s)
    save_token(hall_url, token)
    return token


def split_station(station: str) -> tuple[str, str]:
    """The hall's 9-digit station id → (region_code 6, station_code 3)."""
    # ASCII digits only: str.isdigit() also takes fullwidth and Devanagari digits.
    if len(station) != 9 or not (station.isascii() and station.isdigit()):
        raise CredentialError(f"工位编号应为 9 位数字（6 位区划 + 3 位工位）：{station!r}")
    return station[:6], station[6:]


def enroll(settings, hall_url: str, station: str, user: str, password: str) -> HallToken:
    """Enrol this workstation: sign in, then remember the hall and the station.

    ``settings`` is changed in place (hall_url, region_code, station_code);
    the caller saves it.  Nothing is changed when the sign-in fails.
    """
    region, station_code = split_station(station)
    token = sign_in(hall_url, station, user, password,
                    ca_bundle=settings.ca_bundle, timeout_s=settings.http_timeout_s)
    settings.hall_url = hall_url.rstrip("/")
    settings.region_code = region
    settings.station_code = station_code
    return token
