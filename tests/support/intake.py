"""Intake fixtures: the demo catalog imported, a service with a fixed clock, drafts.

Friday 27 Nov 2026 10:00 is "now" for intake tests, so deadlines are exact.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.applicants import ApplicantInfo, PersonInfo
from app.catalog.importer import import_catalog_document
from app.catalog.item_key import display_name
from app.intake import IntakeService
from app.settings import Settings
from local_store.instants import from_station_wall, zone_named
from tests.support.catalog import item_ref

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
# Station wall time (Beijing): a naive clock reading is station time.
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
# The same instant as stored (naive UTC, see local_store.instants).
NOW_STORED = from_station_wall(NOW, zone_named("Asia/Shanghai"))

# Demo items by name (task codes come from the demo catalog).
INDIVIDUAL_BUSINESS = "个体工商户设立登记"  # 承诺件, 1 working day, conditional agent materials
FOOD_LICENCE = "食品经营许可（新办）"  # 承诺件, 5 working days; allows 容缺
SENIOR_CARD = "老年人优待证办理"  # 即办件

VALID_PERSON_ID = "350205199003071239"
VALID_AGENT_ID = "35020519880715107X"
VALID_USCC = "91350205MA2Y123407"


def demo_catalog_document() -> dict:
    document = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    # The tests rely on the demo's 容缺 item; fail loudly if the demo changes.
    food = next(item for item in document["items"] if display_name(item) == FOOD_LICENCE)
    assert food["deficiency_allowed"], "demo catalog: 食品经营许可 must allow 容缺受理"
    return document


@pytest.fixture
def intake_catalog(store) -> dict[str, str]:
    """Imports the demo catalog; returns {item name: what ``new_draft`` takes}: the
    task_code, or for a 办理项 (by its own name) its ItemKey."""
    document = demo_catalog_document()
    import_catalog_document(document, store)
    return {display_name(item): item_ref(item) for item in document["items"]}


@pytest.fixture
def intake_settings() -> Settings:
    return Settings(clerk_name="窗口测试员")


@pytest.fixture
def intake(store, intake_catalog, intake_settings) -> IntakeService:
    return IntakeService(store, intake_settings, clock=lambda: NOW)


def fill_person(draft, name: str = "张三", id_number: str = VALID_PERSON_ID) -> None:
    draft.applicant = ApplicantInfo(
        kind="person", name=name, id_type="111", id_number=id_number, phone="13800000000"
    )


def fill_organisation(draft) -> None:
    draft.applicant = ApplicantInfo(
        kind="organisation",
        name="厦门海沧示例餐饮有限公司",
        id_type="001",
        id_number=VALID_USCC,
        phone="0592-6000000",
        legal_rep=PersonInfo(name="李四", id_type="111", id_number=VALID_AGENT_ID),
    )


def receive_all_originals(draft) -> None:
    for entry in draft.materials:
        if entry.needed:
            entry.received_form = "original"
            entry.originals = max(1, entry.originals_required)


def page_png(number: int, size=(413, 585)) -> bytes:
    """A small scan-like greyscale page (A4 proportions, 50 dpi) as PNG."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, 60), outline=0, width=3)
    for line in range(8):
        draw.line((30, 90 + line * 50, size[0] - 30 - number * 7, 90 + line * 50), fill=40)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(50, 50))
    return buffer.getvalue()


def scan_pages(store, entry, count: int) -> None:
    """Put ``count`` page images in the blob store and on the material."""
    entry.received_form = "scanned"
    entry.pages = [
        {
            "digest": store.blobs.put_bytes(page_png(n)),
            "kind": "image",
            "rotation": 0,
            "pdf_index": 0,
        }
        for n in range(1, count + 1)
    ]
