"""The station's data key and its key slots (issue 12, item 5) — the key API.

For other parts of the program (blob encryption, the sync child, the CLI):

    from app.security import keys
    keys.blob_key()       # 32 bytes: the blob store's key (HKDF subkey "onewindow/v1/blobs")
    keys.database_key()   # 32 bytes: the raw SQLCipher key of the case database
    keys.data_key()       # 32 bytes: the data key itself (only to hand it on, e.g. to a child)
    keys.station_keys()   # local_store.keys.StationKeys: all of the above in one object

Each raises ``StationLocked`` while nobody has unlocked the station in this
process.  ``Store.open`` uses the same held keys (``local_store.keys.held``),
so a store opened in a process has them at ``store.keys`` too.

Key hierarchy
-------------
One random 32-byte **data key** per station.  It is never written in the
clear: ``keyslots.json`` (0600, in the station home, beside — not inside —
the encrypted database) keeps it wrapped (AES-256-GCM) in *slots*, like LUKS:

- one **staff slot** per account that signed in here, wrapped with a key
  derived from that account's password by argon2id
  (``argon2.low_level.hash_secret_raw``; 64 MiB, t=3, p=4 by default, the
  RFC 9106 low-memory profile; parameters kept per slot).  A slot that
  unwraps proves the password offline *and* yields the data key, so offline
  sign-in needs no password hash inside the database (which is unreadable
  before the key is known).  The slot entry also keeps what offline sign-in
  needs: display name, role, when the hall last confirmed the password, and
  the failure count / lock of the account;
- one **recovery slot**, wrapped with a key derived (HKDF) from the
  administrator recovery key — 48 random digits in 8 groups, shown once
  when the station's keys are created (its first sign-in), to be printed or
  written down and kept by the administrator.  It opens the station when
  every staff password is lost (``onewindow user recover``).

Subkeys are derived from the data key with HKDF-SHA256 (``local_store.keys``):
one for the database, one for blobs; changing a password only rewrites a
slot, never the data.

Who unlocks: a sign-in (window or ``onewindow user login``) unwraps the
account's slot.  The first sign-in of an account at a station is confirmed
by the hall (existing rule); its slot is then added with the data key the
station already holds unlocked (or, with the same password, from its old
slot).  At the station's very first sign-in there are no slots yet: the
data key and the recovery key are created then.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

from local_store.keys import (
    DATA_KEY_BYTES,
    StationKeys,
    StationLocked,
    WrongKey,
    held,
    hkdf_sha256,
    hold,
    require_held,
)

__all__ = [
    "KEYSLOTS_FILE",
    "KdfParams",
    "KeySlots",
    "LastSlotRefused",
    "NoSlot",
    "RecoveryKeyWrong",
    "StationKeys",
    "StationLocked",
    "WrongKey",
    "blob_key",
    "data_key",
    "database_key",
    "forget",
    "hold",
    "station_keys",
    "unlocked",
]

KEYSLOTS_FILE = "keyslots.json"
LOCK_FILE = ".keyslots.lock"
TEMP_PREFIX = ".keyslots-"  # a new file being written, renamed over KEYSLOTS_FILE
FORMAT = "onewindow-keyslots/1"
RECOVERY_SLOT = "recovery"
RECOVERY_GROUPS, RECOVERY_GROUP_DIGITS = 8, 6
RECOVERY_INFO = b"onewindow/v1/recovery-slot"
# Kept in a staff entry whose slot was revoked (and dropped when it gets a slot again).
REVOCATION_FIELDS = ("revoked_at", "revoked_by", "revoke_reason")


# --- the keys of the unlocked station (this process) ---------------------------

def station_keys() -> StationKeys:
    """The unlocked station's keys; ``StationLocked`` when nobody unlocked it here."""
    return require_held()


def data_key() -> bytes:
    return require_held().data_key


def database_key() -> bytes:
    return require_held().database


def blob_key() -> bytes:
    """The blob store's 32-byte key (HKDF subkey of the data key)."""
    return require_held().blobs


def unlocked() -> bool:
    return held() is not None


def forget() -> None:
    """Lock the station in this process (the keys are dropped from memory)."""
    hold(None)


