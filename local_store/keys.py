"""The keys the local store is opened with (issue 12, item 5).

One 32-byte *data key* per station, never written anywhere in the clear
(``app.security.keys`` keeps it wrapped in key slots and unwraps it at
sign-in).  From it, HKDF-SHA256 (RFC 5869) derives one subkey per use, so a
key given to one part can never decrypt another's data:

- ``database``: the raw SQLCipher key of the case database (``local_store.db``);
- ``blobs``: the SM4-GCM key of the attachment blob store.

This module holds the keys of the station unlocked in *this process* (set
by ``app.security.keys`` after a sign-in, by the sync child after reading
them from its pipe, by a CLI command after asking the key agent).  It is
below ``app`` on purpose: ``Store.open`` finds them here without importing
the application layer.  HKDF is written out with the standard library's
``hmac``: the window's start-up does not import ``cryptography`` for it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass, field

DATA_KEY_BYTES = 32
DATABASE_INFO = b"onewindow/v1/case-database"
BLOBS_INFO = b"onewindow/v1/blobs"
CHECK_INFO = b"onewindow/v1/key-check"


class StationLocked(RuntimeError):
    """The case database is encrypted and this process holds no key for it."""


class WrongKey(RuntimeError):
    """The key held does not open this station's case database."""


def hkdf_sha256(key: bytes, info: bytes, length: int = 32, salt: bytes = b"") -> bytes:
    """HKDF-SHA256 (RFC 5869): extract, then expand to ``length`` bytes."""
    prk = hmac.new(salt or b"\0" * 32, key, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


@dataclass(frozen=True)
class StationKeys:
    """The data key of one station and the subkeys derived from it."""

    data_key: bytes = field(repr=False)

    def __post_init__(self):
        if not isinstance(self.data_key, bytes) or len(self.data_key) != DATA_KEY_BYTES:
            raise ValueError("the data key is 32 bytes")

    @property
    def database(self) -> bytes:
        """Raw 256-bit SQLCipher key of the case database."""
        return hkdf_sha256(self.data_key, DATABASE_INFO)

    @property
    def blobs(self) -> bytes:
        """256-bit key for the blob store (SM4 takes its first 16 bytes)."""
        return hkdf_sha256(self.data_key, BLOBS_INFO)

    @property
    def check(self) -> str:
        """A public fingerprint (hex) that tells whether a key is this station's,
        kept in the key-slot file; it reveals nothing of the key (HKDF output)."""
        return hkdf_sha256(self.data_key, CHECK_INFO, 16).hex()

    def sqlcipher_pragma_key(self) -> str:
        """The value of ``PRAGMA key`` for a raw key: SQLCipher uses it as the
        AES-256 key directly, without running PBKDF2 at every open."""
        return f"x'{self.database.hex()}'"


_lock = threading.Lock()
_held: StationKeys | None = None


def hold(keys: StationKeys | None) -> None:
    """This process's station is unlocked with ``keys`` (None: locked again)."""
    global _held
    with _lock:
        _held = keys


def held() -> StationKeys | None:
    return _held


def require_held() -> StationKeys:
    keys = _held
    if keys is None:
        raise StationLocked("工位数据已加密，请先登录 / the station is locked: sign in first")
    return keys
