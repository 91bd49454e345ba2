"""The hall's SM2 key pair and the signature over certificate metadata.

The key pair is made at the first start of a data directory; the private key
never leaves it (file mode 0600).  What is signed is fixed by the contract:
the UTF-8 bytes of ``json.dumps(cert_without_signature, ensure_ascii=False,
sort_keys=True, separators=(",", ":"))``, signed with ``sign_with_sm3``.

The per-signature nonce k comes from ``secrets`` (the OS's CSPRNG).  gmssl
draws it with ``random.choice`` — the Mersenne Twister, whose state can be
recovered from its outputs — when the caller passes none, and a predictable
(or repeated) k gives the private key away from a single signature.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
from pathlib import Path

from gmssl import sm2

PRIVATE_KEY_FILE = "sm2_private_key.hex"
PUBLIC_KEY_FILE = "sm2_public_key.hex"


def canonical_bytes(metadata: dict) -> bytes:
    unsigned = {k: v for k, v in metadata.items() if k != "signature"}
    return json.dumps(unsigned, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _write_private(path: Path, text: str, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # created 0600
    if hasattr(os, "fchmod"):  # POSIX; on Windows the profile directory's ACL applies
        os.fchmod(fd, mode)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class HallSigner:
    def __init__(self, private_key: str, public_key: str):
        self.public_key = public_key
        # Set the key after construction: CryptSM2.__init__ strips a leading
        # "04" with str.lstrip, which also eats a key whose x begins with 0s
        # or 4s (about 1 key in 256), and the signatures then never verify.
        self._sm2 = sm2.CryptSM2(private_key=private_key, public_key="")
        self._sm2.public_key = public_key
        # SM2 signatures are randomised and slow in pure Python: sign each
        # distinct metadata once per process so repeated look-ups stay fast.
        self._cache: dict[bytes, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def load_or_create(cls, data_dir: Path) -> HallSigner:
        private_path = data_dir / PRIVATE_KEY_FILE
        public_path = data_dir / PUBLIC_KEY_FILE
        if private_path.exists() and public_path.exists():
            return cls(private_path.read_text().strip(), public_path.read_text().strip())
        order = int(sm2.default_ecc_table["n"], 16)
        secret = secrets.randbelow(order - 2) + 1
        private_key = f"{secret:064x}"
        public_key = sm2.CryptSM2(private_key=private_key, public_key="")._kg(
            secret, sm2.default_ecc_table["g"]
        )
        _write_private(private_path, private_key + "\n", 0o600)
        _write_private(public_path, public_key + "\n", 0o644)
        return cls(private_key, public_key)

    def signature_of(self, payload: bytes) -> str:
        """A fresh SM2-with-SM3 signature of ``payload``, its nonce from ``secrets``."""
        order = int(sm2.default_ecc_table["n"], 16)
        while True:
            nonce = secrets.randbelow(order - 1) + 1
            signature = self._sm2.sign_with_sm3(payload, f"{nonce:064x}")
            if signature:  # gmssl answers None for the rare k that gives r or s = 0
                return signature

    def sign(self, metadata: dict) -> str:
        payload = canonical_bytes(metadata)
        with self._lock:
            cached = self._cache.get(payload)
        if cached:
            return cached
        signature = self.signature_of(payload)
        with self._lock:
            self._cache[payload] = signature
        return signature


def on_curve(public_key: str) -> bool:
    """Whether ``public_key`` (128 hex digits, x ‖ y) is a point of the SM2 curve."""
    try:
        x, y = int(public_key[:64], 16), int(public_key[64:], 16)
    except ValueError:
        return False
    table = sm2.default_ecc_table
    p, a, b = (int(table[name], 16) for name in ("p", "a", "b"))
    return len(public_key) == 128 and 0 <= x < p and 0 <= y < p and (
        y * y - (x * x * x + a * x + b)) % p == 0


def verify(public_key: str, signature: str, payload: bytes) -> bool:
    """Whether ``signature`` (hex r‖s) is the SM2-with-SM3 signature of ``payload`` by
    the holder of ``public_key`` (a station's enrolled key)."""
    if len(signature) != 128 or not on_curve(public_key):
        return False
    try:
        r, s = int(signature[:64], 16), int(signature[64:], 16)
    except ValueError:
        return False
    order = int(sm2.default_ecc_table["n"], 16)
    if not (1 <= r < order and 1 <= s < order):
        return False
    checker = sm2.CryptSM2(private_key="", public_key="")
    checker.public_key = public_key  # after construction: see HallSigner.__init__
    return bool(checker.verify_with_sm3(signature, payload))