# --- key slots -------------------------------------------------------------------

class NoSlot(Exception):
    """This account has no key slot at this station (its first sign-in here)."""


class RecoveryKeyWrong(Exception):
    pass


class LastSlotRefused(Exception):
    """Revoking this slot would leave no way to open the station's data."""


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost of a new staff slot (kept in the slot: old slots keep theirs)."""

    time_cost: int = 3
    memory_kib: int = 65_536
    parallelism: int = 4

    @classmethod
    def from_settings(cls, settings) -> KdfParams:
        return cls(time_cost=int(getattr(settings, "key_slot_kdf_time_cost", cls.time_cost)),
                   memory_kib=int(getattr(settings, "key_slot_kdf_memory_kib", cls.memory_kib)),
                   parallelism=int(getattr(settings, "key_slot_kdf_parallelism",
                                           cls.parallelism)))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _argon2id(password: str, salt: bytes, kdf: dict) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=int(kdf["t"]),
                           memory_cost=int(kdf["m"]), parallelism=int(kdf["p"]),
                           hash_len=32, type=Type.ID)


def _aad(slot_name: str, check: str) -> bytes:
    # Binds a slot to its name and station: a slot copied to another account's
    # place, or from another station's file, does not unwrap.
    return f"{FORMAT}|{slot_name}|{check}".encode()


def _wrap(wrapping_key: bytes, keys: StationKeys, slot_name: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(wrapping_key).encrypt(nonce, keys.data_key, _aad(slot_name, keys.check))
    return {"nonce": _b64(nonce), "wrapped": _b64(sealed)}


def _unwrap(wrapping_key: bytes, slot: dict, slot_name: str, check: str) -> StationKeys | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(wrapping_key).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]),
                                           _aad(slot_name, check))
    except (InvalidTag, KeyError, ValueError):
        return None
    keys = StationKeys(key)
    return keys if keys.check == check else None


def staff_slot_name(account: str) -> str:
    return f"staff:{account}"


def new_recovery_code() -> str:
    digits = "".join(secrets.choice("0123456789")
                     for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_DIGITS))
    return "-".join(digits[i:i + RECOVERY_GROUP_DIGITS]
                    for i in range(0, len(digits), RECOVERY_GROUP_DIGITS))


def _recovery_digits(code: str) -> str:
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != RECOVERY_GROUPS * RECOVERY_GROUP_DIGITS:
        raise RecoveryKeyWrong(
            f"恢复密钥应为 {RECOVERY_GROUPS} 组共 {RECOVERY_GROUPS * RECOVERY_GROUP_DIGITS} 位数字"
            " / the recovery key has 48 digits")
    return digits


def _recovery_wrapping_key(code: str, salt: bytes) -> bytes:
    # 48 random digits are ~159 bits: a fast KDF is enough (no password to guess).
    return hkdf_sha256(_recovery_digits(code).encode("ascii"), RECOVERY_INFO, salt=salt)


def _set_recovery(data: dict, keys: StationKeys, code: str) -> None:
    salt = os.urandom(16)
    data[RECOVERY_SLOT] = {
        "kdf": {"name": "hkdf-sha256", "salt": _b64(salt)},
        "issued_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **_wrap(_recovery_wrapping_key(code, salt), keys, RECOVERY_SLOT)}


def _require_station(data: dict, keys: StationKeys) -> None:
    if "check" not in data:
        raise RuntimeError("本工位尚无数据密钥 / the station has no keys yet")
    if keys.check != data["check"]:
        raise WrongKey("密钥与本工位不符 / not this station's key")


@contextmanager
def _exclusive(lock_path: Path):
    """An exclusive lock between processes for one read-change-write of the file."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)


