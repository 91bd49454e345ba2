"""``onewindow case import`` with the malformed files of a new-user trial (issue 11).

Each record gets its own result whatever another record holds; what the file
says never crashes the import, never reaches outside the batch's folder unless
allowed, and never drives the terminal that prints the report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from local_store.models import Case
from tests.support.intake import INDIVIDUAL_BUSINESS, page_png
from tests.test_case_cli import person, run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clerk(signed_in_cli) -> str:
    return signed_in_cli


@pytest.fixture
def task_code(task_codes) -> str:
    return task_codes[INDIVIDUAL_BUSINESS]


@pytest.fixture
def task_codes(home):
    """The demo catalog imported as the CLI finds it; {name: task_code}."""
    from app.catalog.importer import import_catalog_document
    from local_store.store import Store
    from tests.support.intake import demo_catalog_document

    store = Store.open(home)
    document = demo_catalog_document()
    import_catalog_document(document, store)
    store.close()
    return {item["name"]: item["task_code"] for item in document["items"]}


def record(ref, task_code, **fields) -> dict:
    data = {
        "ref": ref,
        "task_code": task_code,
        "received_at": "2026-11-26T10:00:00+08:00",
        "applicant": person(),
        "materials": [{"material_id": m, "received": "original", "count": 1}
                      for m in ("M01", "M02", "M03")],
        "decision": {"action": "accept"},
    }
    data.update(fields)
    return data


def write_batch(folder: Path, cases: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.json"
    path.write_text(json.dumps({"format": "onewindow-cases/1", "cases": cases},
                               ensure_ascii=False), encoding="utf-8")
    return path


def import_json(path: Path, capsys, *options) -> tuple[int, dict, str]:
    status, out, err = run(["case", "import", str(path), "--json", *options], capsys)
    return status, json.loads(out), err


def errors_of(result: dict) -> dict[str, str]:
    return {error["field"]: error["message"] for error in result["errors"]}


def test_every_record_gets_its_result_whatever_another_holds(tmp_path, task_code, capsys):
    """[good, {"applicant": {"name": 12345}}, good] committed the first record, then
    died with AttributeError and printed no report."""
    odd_values = [
        record("name-is-a-number", task_code, applicant={**person(), "name": 12345}),
        record("id-is-a-number", task_code,
               applicant={**person(), "id_number": 350205199003071239}),
        record("count-too-big", task_code, materials=[
            {"material_id": "M01", "received": "original", "count": 10**20}]),
        record("applicant-is-a-list", task_code, applicant=["张三"]),
        record("phone-is-an-object", task_code, contact_phone={"tel": 1}),
        record("ref-and-code-odd", task_code=["x"]),
        record(12345, task_code),
        "not even an object",
        record("action-is-a-list", task_code, decision={"action": ["accept"]}),
        record("channel-is-a-list", task_code, channel=["window"]),
        record("no-task-code", None),
    ]
    path = write_batch(tmp_path / "batch", [record("good-1", task_code), *odd_values,
                                            record("good-2", task_code, applicant=person(
                                                "李四", "350205198505152018"))])
    status, report, err = import_json(path, capsys)
    assert status == 1 and "Traceback" not in err
    results = report["results"]
    assert len(results) == 13 and report["imported"] == 2 and report["failed"] == 11
    by_ref = {r["ref"]: r for r in results}
    assert by_ref["good-1"]["ok"] and by_ref["good-2"]["ok"]
    assert "字符串" in errors_of(by_ref["name-is-a-number"])["applicant.name"]
    # An ID number written as a JSON number loses leading zeros and a final X.
    assert "字符串" in errors_of(by_ref["id-is-a-number"])["applicant.id_number"]
    assert "0–999" in errors_of(by_ref["count-too-big"])["materials[0].count"]
    assert "申请人" in errors_of(by_ref["applicant-is-a-list"])["applicant"]
    assert "字符串" in errors_of(by_ref["phone-is-an-object"])["contact_phone"]
    assert "字符串" in errors_of(by_ref["ref-and-code-odd"])["task_code"]
    assert "受理决定" in errors_of(by_ref["action-is-a-list"])["decision.action"]
    assert "申请方式" in errors_of(by_ref["channel-is-a-list"])["channel"]
    assert "缺少实施编码" in errors_of(by_ref["no-task-code"])["task_code"]
    # No record needed the catch-all: each failure names its field.
    assert all(error["field"] for result in results if result["ref"]
               for error in result.get("errors", []))
    assert Case.select().count() == 2


def test_a_receipt_in_1900_is_blamed_on_received_at(tmp_path, task_code, capsys):
    """It was reported as the ID number's birth date lying in the future."""
    path = write_batch(tmp_path / "batch", [
        record("old", task_code, received_at="1900-01-02T09:00:00+08:00")])
    _status, report, _err = import_json(path, capsys)
    errors = errors_of(report["results"][0])
    assert "received_at" in errors and "1900" in errors["received_at"]
    assert "applicant.id_number" not in errors


