"""The published OpenAPI document carries the wire contracts themselves.

Bodies that cross the wire are defined once, in ``contracts/*.vN.json``.  The
routes refer to them as ``#/components/schemas/<file stem>`` (e.g.
``case_manifest.v1``), and ``openapi()`` places each contract file there with
its references rewritten to point inside the OpenAPI document, so the file is
self-contained for any OpenAPI 3.1 tool and cannot drift from what both ends
validate (tests/test_contracts.py compares them).
"""

from __future__ import annotations

import copy

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

import contracts


def component_name(contract: str) -> str:
    return contracts.FILES[contract].removesuffix(".json")


def ref(contract: str) -> dict:
    return {"$ref": f"#/components/schemas/{component_name(contract)}"}


def json_body(contract: str, description: str = "") -> dict:
    """``openapi_extra`` of a route whose JSON body is a contract (read raw, checked by it)."""
    body = {"required": True, "content": {"application/json": {"schema": ref(contract)}}}
    if description:
        body["description"] = description
    return {"requestBody": body}


def json_response(contract: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(contract)}}}


_COMPONENT_OF_FILE = {file: component_name(name) for name, file in contracts.FILES.items()}


def _rewrite_refs(node, own_component: str):
    if isinstance(node, dict):
        rewritten = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target, _, pointer = value.partition("#")
                component = _COMPONENT_OF_FILE[target] if target else own_component
                value = f"#/components/schemas/{component}{pointer}"
            rewritten[key] = _rewrite_refs(value, own_component)
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(value, own_component) for value in node]
    return node


def embedded(contract: str) -> dict:
    """Contract ``contract`` as an OpenAPI component (its source file named)."""
    body = copy.deepcopy(contracts.schema(contract))
    body.pop("$schema", None)
    body.pop("$id", None)
    body = _rewrite_refs(body, component_name(contract))
    body["x-contract-file"] = f"contracts/{contracts.FILES[contract]}"
    return body


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version,
                                   description=app.description, routes=app.routes)
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for contract in contracts.FILES:
                schemas[component_name(contract)] = embedded(contract)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi
