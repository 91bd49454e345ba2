"""What a signature covers, for the bodies that carry one.

Both ends compute the signed bytes with these functions (the station to sign,
the hall to verify), so the two can never disagree about field order, spacing
or escaping: the canonical form is part of the contract, like the schema.
"""

from __future__ import annotations

import json

# The fields of a pre-review decision its signature covers (prereview_decision.v1.json),
# beside the application the decision is about (the URL's id, not a body field).
DECISION_SIGNED_FIELDS = ("decision_id", "round", "decision", "reason", "basis", "missing",
                          "case_number", "decided_by", "decided_at")


def canonical_json(value) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces, as the hall's certificate metadata."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def decision_bytes(application_id: str, body: dict) -> bytes:
    """The bytes a station signs for its decision on ``application_id``: the
    canonical JSON of the application id and the decision's fields as sent
    (a field the body leaves out is signed as null)."""
    signed = {name: body.get(name) for name in DECISION_SIGNED_FIELDS}
    signed["application_id"] = application_id
    return canonical_json(signed)