def test_hidden_characters_are_refused_and_never_printed_raw(tmp_path, task_code, capsys):
    sneaky = {
        "rlo": "张\u202e三",
        "zero-width": "张\u200b三",
        "nul": "张\x00三",
        "esc": "张\x1b[2J三",
    }
    cases = [record(ref, task_code, applicant={**person(), "name": name})
             for ref, name in sneaky.items()]
    cases += [
        record("long-address", task_code, applicant={**person(), "address": "路" * 10_000_000}),
        record("ref\x1b]0;owned\x07", task_code),
        # What stays: the middle dot of minority names and Extension B characters.
        record("middle-dot", task_code, applicant=person("阿依古丽·买买提", "650102199203150421")),
        record("extension-b", task_code, applicant=person("王\U000201d4", "350205197808080037")),
    ]
    path = write_batch(tmp_path / "batch", cases)
    status, out, _err = run(["case", "import", str(path)], capsys)
    assert status == 1
    assert "\x1b" not in out and "\u202e" not in out and "\x00" not in out
    assert "U+202E" in out and "U+200B" in out and "U+0000" in out and "U+001B" in out
    assert "\\x1b]0;owned" in out  # the ref is shown, escaped
    assert "过长" in out
    names = {case.applicant_snapshot["name"] for case in Case.select()}
    assert names == {"阿依古丽·买买提", "王\U000201d4"}
    # The JSON report escapes them too, and still reads back as the same text.
    status, out, _err = run(["case", "import", str(path), "--json"], capsys)
    assert "\x1b" not in out and "\u202e" not in out
    refs = [r["ref"] for r in json.loads(out)["results"]]
    assert "ref\\x1b]0;owned\\x07" in refs


def test_attachments_outside_the_batch_folder_need_allow_outside(tmp_path, task_code, capsys):
    folder = tmp_path / "batch"
    (folder / "scans").mkdir(parents=True)
    (folder / "scans" / "p1.png").write_bytes(page_png(1))
    (tmp_path / "private.png").write_bytes(page_png(2))
    (folder / "scans" / "link.png").symlink_to(tmp_path / "private.png")

    def scanned(ref, *files):
        return record(ref, task_code, materials=[
            {"material_id": "M01", "received": "scanned", "files": list(files)},
            {"material_id": "M02", "received": "original", "count": 1},
            {"material_id": "M03", "received": "original", "count": 1}])

    path = write_batch(folder, [
        scanned("inside", "scans/p1.png"),
        scanned("dot-dot", "../private.png"),
        scanned("absolute", str(tmp_path / "private.png")),
        scanned("symlink-out", "scans/link.png"),
        scanned("nul", "scans/p1.png\x00.png"),
    ])
    _status, report, _err = import_json(path, capsys)
    by_ref = {r["ref"]: r for r in report["results"]}
    assert by_ref["inside"]["ok"]
    for ref in ("dot-dot", "absolute", "symlink-out"):
        message = errors_of(by_ref[ref])["materials[0].files[0]"]
        assert "--allow-outside" in message, message
    assert "U+0000" in errors_of(by_ref["nul"])["materials[0].files[0]"]

    _status, report, _err = import_json(path, capsys, "--allow-outside")
    by_ref = {r["ref"]: r for r in report["results"]}
    assert all(by_ref[ref]["ok"] for ref in ("dot-dot", "absolute", "symlink-out"))


