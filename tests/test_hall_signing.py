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
