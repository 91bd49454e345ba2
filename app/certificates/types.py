"""Certificate types (CT001 …) as the province defines them: app/data/cert_types.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

CERT_TYPES_FILE = Path(__file__).resolve().parents[1] / "data" / "cert_types.json"


@lru_cache(maxsize=1)
def certificate_types() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs in the file's order."""
    document = json.loads(CERT_TYPES_FILE.read_text(encoding="utf-8"))
    return tuple((entry["code"], entry["name"]) for entry in document["types"])


def certificate_type_name(code: str) -> str:
    return dict(certificate_types()).get(code, code)
