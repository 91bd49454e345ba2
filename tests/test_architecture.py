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


# The floors under app/: the window reaches them only through app/ (its use cases and
# the composition root, app/composition.py), never directly — not even lazily inside a
# function or under TYPE_CHECKING, which is why every import in the tree counts.
FLOORS_BELOW_APP = {"local_store", "sync", "printing"}


def ui_imports_skipping_app(package_root: Path) -> list[str]:
    return [
        f"{path.relative_to(package_root.parent)} imports {name}"
        for path in sorted(package_root.rglob("*.py"))
        for name in imported_modules(path)
        if name.split(".")[0] in FLOORS_BELOW_APP
    ]


def test_ui_talks_to_app_only():
    offenders = ui_imports_skipping_app(ROOT / "ui")
    assert not offenders, "ui/ must go through app/:\n" + "\n".join(offenders)


@pytest.mark.parametrize("floor", sorted(FLOORS_BELOW_APP))
def test_the_check_catches_a_widget_reaching_past_app(tmp_path, floor):
    """The check above would fail on any of the three floors, at the top of a module,
    inside a function or behind TYPE_CHECKING — so a pass means something."""
    widget = tmp_path / "ui" / "widget.py"
    widget.parent.mkdir()
    widget.write_text(
        "from typing import TYPE_CHECKING\n"
        f"import {floor}\n"
        "def f():\n"
        f"    from {floor}.x import y\n"
        "if TYPE_CHECKING:\n"
        f"    from {floor} import z\n",
        encoding="utf-8",
    )
    assert ui_imports_skipping_app(tmp_path / "ui") == [
        f"ui/widget.py imports {floor}",
        f"ui/widget.py imports {floor}.x",
        f"ui/widget.py imports {floor}",
    ]


def test_nothing_below_app_imports_ui_or_app_upwards():
    """Both directions: the floors under app/ import neither app/ nor ui/."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for floor in sorted(FLOORS_BELOW_APP)
        for path in python_files(floor)
        for name in imported_modules(path)
        if name.split(".")[0] in ("app", "ui")
    ]
    assert not offenders, "\n".join(offenders)
