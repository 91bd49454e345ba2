"""The wire contracts between a workstation and a hall: one JSON Schema per body.

The ``*.vN.json`` files beside this module are the contract (see
docs/contracts.md); this module only loads and applies them, so that the
workstation (``sync``) and the reference hall (``central_hall``) check the very
same files.  It imports neither side.

    check("case_manifest", body)      # raises ContractViolation naming the field
    violations("case_manifest", body) # every problem, [(field, message), ...]

The schemas are written in JSON Schema Draft 2020-12 (the dialect of OpenAPI
3.1) using only keywords that mean the same in Draft 7, so two validators can
run them: ``fastjsonschema`` compiles each schema to Python once and answers the
common case (a valid body) ~15 times faster than ``jsonschema``; when it refuses,
``jsonschema`` lists every problem with its field path for the message.  Cost
of one case manifest: see docs/contracts.md ("Cost of checking").
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

HERE = Path(__file__).resolve().parent
BASE_URI = "https://onewindow.example/contracts/"

# Contract name → file.  The version is part of the file name: a change that
# breaks a reader gets a new file (…v2.json) and both are served for a while.
FILES = {
    "common": "common.v1.json",
    "case_manifest": "case_manifest.v1.json",
    "status_updates": "status_updates.v1.json",
    "status_request": "status_request.v1.json",
    "catalog": "catalog.v1.json",
    "case_batch": "case_batch.v1.json",
    "certificates": "certificates.v1.json",
    "certificate_library": "certificate_library.v1.json",
    "application_batch": "application_batch.v1.json",
    "application_submission": "application_submission.v1.json",
    "prereview_decision": "prereview_decision.v1.json",
    "evaluation": "evaluation.v1.json",
    "evaluation_updates": "evaluation_updates.v1.json",
    "evaluation_qr": "evaluation_qr.v1.json",
    "payment_confirmations": "payment_confirmations.v1.json",
    "fee_notice": "fee_notice.v1.json",
    "station_key": "station_key.v1.json",
    "period_report": "period_report.v1.json",
    "audit_batch": "audit_batch.v1.json",
    "audit_receipt": "audit_receipt.v1.json",
    "audit_listing": "audit_listing.v1.json",
}
# Bumped whenever any contract file changes meaning.  Outbox entries parked
# with a contract refusal under an older version are re-queued at start-up
# (sync.outbox.requeue_contract_refusals): the release may have fixed them.
CONTRACT_VERSION = 4  # 3: pre-review decisions carry the station's signature;
# 4: fee notices (payment code ↔ case, payee, clerk, payer) sent to the hall


class ContractViolation(ValueError):
    """A body does not satisfy its contract; ``field`` names the first bad field
    (``applicant.legal_rep``, ``materials[0].digest``), ``problems`` lists all."""

    def __init__(self, contract: str, problems: list[tuple[str, str]]):
        self.contract = contract
        self.problems = problems
        self.field = problems[0][0] if problems else ""
        listed = "; ".join(f"{where}: {message}" for where, message in problems[:5])
        super().__init__(f"{FILES[contract]}: {listed}")


def file_path(name: str) -> Path:
    return HERE / FILES[name]


@cache
def schema(name: str) -> dict:
    """The parsed schema of contract ``name`` (do not modify it)."""
    return json.loads(file_path(name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = [(schema(name)["$id"], Resource.from_contents(schema(name))) for name in FILES]
    return Registry().with_resources(resources)


def _is_instant(text: object) -> bool:
    if not isinstance(text, str):
        return True  # "type" reports the wrong type; a format checks strings only
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None


def _is_date(text: object) -> bool:
    if not isinstance(text, str):
        return True
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# Formats are checked by our own functions (the standard library's ISO parser),
# so the result does not depend on which optional packages happen to be installed.
_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date-time")(_is_instant)
_FORMATS.checks("date")(_is_date)


@cache
def validator(name: str) -> Draft202012Validator:
    """The thorough validator: every problem, with paths (refusals, tests)."""
    return Draft202012Validator(schema(name), registry=_registry(), format_checker=_FORMATS)


def _local_schema(uri: str) -> dict:
    """Resolve a reference to another contract from this folder, never the network."""
    if not uri.startswith(BASE_URI):
        raise ValueError(f"contracts refer only to each other, not to {uri}")
    by_file = {file: name for name, file in FILES.items()}
    # A copy: fastjsonschema rewrites the references of what it is given in place.
    return copy.deepcopy(schema(by_file[uri.removeprefix(BASE_URI).partition("#")[0]]))


@cache
def fast_validator(name: str):
    """The compiled validator of the hot paths (every queued and received manifest)."""
    return fastjsonschema.compile(
        copy.deepcopy(schema(name)), handlers={"https": _local_schema},
        formats={"date-time": _is_instant, "date": _is_date})


def field_path(parts) -> str:
    """("materials", 0, "digest") → "materials[0].digest"."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problems(error) -> list[tuple[str, str]]:
    where = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        return [(field_path([*where, key]), "required")
                for key in error.validator_value if key not in error.instance]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        return [(field_path([*where, key]), "not in the contract")
                for key in error.instance if key not in allowed]
    return [(field_path(where) or "body", error.message)]


def violations(name: str, body: Any) -> list[tuple[str, str]]:
    """Every way ``body`` breaks contract ``name``, shallowest field first."""
    if is_valid(name, body):  # the common case answered by the compiled validator
        return []
    return _explained(name, body)


def _explained(name: str, body: Any) -> list[tuple[str, str]]:
    """jsonschema's full account of a body (slow: only for refusals and tests)."""
    # Stable sort: at equal depth the schema's own order (reason before basis).
    errors = sorted(validator(name).iter_errors(body), key=lambda error: len(error.absolute_path))
    problems = [problem for error in errors for problem in _problems(error)]
    problems.sort(key=lambda problem: problem[0].count(".") + problem[0].count("["))
    return list(dict.fromkeys(problems))


def is_valid(name: str, body: Any) -> bool:
    """Whether ``body`` satisfies contract ``name`` (the fast path, no explanation)."""
    try:
        fast_validator(name)(body)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def check(name: str, body: Any) -> None:
    """Raise ``ContractViolation`` unless ``body`` satisfies contract ``name``."""
    try:
        fast_validator(name)(body)
    except fastjsonschema.JsonSchemaValueException as refusal:
        problems = _explained(name, body) or [
            (field_path(refusal.path[1:]) or "body", refusal.message)]
        raise ContractViolation(name, problems) from None
