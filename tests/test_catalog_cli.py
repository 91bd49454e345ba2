"""``onewindow catalog …`` end to end through ``app.cli.main`` (and one real process)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.catalog.quality import check_catalog_quality, item_problems
from app.cli import main
from tests.support.catalog import DEMO_CATALOG, demo_document, demo_item, document, make_item

ROOT = DEMO_CATALOG.parents[2]


@pytest.fixture
def imported(home, capsys):
    assert main(["catalog", "import", str(DEMO_CATALOG)]) == 0
    assert "新增 21" in capsys.readouterr().out


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_must_show_searches(imported, capsys):
    food = run_json(capsys, "catalog", "search", "食品")
    assert [hit["handle_item_name"] for hit in food] == FOOD_HANDLE_ITEMS
    assert {hit["name"] for hit in food} == {"食品经营许可"}
    assert run_json(capsys, "catalog", "search", "gtgsh")[0]["name"] == "个体工商户设立登记"
    assert run_json(capsys, "catalog", "search", "jiehun")[0]["name"] == "结婚登记"
    hit = run_json(capsys, "catalog", "search", "000109001000")[0]
    assert (hit["name"], hit["match_kind"]) == ("个体工商户设立登记", "code")
    ranked = run_json(capsys, "catalog", "search", "临")
    assert ranked[0]["name"] == "临时救助" and ranked[0]["score"] >= ranked[-1]["score"]
    assert main(["catalog", "search", "证", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all("证" in line for line in lines)


def test_show_prints_the_whole_guide(imported, capsys):
    task_code = demo_item("个体工商户设立登记")["task_code"]
    assert main(["catalog", "show", task_code]) == 0
    text = capsys.readouterr().out
    for expected in ("法定时限：15 个工作日", "承诺时限：1 个工作日",
                     "视情形提交（委托代理人办理的）", "可用电子证照：居民身份证（CT001）",
                     "空白表格：授权委托书", "收费：不收费",
                     "星级：5", "认证级别：3", "办理地点：厦门市海沧区行政服务中心",
                     "监督投诉：12345", "设定依据：《促进个体工商户发展条例》"):
        assert expected in text, expected
    assert run_json(capsys, "catalog", "show", task_code) == demo_item("个体工商户设立登记")


FOOD_HANDLE_ITEMS = ["食品经营许可（新办）", "食品经营许可（变更）", "食品经营许可（延续）",
                     "食品经营许可（注销）"]


def test_search_lists_the_handle_items_under_their_item(imported, capsys):
    assert main(["catalog", "search", "食品经营"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    task_code = demo_item("食品经营许可（新办）")["task_code"]
    assert lines[0].startswith(f"{task_code}  食品经营许可  ")
    assert [line.split()[1] for line in lines[1:]] == FOOD_HANDLE_ITEMS
    assert all(line.startswith("    ") for line in lines[1:])


def test_show_takes_a_task_code_or_a_handle_item_code(imported, capsys):
    change = demo_item("食品经营许可（变更）")
    # The 办理项 code: that 办理项 alone, with its own materials and limits.
    assert run_json(capsys, "catalog", "show", change["handle_item_code"]) == change
    assert main(["catalog", "show", change["handle_item_code"]]) == 0
    text = capsys.readouterr().out
    assert "办理项：食品经营许可（变更）" in text and "承诺时限：3 个工作日" in text
    assert "食品经营许可证正、副本" in text and "食品安全管理制度" not in text
    # The task code: the item with all four 办理项.
    every = run_json(capsys, "catalog", "show", change["task_code"])
    assert [item["handle_item_name"] for item in every] == FOOD_HANDLE_ITEMS
    assert main(["catalog", "show", change["task_code"]]) == 0
    text = capsys.readouterr().out
    assert text.startswith("食品经营许可：共 4 个办理项")
    assert all(name in text for name in FOOD_HANDLE_ITEMS)


def test_errors_are_one_line_with_exit_status_1(imported, capsys, tmp_path):
    assert main(["catalog", "show", "NOPE"]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert main(["catalog", "search", "完全不存在的事项"]) == 1
    assert "未找到" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    assert main(["catalog", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "不是有效的 JSON" in err and "现有目录未改动" in err and err.count("\n") == 1
    assert main(["catalog", "sync"]) == 1
    assert "未配置网上办事大厅地址" in capsys.readouterr().err
    assert run_json(capsys, "catalog", "search", "食品")  # still there


def test_a_delta_file_is_reported_then_folded_into_the_stored_index(imported, capsys,
                                                                     tmp_path):
    import sqlite3

    item = demo_item("结婚登记")
    delta = document([dict(item, version=item["version"] + 1, name="结婚登记（补领）")],
                     version="cli-delta", mode="delta", generated_at="2026-11-20T00:00:00Z")
    path = tmp_path / "delta.json"
    path.write_text(json.dumps(delta, ensure_ascii=False), encoding="utf-8")
    report = run_json(capsys, "catalog", "import", str(path))
    assert report["updated"] == 1 and report["tidy_due"]
    with sqlite3.connect(tmp_path / "home" / "catalog.sqlite") as db:
        pending = db.execute("SELECT count(*) FROM catalog_search_snapshot "
                             "WHERE key = 'search_pending'").fetchone()[0]
    assert pending == 0  # folded after the report was printed
    assert run_json(capsys, "catalog", "search", "补领")[0]["name"] == "结婚登记（补领）"


def test_search_before_any_import_says_what_to_do(home, capsys):
    assert main(["catalog", "search", "食品"]) == 1
    assert "先导入或同步" in capsys.readouterr().err


def test_sync_command_against_the_hall(hall, home, capsys, monkeypatch):
    monkeypatch.setenv("ONEWINDOW_HALL_URL", hall.url)
    report = run_json(capsys, "catalog", "sync")
    assert report["item_count"] == 21 and report["mode"] == "snapshot"
    assert main(["catalog", "sync"]) == 0
    assert "已是最新" in capsys.readouterr().out


def test_sync_command_when_the_hall_is_down(home, capsys, monkeypatch):
    monkeypatch.setenv("ONEWINDOW_HALL_URL", "http://127.0.0.1:9")
    assert main(["catalog", "sync"]) == 1
    assert "目录同步失败" in capsys.readouterr().err


def test_quality_lists_items_missing_standard_fields(home, store, capsys):
    from app.catalog.importer import import_catalog_document

    incomplete = make_item("临时占用城市绿地审批", "000118020000",
                           materials=[{"id": "M01", "name": "占用绿地申请表", "required": True}])
    wrong_code = dict(demo_item("临时救助"), task_code="11350205003043479840001050080XX")
    import_catalog_document(document([incomplete, wrong_code, demo_item("结婚登记")]), store)
    issues = {issue.name: issue.problems for issue in check_catalog_quality(store)}
    assert set(issues) == {"临时占用城市绿地审批", "临时救助"}
    assert "缺少受理条件" in issues["临时占用城市绿地审批"]
    assert "缺少办理环节" in issues["临时占用城市绿地审批"]
    assert "材料“占用绿地申请表”缺少空白表格" in issues["临时占用城市绿地审批"]
    assert any("实施编码" in problem for problem in issues["临时救助"])
    listed = run_json(capsys, "catalog", "quality")
    assert {entry["name"] for entry in listed} == set(issues)


def test_demo_catalog_passes_the_quality_check():
    assert [item["name"] for item in demo_document()["items"] if item_problems(item)] == []


def test_real_process_exit_status_and_stderr(home, tmp_path):
    bad = tmp_path / "dup.json"
    doc = demo_document()
    doc["items"].append(dict(doc["items"][0]))
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "app.cli", "catalog", "import", str(bad)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert "第 22 项" in result.stderr and "重复" in result.stderr


def _write(tmp_path, name, doc) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_removed_without_mode_is_refused_as_ambiguous(imported, capsys, tmp_path):
    """Taken as a snapshot, such a file deleted every item it did not list (11 of 14)."""
    keep = demo_document()["items"][:3]
    gone = next(item["task_code"] for item in demo_document()["items"]
                if item["task_code"] not in {kept["task_code"] for kept in keep}
                and not item.get("handle_item_code"))
    doc = document(keep, generated_at="2099-01-01T00:00:00+08:00", removed=[gone])
    assert main(["catalog", "import", _write(tmp_path, "usb.json", doc)]) == 1
    err = capsys.readouterr().err
    assert "mode" in err and "removed" in err and err.strip().count("\n") == 0
    assert len(run_json(capsys, "catalog", "search", "证", "--limit", "100")) > 3
    # Saying what it is makes it importable: a delta removes just that item.
    doc["mode"] = "delta"
    assert main(["catalog", "import", _write(tmp_path, "usb.json", doc)]) == 0
    assert "删除 1" in capsys.readouterr().out


def test_snapshot_dropping_over_a_fifth_needs_allow_shrink(imported, capsys, tmp_path):
    items = demo_document()["items"]
    held, kept = len(items), len(items) * 3 // 4  # a quarter would go
    smaller = document(items[:kept], generated_at="2099-01-01T00:00:00+08:00", mode="snapshot")
    path = _write(tmp_path, "part.json", smaller)
    assert main(["catalog", "import", path]) == 1
    err = capsys.readouterr().err
    assert "--allow-shrink" in err and f"{held} 项中的 {held - kept} 项" in err
    assert err.strip().count("\n") == 0
    hits = run_json(capsys, "catalog", "search", items[-1]["name"])
    assert hits and hits[0]["name"] == items[-1]["name"]  # nothing was deleted
    assert main(["catalog", "import", path, "--allow-shrink"]) == 0
    assert f"删除 {held - kept}" in capsys.readouterr().out
    # Dropping a fifth or less needs no confirmation.
    fewer = kept - kept // 5
    assert main(["catalog", "import", _write(tmp_path, "p2.json", document(
        items[:fewer], version="t2", generated_at="2099-01-02T00:00:00+08:00"))]) == 0


@pytest.mark.timeout(60)
def test_fifo_device_and_oversized_files_are_refused_before_reading(home, capsys, tmp_path):
    """/dev/zero as a catalog grew the process to 24 GB; a FIFO blocks forever."""
    import os

    fifo = tmp_path / "catalog.fifo"
    os.mkfifo(fifo)
    for path, reason in ((str(fifo), "管道"), ("/dev/zero", "设备文件"),
                         (str(tmp_path), "文件夹")):
        assert main(["catalog", "import", path]) == 1
        err = capsys.readouterr().err
        assert reason in err and "不是普通文件" in err and err.count("\n") == 1, err
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: the size is there, the bytes are not
        handle.truncate(300 * 1024 * 1024)
    assert main(["catalog", "import", str(huge)]) == 1
    assert "过大" in capsys.readouterr().err


def test_hidden_characters_in_an_item_are_refused(home, capsys, tmp_path):
    item = demo_document()["items"][0]
    for sneaky in ("\u202e", "\u200b", "\x1b[31m", "\x00"):
        bad = dict(item, name=f"个体工商户{sneaky}设立登记")
        assert main(["catalog", "import", _write(tmp_path, "x.json", document([bad]))]) == 1
        err = capsys.readouterr().err
        assert "不可见的控制或格式字符" in err and "\x1b" not in err, err
