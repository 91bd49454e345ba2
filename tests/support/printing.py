"""Printing fixtures: committed cases built through the real models and writer,
and readers for the PDFs (pdftotext, pdftoppm + zbarimg) as a person would."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.numbering import next_case_number
from app.settings import Settings
from local_store.catalog_models import CatalogItem
from local_store.models import Applicant, Case, CaseEvent, CaseMaterial

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
SOLE_TRADER = "个体工商户设立登记"
RARE_NAME = "王\U000201d4明"  # 𠇔 is CJK Extension B
FULL_ID = "350205199001011234"  # shape of a resident ID; never printed in full


def demo_item(name: str = SOLE_TRADER) -> dict:
    items = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["items"]
    return next(item for item in items if item["name"] == name)


def load_demo_item(store, name: str = SOLE_TRADER) -> dict:
    """Put one demo item into the catalog cache (the catalog DB has no writer)."""
    item = demo_item(name)
    with store.catalog_db.atomic():
        CatalogItem.insert(
            task_code=item["task_code"], catalog_code=item["catalog_code"], name=item["name"],
            dept_name=item["dept_name"], task_type=item["task_type"], state=item["state"],
            version=item["version"], data=item,
        ).on_conflict_replace().execute()
    return item


def make_case(store, *, number: str | None = None, state: str = "accepted",
              received_forms: dict[str, str] | None = None, applicant_name: str = RARE_NAME,
              id_number: str = FULL_ID, agent: dict | None = None, **case_fields) -> Case:
    """A committed case of the sole-trader item, written in one writer unit.

    ``received_forms`` maps catalog material id → CaseMaterial.received_form;
    materials not named are received as paper originals.
    """
    item = load_demo_item(store)
    forms = received_forms or {}
    received_at = dt.datetime(2026, 11, 27, 9, 30)

    def commit() -> Case:
        case_number = number or next_case_number(Settings(), received_at.date())
        applicant = Applicant.create(kind="person", name=applicant_name, id_type="111",
                                     id_number=id_number, phone="13800000000")
        fields = dict(
            number=case_number, task_code=item["task_code"], catalog_code=item["catalog_code"],
            item_name=item["name"], item_version=item["version"],
            project_type=item["project_type"], dept_name=item["dept_name"],
            dept_code=item["dept_code"], state=state, applicant=applicant,
            applicant_snapshot={"kind": "person", "name": applicant_name, "id_type": "111",
                                "id_number": id_number, "phone": "13800000000"},
            agent=agent, station="350205001", clerk="李窗口", received_at=received_at,
            accepted_at=received_at if state == "accepted" else None,
            deadline=dt.date(2026, 11, 30) if state == "accepted" else None,
        )
        fields.update(case_fields)
        case = Case.create(**fields)
        for material in item["materials"]:
            form = forms.get(material["id"], "original")
            received = form not in ("missing", "deficiency", "not_applicable")
            CaseMaterial.create(
                case=case, material_id=material["id"], name=material["name"],
                requirement={True: "required", False: "optional"}.get(
                    material["required"], "conditional"),
                received_form=form,
                originals=material["originals"] if received and form == "original" else 0,
                copies=material["copies"] if received else 0,
                page_count=2 if received else 0,
            )
        CaseEvent.create(case=case, kind="received", clerk="李窗口", at=received_at)
        return case

    return store.writer.call(commit)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def decoded_symbols(path: Path, tmp_path: Path, dpi: int = 200) -> list[str]:
    """Render page 1 at ``dpi`` and return what zbarimg reads: 'CODE-128:…', 'QR-Code:…'."""
    prefix = tmp_path / f"{path.stem}-scan"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(path),
                    str(prefix)], check=True)
    image = next(tmp_path.glob(f"{prefix.name}*.png"))
    result = subprocess.run(["zbarimg", "--quiet", str(image)], capture_output=True, text=True,
                            check=False)
    return result.stdout.splitlines()


@pytest.fixture
def poppler_and_zbar():
    missing = [tool for tool in ("pdftotext", "pdftoppm", "zbarimg") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"PDF checks need {', '.join(missing)} (make test installs "
                    "poppler-utils and zbar-tools)")
