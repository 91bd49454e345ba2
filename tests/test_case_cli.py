"""``onewindow case import/show/list``: the onewindow-cases/1 contract."""

import argparse
import io
import json

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from app.catalog.importer import import_catalog_document
from app.catalog.item_key import display_name
from app.cli import CommandError, case_cmd
from app.numbering import verify_case_number
from local_store.models import Case, OutboxEntry
from local_store.store import Store
from tests.support.catalog import demo_item
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    VALID_AGENT_ID,
    VALID_PERSON_ID,
    VALID_USCC,
    demo_catalog_document,
    page_png,
)

FOOD = "食品经营许可（新办）"


def run(argv, capsys):
    # Only this command group, so the test does not depend on other groups.
    parser = argparse.ArgumentParser(prog="onewindow")
    case_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(argv)
    status = args.handler(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(autouse=True)
def clerk(signed_in_cli) -> str:
    """Every command here acts for the demo clerk, signed in through ``user login``."""
    return signed_in_cli


@pytest.fixture
def task_codes(home):
    store = Store.open(home)
    document = demo_catalog_document()
    import_catalog_document(document, store)
    store.close()
    return {display_name(item): item["task_code"] for item in document["items"]}


def small_pdf(path):
    pdf = canvas.Canvas(str(path))
    pdf.drawString(100, 700, "lease contract")
    pdf.save()


def person(name="张三", id_number=VALID_PERSON_ID):
    return {
        "kind": "person",
        "name": name,
        "id_type": "111",
        "id_number": id_number,
        "phone": "13800000000",
    }


def write_import(tmp_path, task_codes):
    folder = tmp_path / "batch"
    (folder / "scans").mkdir(parents=True)
    (folder / "scans" / "p1.png").write_bytes(page_png(1))
    (folder / "scans" / "p2.png").write_bytes(page_png(2))
    small_pdf(folder / "scans" / "lease.pdf")
    (folder / "scans" / "fake.pdf").write_text("<html><body>404</body></html>")
    (folder / "scans" / "empty.png").write_bytes(b"")
    (folder / "scans" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    (folder / "scans" / "letter.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with open(folder / "scans" / "huge.tif", "wb") as huge:
        huge.truncate(300 * 1024 * 1024)  # sparse: 300 MB on paper, nothing on disk
    business = task_codes[INDIVIDUAL_BUSINESS]
    cases = [
        {
            "ref": "outage-001",
            "task_code": business,
            "received_at": "2026-11-26T10:00:00+08:00",
            "channel": "window",
            "applicant": person("阿依古丽·买买提𠇔"),
            "agent": None,
            "materials": [
                {
                    "material_id": "M01",
                    "received": "scanned",
                    "count": 1,
                    "files": ["scans/p1.png", "scans/p2.png"],
                },
                {"material_id": "M02", "received": "copy", "count": 1},
                {
                    "material_id": "M03",
                    "received": "electronic",
                    "count": 1,
                    "files": ["scans/lease.pdf"],
                },
            ],
            "decision": {"action": "accept"},
        },
        {
            "ref": "outage-002",
            "task_code": task_codes[FOOD],
            # 食品经营许可 has four 办理项: the record names the one applied for.
            "handle_item_code": demo_item(FOOD)["handle_item_code"],
            "received_at": "2026-11-26T11:00:00+08:00",
            "channel": "mail",
            "applicant": {
                "kind": "organisation",
                "name": "厦门海沧示例餐饮有限公司",
                "uscc": VALID_USCC,
                # No phone of its own: the legal representative's is the contact.
                "legal_rep": {
                    "name": "李四",
                    "id_type": "111",
                    "id_number": VALID_AGENT_ID,
                    "phone": "13900000000",
                },
            },
            "agent": None,
            "materials": [{"material_id": "M01", "received": "original", "count": 1}],
            "decision": {"action": "notify"},
        },
        {
            "ref": "outage-003",
            "task_code": business,
            "received_at": "2026-11-26T12:00:00+08:00",
            "channel": "window",
            "applicant": person(id_number="350205199003071238"),
            "agent": {"name": "", "id_type": "111", "id_number": "350205900307123"},
            "materials": [
                {"material_id": "M99", "received": "original", "count": 1},
                {"material_id": "M01", "received": "electronic", "files": ["scans/fake.pdf"]},
                {"material_id": "M02", "received": "copy", "files": ["scans/none.png"]},
                {
                    "material_id": "M03",
                    "received": "electronic",
                    "files": [
                        "scans/empty.png",
                        "scans/huge.tif",
                        "scans/broken.jpg",
                        "scans/letter.docx",
                    ],
                },
            ],
            "decision": {"action": "reject", "reason": "材料不符"},
        },
        {
            "ref": "outage-001",  # the same record twice in one file
            "task_code": business,
            "received_at": "2026-11-26T10:00:00+08:00",
            "applicant": person(),
            "materials": [],
            "decision": {"action": "accept"},
        },
        {
            "ref": "outage-004",
            "task_code": task_codes[SENIOR_CARD],
            "received_at": "2026-11-26T15:00:00+08:00",
            "applicant": person("陈老伯"),
            "materials": [
                {"material_id": m, "received": "original", "count": 1} for m in ("M01", "M02")
            ],
            "decision": {"action": "conclude"},
        },
    ]
    path = folder / "cases.json"
    path.write_text(
        json.dumps({"format": "onewindow-cases/1", "cases": cases}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def test_import_reports_per_record_and_never_duplicates(tmp_path, task_codes, capsys, monkeypatch):
    path = write_import(tmp_path, task_codes)
    monkeypatch.chdir(tmp_path)  # files resolve relative to the import file, not the cwd
    status, out, err = run(["case", "import", str(path), "--json"], capsys)
    report = json.loads(out)
    assert status == 1 and "1 条记录未导入" in err
    results = {r["ref"]: r for r in report["results"] if not r.get("already_imported")}
    assert [r["ref"] for r in report["results"]] == [
        "outage-001",
        "outage-002",
        "outage-003",
        "outage-001",
        "outage-004",
    ]
    assert report["imported"] == 3 and report["already_imported"] == 1
    assert report["failed"] == 1

    first = results["outage-001"]
    assert first["ok"] and verify_case_number(first["case_number"])
    assert first["deadline"] == "2026-11-27" and first["state"] == "accepted"
    assert results["outage-002"]["ok"] and results["outage-002"]["deadline"] is None
    assert results["outage-004"]["state"] == "concluded"
    duplicate = report["results"][3]
    assert duplicate == {**first, "already_imported": True}

    errors = {e["field"]: e["message"] for e in results["outage-003"]["errors"]}
    assert "校验位" in errors["applicant.id_number"]
    assert "15 位" in errors["agent.id_number"]
    assert errors["agent.name"] == "请填写代理人姓名"
    assert "M99" in errors["materials[0].material_id"]
    assert "fake.pdf" in errors["materials[1].files[0]"]
    assert "none.png" in errors["materials[2].files[0]"]
    assert "empty.png" in errors["materials[3].files[0]"]
    assert "huge.tif" in errors["materials[3].files[1]"] and "MB" in errors["materials[3].files[1]"]
    assert "broken.jpg" in errors["materials[3].files[2]"]
    assert "Word" in errors["materials[3].files[3]"]
    assert errors["decision.basis"] == "不予受理须填写法律依据"

    status, out, _ = run(["case", "import", str(path), "--json"], capsys)
    again = json.loads(out)
    assert again["imported"] == 0 and again["already_imported"] == 4
    store = Store.open(tmp_path / "home")
    try:
        assert Case.select().count() == 3
        assert OutboxEntry.select().count() == 3
    finally:
        store.close()


def test_show_and_list(tmp_path, task_codes, capsys):
    path = write_import(tmp_path, task_codes)
    _, out, _ = run(["case", "import", str(path), "--json"], capsys)
    results = json.loads(out)["results"]
    number = results[0]["case_number"]
    _, out, _ = run(["case", "show", results[1]["case_number"], "--json"], capsys)
    organisation = json.loads(out)
    assert organisation["contact_phone"] == "13900000000"
    assert organisation["handle_item_code"] == demo_item(FOOD)["handle_item_code"]
    assert organisation["handle_item_name"] == FOOD and organisation["item_name"] == "食品经营许可"
    assert organisation["applicant"]["id_number"] == "913502**********07"
    assert organisation["applicant"]["legal_rep"]["id_number"] == "350205**********7X"

    status, out, _ = run(["case", "show", number.lower(), "--json"], capsys)
    shown = json.loads(out)
    assert status == 0 and shown["number"] == number and shown["state"] == "accepted"
    assert shown["task_code"] == task_codes[INDIVIDUAL_BUSINESS]
    assert shown["deadline"] == "2026-11-27"
    assert shown["applicant"]["name"] == "阿依古丽·买买提𠇔"
    assert shown["applicant"]["id_number"] == "350205**********39"
    # The signed-in clerk, not a fixed name, took the case in and decided it.
    assert (shown["clerk"], shown["clerk_name"]) == ("clerk01", "clerk01")
    assert {(e["clerk"], e["clerk_name"]) for e in shown["events"]} == {("clerk01", "clerk01")}
    forms = {m["material_id"]: m for m in shown["materials"]}
    assert forms["M01"]["received_form"] == "scanned" and forms["M01"]["page_count"] == 2
    assert forms["M02"]["received_form"] == "copy" and forms["M02"]["digest"] is None
    lease = (path.parent / "scans" / "lease.pdf").read_bytes()
    store = Store.open(tmp_path / "home")
    try:
        # The PDF is stored byte for byte; the scan became a 2-page PDF.
        assert store.blobs.read(forms["M03"]["digest"]) == lease
        with pikepdf.open(io.BytesIO(store.blobs.read(forms["M01"]["digest"]))) as pdf:
            assert len(pdf.pages) == 2
    finally:
        store.close()
    _, out, _ = run(["case", "show", number, "--json", "--full-id"], capsys)
    assert json.loads(out)["applicant"]["id_number"] == VALID_PERSON_ID

    status, out, _ = run(["case", "list", "--date", "2026-11-26", "--json"], capsys)
    listed = json.loads(out)
    assert [c["number"] for c in listed["cases"]][0] == number
    assert len(listed["cases"]) == 3
    assert all("*" in c["applicant_id_masked"] for c in listed["cases"])
    _, out, _ = run(["case", "list", "--date", "2026-11-25", "--json"], capsys)
    assert json.loads(out)["cases"] == []


def test_bad_invocations_are_clear(tmp_path, task_codes, capsys):
    with pytest.raises(CommandError, match="校验位"):
        run(["case", "show", "350205001202611260000100"], capsys)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else", "cases": []}')
    with pytest.raises(CommandError, match="onewindow-cases/1"):
        run(["case", "import", str(bad)], capsys)
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        run(["case", "import", str(bad)], capsys)
    with pytest.raises(CommandError, match="日期格式"):
        run(["case", "list", "--date", "26/11/2026"], capsys)


def test_imported_signed_pdf_is_verified_and_an_invalid_one_needs_a_reason(
    tmp_path, task_codes, capsys
):
    from tests.support.signing import self_signed, sign_pdf

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pageCompression=0)  # text findable in the bytes
    sheet.drawString(100, 700, "Business licence")
    sheet.save()
    signed = sign_pdf(buffer.getvalue(), self_signed("厦门市海沧区不动产登记中心"))
    tampered = signed.replace(b"Business licence", b"Business license")
    folder = tmp_path / "signed"
    folder.mkdir()
    (folder / "signed.pdf").write_bytes(signed)
    (folder / "tampered.pdf").write_bytes(tampered)

    def record(ref, filename, **extra):
        return {
            "ref": ref,
            "task_code": task_codes[INDIVIDUAL_BUSINESS],
            "received_at": "2026-11-26T09:00:00+08:00",
            "applicant": person(),
            "materials": [
                {"material_id": "M01", "received": "original", "count": 1},
                {"material_id": "M02", "received": "copy", "count": 1},
                {"material_id": "M03", "received": "electronic", "files": [filename], **extra},
            ],
            "decision": {"action": "accept"},
        }

    path = folder / "cases.json"
    cases = [
        record("signed", "signed.pdf"),
        record("tampered", "tampered.pdf"),
        record("tampered-accepted", "tampered.pdf", override_reason="申请人当场签字确认原件一致"),
    ]
    path.write_text(json.dumps({"format": "onewindow-cases/1", "cases": cases}, ensure_ascii=False))
    _, out, _ = run(["case", "import", str(path), "--json"], capsys)
    results = {r["ref"]: r for r in json.loads(out)["results"]}
    assert results["signed"]["ok"] and results["tampered-accepted"]["ok"]
    errors = {e["field"]: e["message"] for e in results["tampered"]["errors"]}
    assert "电子签名验证未通过" in errors["materials[M03].override_reason"]

    _, out, _ = run(["case", "show", results["signed"]["case_number"], "--json"], capsys)
    lease = {m["material_id"]: m for m in json.loads(out)["materials"]}["M03"]
    assert lease["signature_status"] == "unknown"  # intact, signer not in the trust roots
    _, out, _ = run(["case", "show", results["tampered-accepted"]["case_number"], "--json"], capsys)
    lease = {m["material_id"]: m for m in json.loads(out)["materials"]}["M03"]
    assert lease["signature_status"] == "invalid"
    assert lease["override_reason"] == "申请人当场签字确认原件一致"


def test_pause_moves_the_deadline(tmp_path, task_codes, capsys):
    path = write_import(tmp_path, task_codes)
    _, out, _ = run(["case", "import", str(path), "--json"], capsys)
    number = json.loads(out)["results"][0]["case_number"]  # accepted 26 Nov, due 27 Nov
    status, out, _ = run(["case", "pause", number, "检验", "2026-11-27", "2026-11-27"], capsys)
    assert status == 0 and "2026-11-30" in out
    _, out, _ = run(["case", "show", number, "--json"], capsys)
    assert json.loads(out)["deadline"] == "2026-11-30"
    with pytest.raises(CommandError, match="结束日期"):
        run(["case", "pause", number, "检验", "2026-11-28", "2026-11-27"], capsys)


def test_real_command_line_exit_status_and_stderr(tmp_path, task_codes):
    """The installed entry point: JSON on stdout, a one-line reason on stderr, exit 1."""
    import os
    import subprocess
    import sys

    path = write_import(tmp_path, task_codes)
    env = {**os.environ, "ONEWINDOW_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "app.cli", "case", "import", str(path), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert json.loads(done.stdout)["imported"] == 3
    assert "1 record(s) not imported" in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "app.cli", "case", "import", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 1 and "找不到文件" in missing.stderr


def test_nobody_signed_in_nothing_is_imported_or_shown(tmp_path, task_codes, capsys):
    from tests.support.staff import run_user_command

    path = write_import(tmp_path, task_codes)
    _, out, _ = run(["case", "import", str(path), "--json"], capsys)
    number = json.loads(out)["results"][0]["case_number"]
    assert run_user_command(["logout"]) == 0
    for argv in (["case", "import", str(path)], ["case", "show", number, "--json"],
                 ["case", "list", "--json"]):
        with pytest.raises(CommandError, match="未登录"):
            run(argv, capsys)
