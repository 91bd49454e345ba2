"""Online applications made the way applicants make them: an
``onewindow-application/1`` file with real files beside it, submitted by the
hall's own ``python -m central_hall submit`` (or over HTTP like the page)."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.support.intake import VALID_AGENT_ID, VALID_PERSON_ID, page_png

HEALTH_PERMIT = "公共场所卫生许可"  # visits 1: passes as 收件, applicant brings originals
SOLE_TRADER = "个体工商户设立登记"  # visits 0: passes as 受理 at once
SECOND_PERSON_ID = VALID_AGENT_ID


def small_pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 760, title)
    page.showPage()
    page.save()
    return buffer.getvalue()


def demo_items() -> dict[str, dict]:
    from tests.support.intake import demo_catalog_document

    return {item["name"]: item for item in demo_catalog_document()["items"]}


def application_record(ref: str, item_name: str, *, name: str = "张三",
                       id_number: str = VALID_PERSON_ID, skip: tuple[str, ...] = (),
                       files: dict[str, list[str]] | None = None) -> dict:
    """One record: a file for every required material except those in ``skip``."""
    item = demo_items()[item_name]
    materials = []
    for material in item["materials"]:
        if material["required"] is not True or material["id"] in skip:
            continue
        paths = (files or {}).get(material["id"]) or [f"{ref}-{material['id']}.pdf"]
        materials.append({"material_id": material["id"], "files": paths})
    return {
        "ref": ref, "task_code": item["task_code"],
        "handle_item_code": item.get("handle_item_code"),
        "applicant": {"kind": "person", "name": name, "id_type": "111",
                      "id_number": id_number, "phone": "13800000000"},
        "agent": None, "materials": materials,
    }


def write_submission(directory: Path, records: list[dict], name: str = "apply.json") -> Path:
    """The file plus every material file it names (a PDF, or a PNG for .png)."""
    directory.mkdir(parents=True, exist_ok=True)
    for record in records:
        for material in record["materials"]:
            for relative in material["files"]:
                path = directory / relative
                if path.exists():
                    continue
                content = (page_png(1) if relative.endswith(".png")
                           else small_pdf(f"{record['ref']} {material['material_id']}"))
                path.write_bytes(content)
    path = directory / name
    path.write_text(json.dumps({"format": "onewindow-application/1", "applications": records},
                               ensure_ascii=False), encoding="utf-8")
    return path


def hall_submit(data_dir: Path, file: Path, at: str | None = None,
                database_url: str | None = None) -> tuple[int, list[dict]]:
    """``python -m central_hall submit --data DIR FILE [--at]``: (exit code, results)."""
    command = [sys.executable, "-m", "central_hall", "submit", "--data", str(data_dir),
               *(["--database", database_url] if database_url else []), str(file)]
    if at:
        command += ["--at", at]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def submit(hall, directory: Path, records: list[dict], at: str | None = None) -> list[dict]:
    """Submit on a running hall through its CLI; every record must be accepted."""
    code, results = hall_submit(hall.data_dir, write_submission(directory, records), at,
                                hall.database_url)
    assert code == 0, results
    return results


def inline_body(record: dict, directory: Path) -> dict:
    """The applicant page's request body for ``record`` (files base64-encoded)."""
    body = dict(record)
    body["materials"] = [
        {"material_id": m["material_id"],
         "files": [{"name": f, "content_base64":
                    base64.b64encode((directory / f).read_bytes()).decode()}
                   for f in m["files"]]}
        for m in record["materials"]]
    return body


# One signing key per station of a hall (a per-test hall, so per test), as a
# workstation keeps one: made and signed with by the workstation's own code.
_STATION_KEYS: dict[tuple[str, str], object] = {}


def station_signing_key(raw):
    """The signing key of ``raw``'s station, enrolled at its hall the first time."""
    from app.decision_signing import StationKey, _new_key_pair

    key = _STATION_KEYS.get((raw.api, raw.station))
    if key is None:
        private_key, public_key = _new_key_pair()
        answer = raw.request("PUT", "/stations/signing-key",
                             json={"algorithm": "SM2", "public_key": public_key})
        assert answer.status_code == 200, answer.text
        key = _STATION_KEYS[(raw.api, raw.station)] = StationKey(raw.station, private_key,
                                                                  public_key)
    return key


def signed_decision(raw, application_id: str, body: dict) -> dict:
    """``body`` signed as the workstation signs a decision (app.decision_signing)."""
    from app.decision_signing import sign_decision

    unsigned = {k: v for k, v in body.items() if k != "signature"}
    return {**unsigned, "signature": sign_decision(station_signing_key(raw), application_id,
                                                   unsigned)}
