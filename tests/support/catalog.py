"""Catalog test helpers: the demo document, small hand-made items, fixtures."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.catalog.importer import import_catalog_document
from app.catalog.item_key import ItemKey, display_name

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
# A USCC with a valid check character (GB 32100), fictional.
TEST_DEPT_CODE = "11350205003037124P"


def demo_document() -> dict:
    return json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))


def demo_item(name: str) -> dict:
    """A demo item by its name, or a 办理项 by its own name (食品经营许可（新办）)."""
    return copy.deepcopy(next(i for i in demo_document()["items"] if display_name(i) == name))


def item_ref(item: dict) -> ItemKey | str:
    """How intake names an item: its task_code, or its ItemKey if it is a 办理项."""
    key = ItemKey.of(item)
    return key if key.handle_item_code else key.task_code


def make_item(name: str, catalog_code: str, *, version: int = 1, state: str = "active",
              dept_code: str = TEST_DEPT_CODE, **fields) -> dict:
    """A minimal valid item (the format's required fields only)."""
    item = {
        "task_code": f"{dept_code}4{catalog_code}", "catalog_code": catalog_code,
        "handle_item_code": None, "name": name, "task_type": "01", "use_level": "4",
        "dept_name": "厦门市海沧区测试局", "dept_code": dept_code, "version": version,
        "state": state,
    }
    item.update(fields)
    return item


def document(items, *, version="t1", generated_at="2026-11-01T00:00:00+00:00",
             removed=(), mode=None) -> dict:
    doc = {"format": "onewindow-catalog/1", "version": version, "generated_at": generated_at,
           "items": list(items), "removed": list(removed)}
    if mode:
        doc["mode"] = mode
    return doc


@pytest.fixture
def demo_task_codes(store) -> dict[str, str]:
    """The demo catalog imported into the test store; {name: task_code}, by the
    办理项's own name for 办理项 (食品经营许可（新办）)."""
    doc = demo_document()
    import_catalog_document(doc, store)
    return {display_name(item): item["task_code"] for item in doc["items"]}
