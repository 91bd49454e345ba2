"""The code tables of the catalog as data (``app/data/codes.json``, ``cert_types.json``).

Provinces differ and the national tables change, so meanings are looked up
here rather than written into code.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def code_tables() -> dict[str, dict]:
    text = resources.files("app.data").joinpath("codes.json").read_text("utf-8")
    return {name: table for name, table in json.loads(text).items() if not name.startswith("_")}


@cache
def cert_types() -> dict[str, dict]:
    text = resources.files("app.data").joinpath("cert_types.json").read_text("utf-8")
    return {entry["code"]: entry for entry in json.loads(text)["types"]}


def code_meaning(table: str, code) -> str | None:
    """Meaning of ``code`` in ``table`` (e.g. task_type "01" → 行政许可), None if unknown."""
    key = str(code).lower() if isinstance(code, bool) else str(code)
    return code_tables().get(table, {}).get("codes", {}).get(key)


def cert_type_name(code: str | None) -> str | None:
    entry = cert_types().get(code) if code else None
    return entry["name"] if entry else None
