"""The station's SM2 key and its signature on every pre-review decision.

"Every decision is signed by the clerk" (issue 14): when the clerk decides, the
decision's canonical bytes (``contracts.signed.decision_bytes`` — application,
decision id, round, decision, reason, basis, missing materials, case number,
clerk, time) are signed with the station's SM2 key, and the signature travels
with the decision.  The hall verifies it against the public key this station
enrolled (the pre-review lane sends it once, ``sync.prereview.enrol_signing_key``)
and refuses a decision whose signature does not verify, so a decision changed
anywhere between the clerk and the hall — in the outbox, on the wire — is
refused rather than shown to the applicant.

The key pair is made at the station's first decision and kept in the case
database (encrypted at rest with it, issue 12), one per station.  Signing uses
gmssl's ``sign_with_sm3`` with the nonce k drawn from ``secrets`` (the OS's
CSPRNG), as the hall does (``central_hall/signing.py``): gmssl's own default
draws k with ``random``, whose Mersenne-Twister state can be recovered from its
outputs, and a predictable k gives the private key away from one signature.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from gmssl import sm2

from app.certificates.sm2 import verify_sm3_signature
from app.numbering import station_key
from contracts.signed import decision_bytes
from local_store.models import StationSigningKey

_ORDER = int(sm2.default_ecc_table["n"], 16)


class StationKey(NamedTuple):
    station: str
    private_key: str
    public_key: str


def _new_key_pair() -> tuple[str, str]:
    secret = secrets.randbelow(_ORDER - 2) + 1
    private_key = f"{secret:064x}"
    public_key = sm2.CryptSM2(private_key=private_key, public_key="")._kg(
        secret, sm2.default_ecc_table["g"])
    return private_key, public_key


def station_signing_key(store, settings) -> StationKey:
    """This station's key pair, made (in one writer unit) the first time it is needed."""
    station = station_key(settings.region_code, settings.station_code)
    row = StationSigningKey.get_or_none(StationSigningKey.station == station)
    if row is None:
        private_key, public_key = _new_key_pair()

        def create() -> StationSigningKey:
            # Another thread may have made it meanwhile: the first key stands.
            existing = StationSigningKey.get_or_none(StationSigningKey.station == station)
            return existing or StationSigningKey.create(
                station=station, private_key=private_key, public_key=public_key)

        row = store.writer.call(create)
    return StationKey(station, row.private_key, row.public_key)


def sign(key: StationKey, payload: bytes) -> str:
    """A fresh SM2-with-SM3 signature (hex r‖s) of ``payload``, its nonce from ``secrets``."""
    # Set the public key after construction: CryptSM2.__init__ strips a leading
    # "04" with str.lstrip, which also eats a key whose x begins with 0s or 4s.
    signer = sm2.CryptSM2(private_key=key.private_key, public_key="")
    signer.public_key = key.public_key
    while True:
        nonce = secrets.randbelow(_ORDER - 1) + 1
        signature = signer.sign_with_sm3(payload, f"{nonce:064x}")
        if signature:  # gmssl answers None for the rare k that gives r or s = 0
            return signature


def sign_decision(key: StationKey, application_id: str, wire: dict) -> str:
    """The signature a decision body (``sync.prereview.wire_decision``) carries."""
    signature = sign(key, decision_bytes(application_id, wire))
    # Never queue a signature the hall would refuse (a wrong key in the store, say).
    if not verify_sm3_signature(key.public_key, signature, decision_bytes(application_id, wire)):
        raise RuntimeError("本工位签名密钥无法验证自己的签名，请联系管理员")
    return signature