class KeySlots:
    """``keyslots.json`` of one station home: read, changed, written atomically."""

    def __init__(self, home: Path, data: dict | None = None):
        self.home = Path(home)
        self.data = data

    @property
    def path(self) -> Path:
        return self.home / KEYSLOTS_FILE

    @classmethod
    def load(cls, home: Path) -> KeySlots:
        slots = cls(home)
        try:
            raw = json.loads(slots.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return slots
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"密钥槽文件无法读取：{slots.path}：{exc}") from exc
        if raw.get("format") != FORMAT:
            raise RuntimeError(f"密钥槽文件格式不明：{slots.path}")
        slots.data = raw
        return slots

    @property
    def exists(self) -> bool:
        """The station has keys (a data key and its slots).  The file may exist
        without them: failure counts of a station whose first sign-in failed."""
        return self.data is not None and "check" in self.data

    @property
    def check(self) -> str:
        return self.data["check"]

    def staff(self, account: str) -> dict | None:
        return (self.data or {}).get("staff", {}).get(account)

    def accounts(self) -> list[str]:
        return sorted((self.data or {}).get("staff", {}))

    def matches(self, keys: StationKeys) -> bool:
        return self.exists and keys.check == self.check

    # -- creating the station's keys ------------------------------------------------
    def create(self, keys: StationKeys | None = None) -> tuple[StationKeys, str]:
        """The station's first keys: a new data key (or ``keys``) and a recovery key.
        Returns (keys, recovery code); the code is shown once and kept nowhere here."""
        keys = keys or StationKeys(secrets.token_bytes(DATA_KEY_BYTES))
        code = new_recovery_code()

        def create(data: dict) -> None:
            # Checked under the lock: two first sign-ins at once must not each make a key.
            if "check" in data:
                raise RuntimeError("本工位已有数据密钥 / the station already has its keys")
            data.update({"check": keys.check,
                         "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
            _set_recovery(data, keys, code)

        self._change(create)
        return keys, code

    def new_recovery_key(self, keys: StationKeys) -> str:
        """Issue a new recovery key (the old one stops working); returns it, once.
        The file is replaced in one rename: until then the old key still opens the
        station, after it only the new one does."""
        code = new_recovery_code()

        def reissue(data: dict) -> None:
            _require_station(data, keys)
            _set_recovery(data, keys, code)

        self._change(reissue)
        return code

    @property
    def has_recovery_slot(self) -> bool:
        return self.exists and RECOVERY_SLOT in self.data

    @property
    def recovery_issued_at(self) -> str | None:
        return (self.data or {}).get(RECOVERY_SLOT, {}).get("issued_at")

    # -- unwrapping -----------------------------------------------------------------------
    def unwrap_staff(self, account: str, password: str) -> StationKeys | None:
        """The station's keys when ``password`` opens ``account``'s slot; None when it
        does not (wrong password).  ``NoSlot`` when the account has none here."""
        entry = self.staff(account)
        if entry is None or "slot" not in entry:
            raise NoSlot(account)
        slot = entry["slot"]
        wrapping = _argon2id(password, _unb64(slot["kdf"]["salt"]), slot["kdf"])
        return _unwrap(wrapping, slot, staff_slot_name(account), self.check)

    def unwrap_recovery(self, code: str) -> StationKeys:
        if not self.exists or RECOVERY_SLOT not in self.data:
            raise RecoveryKeyWrong("本工位没有恢复密钥槽 / no recovery slot at this station")
        slot = self.data[RECOVERY_SLOT]
        keys = _unwrap(_recovery_wrapping_key(code, _unb64(slot["kdf"]["salt"])), slot,
                       RECOVERY_SLOT, self.check)
        if keys is None:
            raise RecoveryKeyWrong("恢复密钥不正确 / wrong recovery key")
        return keys

    # -- staff slots ----------------------------------------------------------------------
    def set_staff_slot(self, account: str, password: str, keys: StationKeys,
                       kdf: KdfParams, profile: dict) -> None:
        """Wrap the data key for ``account`` under ``password`` (replacing its old
        slot) and keep ``profile`` (display_name, role, hall_verified_at)."""
        _require_station(self.data or {}, keys)
        salt = os.urandom(16)
        params = {"name": "argon2id", "t": kdf.time_cost, "m": kdf.memory_kib,
                  "p": kdf.parallelism, "salt": _b64(salt)}
        # The slow argon2id runs before the lock is taken: other writers do not wait on it.
        slot = {"kdf": params, **_wrap(_argon2id(password, salt, params), keys,
                                       staff_slot_name(account))}

        def store_slot(data: dict) -> None:
            _require_station(data, keys)
            entry = data["staff"].get(account, {})
            for field in REVOCATION_FIELDS:  # a slot given again after a revocation
                entry.pop(field, None)
            entry.update(profile)
            entry.update({"slot": slot, "failed_attempts": 0, "locked_until": None})
            data["staff"][account] = entry

        self._change(store_slot)

    def staff_with_slots(self) -> list[str]:
        """Accounts whose password opens the station here (offline sign-in)."""
        return sorted(account for account, entry in (self.data or {}).get("staff", {}).items()
                      if "slot" in entry)

    def revoke_staff_slot(self, account: str, *, revoked_by: str, reason: str) -> dict:
        """Remove ``account``'s slot: its password no longer unwraps the data key here.
        The entry stays (without its slot) with who revoked it, when and why, and the
        account's failure count and lock.  ``NoSlot`` when it has no slot;
        ``LastSlotRefused`` when no other way into the station would be left (no other
        staff slot and no recovery slot).  Returns the entry as it is now."""

        def revoke(data: dict) -> dict:
            entry = data.get("staff", {}).get(account)
            if entry is None or "slot" not in entry:
                raise NoSlot(account)
            others = [name for name, other in data["staff"].items()
                      if name != account and "slot" in other]
            if not others and RECOVERY_SLOT not in data:
                raise LastSlotRefused(
                    f"{account} 的密钥槽是本工位唯一能打开数据的密钥槽（没有恢复密钥槽），"
                    "不能撤销 / the last way into the station")
            del entry["slot"]
            entry.update({"revoked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                          "revoked_by": revoked_by, "revoke_reason": reason,
                          "hall_verified_at": None})
            return dict(entry)

        return self._change(revoke)

    def remove_staff_slot(self, account: str) -> bool:
        """Forget ``account`` entirely (slot and sign-in state).  Unlike
        ``revoke_staff_slot`` nothing checks what is left: for tests and repairs."""
        return self._change(lambda data: data["staff"].pop(account, None) is not None)

    def update_staff(self, account: str, **fields) -> dict:
        """Change an account's sign-in state (failures, lock) — with or without a slot."""

        def update(data: dict) -> dict:
            entry = data["staff"].setdefault(account, {})
            entry.update(fields)
            return dict(entry)

        return self._change(update)

    # -- audit rows waiting for the database ----------------------------------------------
    def queue_audit(self, row: dict) -> None:
        """A sign-in event that happened while the database was locked (a failed
        sign-in before anyone unlocked it); moved into the audit trail at the next unlock."""
        self._change(lambda data: data.setdefault("pending_audit", []).append(row))

    def take_pending_audit(self) -> list[dict]:
        if not (self.data or {}).get("pending_audit"):
            return []  # nothing queued when the file was read: no lock, no write

        def take(data: dict) -> list[dict]:
            rows = list(data.get("pending_audit", []))
            data["pending_audit"] = []
            return rows

        return self._change(take)

    # -- changing the file ----------------------------------------------------------------
    def _change(self, change):
        """Apply ``change`` to the file as it is on disk now, under an exclusive lock,
        and write it back; ``self.data`` becomes the result.  Every writer goes through
        here, so a process holding an older copy (the window signing a clerk in while
        ``onewindow user revoke`` runs) cannot write a revoked slot back."""
        self.home.mkdir(parents=True, exist_ok=True)
        with _exclusive(self.home / LOCK_FILE):
            current = KeySlots.load(self.home).data or {
                "format": FORMAT, "staff": {}, "pending_audit": []}
            result = change(current)
            self.data = current
            # A writer killed before its rename left its new file behind; nobody else
            # writes while the lock is held, so any such file is a leftover.
            for leftover in self.home.glob(f"{TEMP_PREFIX}*"):
                leftover.unlink(missing_ok=True)
            self.save()
        return result

    # -- the file --------------------------------------------------------------------------
    def save(self) -> None:
        """Write a new file (0600), fsync it, rename it over the old one."""
        self.home.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.home, prefix=TEMP_PREFIX)
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.home)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
