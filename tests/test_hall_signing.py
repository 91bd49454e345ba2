"""The hall's SM2 signer works for every key, including those gmssl mangles."""

from gmssl import sm2

from central_hall.signing import HallSigner


def test_a_public_key_starting_with_04_still_signs_verifiably():
    # Search deterministic secrets for a public key whose hex begins with "04"
    # (gmssl's constructor lstrips such keys into garbage).
    for secret in range(1, 5000):
        private = f"{secret:064x}"
        public = sm2.CryptSM2(private_key=private, public_key="")._kg(
            secret, sm2.default_ecc_table["g"])
        if public.startswith("04"):
            break
    else:  # pragma: no cover - the curve makes this practically impossible
        raise AssertionError("no key starting with 04 found")
    signer = HallSigner(private, public)
    metadata = {"id": "c1", "holder_name": "张三", "status": "valid"}
    signature = signer.sign(metadata)
    verifier = sm2.CryptSM2(private_key="", public_key="")
    verifier.public_key = public
    from central_hall.signing import canonical_bytes

    assert verifier.verify_with_sm3(signature, canonical_bytes(metadata))


def _verifies(public: str, signature: str, payload: bytes) -> bool:
    verifier = sm2.CryptSM2(private_key="", public_key="")
    verifier.public_key = public
    return verifier.verify_with_sm3(signature, payload)


def test_nonces_come_from_a_secure_source_so_signatures_of_one_message_differ(tmp_path):
    import random

    from central_hall.signing import canonical_bytes

    signer = HallSigner.load_or_create(tmp_path)
    payload = canonical_bytes({"id": "c1", "holder_name": "张三", "status": "valid"})
    # gmssl's own nonce is random.choice: with the Mersenne Twister in a known
    # state it repeats, and two signatures with one nonce reveal the private key.
    random.seed(13)
    first = signer.signature_of(payload)
    random.seed(13)
    second = signer.signature_of(payload)
    assert first != second
    # Same message, different nonce: r differs (r = e + x(kG)), both verify.
    assert first[:64] != second[:64]
    assert _verifies(signer.public_key, first, payload)
    assert _verifies(signer.public_key, second, payload)