@pytest.mark.timeout(60)
def test_fifo_device_and_oversized_batch_refused_with_the_right_reason(tmp_path, task_code,
                                                                      capsys):
    folder = tmp_path / "batch"
    folder.mkdir()
    os.mkfifo(folder / "pipe.png")
    os.symlink("/dev/zero", folder / "zero.png")
    path = write_batch(folder, [
        record("fifo", task_code, materials=[
            {"material_id": "M01", "received": "scanned", "files": ["pipe.png"]}]),
    ])
    _status, report, _err = import_json(path, capsys, "--allow-outside")
    assert "管道" in errors_of(report["results"][0])["materials[0].files[0]"]
    path = write_batch(folder, [
        record("zero", task_code, materials=[
            {"material_id": "M01", "received": "scanned", "files": ["/dev/zero"]}]),
    ])
    _status, report, _err = import_json(path, capsys, "--allow-outside")
    message = errors_of(report["results"][0])["materials[0].files[0]"]
    assert "设备文件" in message and "文件夹" not in message

    for batch, reason in ((folder / "pipe.png", "管道"), (Path("/dev/zero"), "设备文件")):
        with pytest.raises(Exception) as refused:
            run(["case", "import", str(batch)], capsys)
        assert reason in str(refused.value)
    huge = folder / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(700 * 1024 * 1024)  # sparse: refused from its size alone
    with pytest.raises(Exception, match="过大"):
        run(["case", "import", str(huge)], capsys)


def test_nul_in_the_batch_path_is_one_line(capsys):
    assert main(["case", "import", "cases\x00.json"]) == 1
    err = capsys.readouterr().err
    assert "NUL" in err and err.count("\n") == 1 and "\x00" not in err


def test_a_full_disk_is_named_as_such(tmp_path, task_code, store, capsys):
    """SQLite rolls the whole transaction back when the disk is full; the savepoint's
    rollback then failed with "cannot rollback - no transaction is active", which
    hid "database or disk is full"."""
    from app.case_import import import_cases
    from app.intake import IntakeService
    from app.settings import Settings

    service = IntakeService(store, Settings(clerk_name="李窗口"))
    pages = store.writer.call(lambda: store.case_db.execute_sql(
        "PRAGMA page_count").fetchone()[0])
    store.writer.call(lambda: store.case_db.execute_sql(f"PRAGMA max_page_count = {pages}"))
    path = write_batch(tmp_path / "batch", [record(f"full-{n}", task_code) for n in range(6)])
    results = import_cases(service, path)
    assert len(results) == 6
    failed = [result for result in results if not result.ok]
    assert failed, "the database never filled up"
    for result in failed:
        message = " ".join(error.message for error in result.errors)
        assert "full" in message, message
        assert "rollback" not in message and "savepoint" not in message, message


def test_read_only_database_and_missing_hall_extra_are_one_line(home, capsys, monkeypatch):
    import importlib.util
    import sqlite3

    from app.cli import environment_failure

    path = home / "ro.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        read_only.execute("INSERT INTO t VALUES (1)")
    assert "只读" in environment_failure(refused.value)

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "fastapi" else real_find_spec(name, *a))
    assert main(["hall", "serve", "--data", str(home / "hall")]) == 1
    err = capsys.readouterr().err
    assert "onewindow[hall]" in err and err.count("\n") == 1


def test_a_read_only_station_database_is_one_line(home, tmp_path):
    """Made read-only for everyone, root included (chattr +i), as a station on a
    read-only share or a locked-down image would be."""
    import shutil

    from app.catalog.importer import import_catalog_file
    from local_store.store import Store

    demo = ROOT / "app" / "data" / "demo_catalog.json"
    store = Store.open(home)
    import_catalog_file(demo, store)
    store.close()
    catalog_db = home / "catalog.sqlite"
    if not shutil.which("chattr") or subprocess.run(
            ["chattr", "+i", str(catalog_db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a supporting file system)")
    try:
        done = subprocess.run([sys.executable, "-m", "app.cli", "catalog", "import", str(demo)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        subprocess.run(["chattr", "-i", str(catalog_db)], check=True)
    assert done.returncode == 1
    assert "只读" in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_output_cut_off_by_the_reader_is_no_traceback(home):
    """`onewindow … --json | head`: the reader closes the pipe before we write."""
    from app.catalog.importer import import_catalog_file
    from local_store.store import Store

    store = Store.open(home)
    import_catalog_file(ROOT / "app" / "data" / "demo_catalog.json", store)
    store.close()
    child = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "catalog", "search", "证", "--json", "--limit", "50"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    child.stdout.close()  # like `head` that has already read what it wanted
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) != 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err
