"""SM2 signature verification (GB/T 32918.2) for the hall's certificate metadata.

The hall signs with gmssl's ``CryptSM2.sign_with_sm3``: e = SM3(Z_A ‖ M) with
the default user ID ``1234567812345678``, signature r ‖ s in hex.  gmssl's own
``verify_with_sm3`` hashes and does the two 256-bit scalar multiplications in
pure Python (~25 ms per certificate, 60 ms on a busy station), which would
make a look-up of ten certificates miss its 300 ms budget.  So SM3 comes from
OpenSSL through ``hashlib`` when it offers it (gmssl's SM3 otherwise) and the
curve arithmetic, on public data only, from fastecdsa's C code.
``tests/certificates/test_sm2.py`` checks that the result always agrees with
gmssl's own verification.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from fastecdsa.curve import Curve
from fastecdsa.point import Point
from gmssl import sm3
from gmssl.sm2 import default_ecc_table

# The user ID gmssl's sign_with_sm3 uses (the GM/T 0009 default), 16 bytes.
DEFAULT_USER_ID = b"1234567812345678"

_P = int(default_ecc_table["p"], 16)
_A = int(default_ecc_table["a"], 16)
_B = int(default_ecc_table["b"], 16)
_N = int(default_ecc_table["n"], 16)
_GX = int(default_ecc_table["g"][:64], 16)
_GY = int(default_ecc_table["g"][64:], 16)
SM2_CURVE = Curve("SM2", _P, _A, _B, _N, _GX, _GY)
_G = Point(_GX, _GY, curve=SM2_CURVE)


class InvalidPublicKey(ValueError):
    pass


def _gmssl_sm3(data: bytes) -> bytes:
    return bytes.fromhex(sm3.sm3_hash(list(data)))


def _openssl_sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


_sm3 = _openssl_sm3 if "sm3" in hashlib.algorithms_available else _gmssl_sm3


def normalize_public_key(public_key: str) -> str:
    """``public_key`` as 128 lower-case hex digits (x ‖ y), checked to be a point of
    the SM2 curve; an uncompressed ``04`` prefix is dropped."""
    _key(public_key)
    text = public_key.strip().lower()
    return text[2:] if len(text) == 130 else text


@lru_cache(maxsize=8)
def _key(public_key: str) -> tuple[Point, bytes]:
    """The key's curve point and its Z_A (one per pinned key, so cached)."""
    text = public_key.strip().lower()
    if len(text) == 130 and text.startswith("04"):
        text = text[2:]
    if len(text) != 128 or not all(ch in "0123456789abcdef" for ch in text):
        raise InvalidPublicKey("SM2 公钥应为 128 位十六进制（x‖y）")
    try:
        x, y = int(text[:64], 16), int(text[64:], 16)
        point = Point(x, y, curve=SM2_CURVE)  # raises when (x, y) is not on the curve
    except ValueError as exc:
        raise InvalidPublicKey(f"SM2 公钥无效：{exc}") from exc
    entl = (len(DEFAULT_USER_ID) * 8).to_bytes(2, "big")
    z = _sm3(
        entl + DEFAULT_USER_ID
        + b"".join(v.to_bytes(32, "big") for v in (_A, _B, _GX, _GY, x, y))
    )
    return point, z


def verify_sm3_signature(public_key: str, signature: str, message: bytes) -> bool:
    """True when ``signature`` (hex r‖s) is the key holder's SM2 signature of ``message``."""
    point, z = _key(public_key)
    if len(signature) != 128:
        return False
    try:
        r, s = int(signature[:64], 16), int(signature[64:], 16)
    except ValueError:
        return False
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    t = (r + s) % _N
    if t == 0:
        return False
    e = int.from_bytes(_sm3(z + message), "big")
    total = s * _G + t * point
    if total.z == 0:  # the point at infinity
        return False
    return (e + total.x) % _N == r
