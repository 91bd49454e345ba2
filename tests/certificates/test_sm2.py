"""Our SM2 verification agrees with gmssl's own, for good and bad signatures."""

from __future__ import annotations

import random

import pytest
from gmssl.sm2 import CryptSM2

from app.certificates.sm2 import InvalidPublicKey, verify_sm3_signature
from tests.support.certificates import public_key_of


def gmssl_verify(public_key: str, signature: str, message: bytes) -> bool:
    verifier = CryptSM2(private_key="", public_key="")
    verifier.public_key = public_key
    return bool(verifier.verify_with_sm3(signature, message))


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_gmssl(seed):
    rng = random.Random(seed)
    private_key = f"{rng.getrandbits(250) | 1:064x}"
    public_key = public_key_of(private_key)
    signer = CryptSM2(private_key=private_key, public_key=public_key)
    message = f"证照元数据 {rng.getrandbits(64)}".encode() * rng.randint(1, 20)
    signature = signer.sign_with_sm3(message)
    flipped = signature[:10] + format(int(signature[10], 16) ^ 1, "x") + signature[11:]
    cases = [
        (signature, message),
        (signature, message + b"!"),
        (flipped, message),
        (signature[64:] + signature[:64], message),
    ]
    for sig, msg in cases:
        assert verify_sm3_signature(public_key, sig, msg) == gmssl_verify(public_key, sig, msg)
    assert verify_sm3_signature(public_key, signature, message)
    assert verify_sm3_signature("04" + public_key, signature, message)


def test_openssl_and_gmssl_sm3_agree():
    from app.certificates import sm2

    for data in (b"", b"abc", "证照".encode() * 100):
        assert sm2._gmssl_sm3(data) == sm2._sm3(data)
    # GB/T 32905 example 1.
    assert sm2._gmssl_sm3(b"abc").hex().startswith("66c7f0f462eeedd9d1f2d46bdc10e4e2")


def test_out_of_range_and_malformed_signatures_fail():
    public_key = public_key_of("5" * 64)
    assert not verify_sm3_signature(public_key, "0" * 128, b"x")
    assert not verify_sm3_signature(public_key, "f" * 128, b"x")
    assert not verify_sm3_signature(public_key, "zz" * 64, b"x")
    assert not verify_sm3_signature(public_key, "ab", b"x")


def test_a_key_that_is_not_a_curve_point_is_refused():
    with pytest.raises(InvalidPublicKey):
        verify_sm3_signature("1" * 128, "1" * 128, b"x")
    with pytest.raises(InvalidPublicKey):
        verify_sm3_signature("abc", "1" * 128, b"x")
