"""The dependency direction of DESIGN.md, enforced: ui → app → (local_store, sync,
printing); nothing below ui imports Qt; the reference hall shares no client code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ["app", "local_store", "sync", "printing"]
CLIENT_PACKAGES = {"app", "ui", "local_store", "sync", "printing"}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_core_imports_neither_ui_nor_qt(package):
    offenders = []
    for path in python_files(package):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in ("ui", "PySide6", "shiboken6"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("package", ["local_store", "sync", "printing"])
def test_lower_layers_do_not_import_app(package):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(package)
        for name in imported_modules(path)
        if name.split(".")[0] == "app"
    ]
    assert not offenders, "\n".join(offenders)


def test_reference_hall_shares_no_client_code():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("central_hall")
        for name in imported_modules(path)
        if name.split(".")[0] in CLIENT_PACKAGES
    ]
    assert not offenders, "\n".join(offenders)


def test_contracts_import_neither_end():
    """contracts/ is loaded by the workstation and by the hall; it must need neither."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("contracts")
        for name in imported_modules(path)
        if name.split(".")[0] in CLIENT_PACKAGES | {"central_hall"}
    ]
    assert not offenders, "\n".join(offenders)
