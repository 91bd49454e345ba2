"""``onewindow print`` as a user runs it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import app.cli
from app.numbering import format_case_number
from local_store.models import PrintLog
from tests.support.printing import (
    FULL_ID,
    decoded_symbols,
    demo_item,
    make_case,
    pdf_text,
    wait_for_printed_file,
)


@pytest.fixture
def cli(monkeypatch, signed_in_cli):
    """The real dispatcher, with only this concern's command group loaded, used by the
    demo clerk signed in through ``user login``."""
    monkeypatch.setattr(app.cli, "COMMAND_MODULES", ["app.cli.print_cmd"])
    return app.cli.main


def test_print_receipt_to_file_archives_and_logs(cli, store, tmp_path, capsys):
    case = make_case(store)
    out = tmp_path / "out" / "receipt.pdf"
    assert cli(["print", "receipt", case.number, "--out", str(out)]) == 0
    assert "已生成 收件回执" in capsys.readouterr().out
    text = re.sub(r"\s+", "", pdf_text(out))
    assert "收件回执" in text and case.number in text and FULL_ID not in text
    assert cli(["print", "receipt", case.number, "--out", str(out), "--layout", "roll"]) == 0
    assert "第 2 次" in capsys.readouterr().out
    logs = list(PrintLog.select().order_by(PrintLog.id))
    assert [(log.document, log.layout, log.reprint, log.outcome) for log in logs] == [
        ("receipt", "a4", 0, "archived"), ("receipt", "roll", 1, "archived")]


def test_print_blank_form(cli, store, tmp_path):
    make_case(store)
    out = tmp_path / "form.pdf"
    assert cli(["print", "form", demo_item()["task_code"], "--out", str(out)]) == 0
    assert "个体工商户登记（备案）申请书" in re.sub(r"\s+", "", pdf_text(out))


@pytest.mark.parametrize("argv, message", [
    (["print", "receipt", "3502050012026112799999Z", "--out", "x.pdf"], "校验位不符"),
    (["print", "receipt", "{unknown}", "--out", "x.pdf"], "找不到办件编号"),
    (["print", "rejection", "{number}", "--out", "x.pdf", "--layout", "roll"], "只有 A4 版式"),
    (["print", "completion", "{number}", "--out", "x.pdf"], "无需出具一次性告知书"),
    (["print", "receipt", "{number}"], "--out"),
    (["print", "receipt", "{number}", "--out", "/proc/forbidden/x.pdf"], "无法写入"),
])
def test_bad_requests_get_one_clear_line(cli, store, capsys, tmp_path, monkeypatch, argv,
                                         message):
    monkeypatch.chdir(tmp_path)
    case = make_case(store)
    unknown = format_case_number("{region}{station}{date}{seq:05d}", "350205", "001",
                                 dt.date(2026, 11, 27), 99999)
    assert cli([arg.replace("{number}", case.number).replace("{unknown}", unknown)
                for arg in argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_print_to_cups_queue(cli, store, tmp_path, cups_pdf_printer, capsys):
    case = make_case(store)
    before = cups_pdf_printer.printed_files()
    assert cli(["print", "receipt", case.number, "--printer", cups_pdf_printer.queue]) == 0
    assert "已发送到打印机" in capsys.readouterr().out
    printed = wait_for_printed_file(cups_pdf_printer, before)
    assert f"CODE-128:{case.number}" in decoded_symbols(printed, tmp_path)
    assert PrintLog.get().outcome == "printed"


def test_each_case_of_a_month_prints_to_a_file_of_its_own(cli, store, tmp_path,
                                                          cups_pdf_printer, capsys):
    """cups-pdf names its output from the job title cut at 64 characters; a title that
    began with the Chinese document name kept only the month of the case number."""
    printed = {}
    for holder in ("350205199003071239", "350205197808080037"):
        case = make_case(store, id_number=holder)
        before = cups_pdf_printer.printed_files()
        assert cli(["print", "receipt", case.number, "--printer", cups_pdf_printer.queue]) == 0
        printed[case.number] = wait_for_printed_file(cups_pdf_printer, before)
    first, second = printed
    assert first[:14] == second[:14] and first != second  # one month, two cases
    assert printed[first] != printed[second]
    for number, path in printed.items():
        assert path.name.startswith(number)
        assert f"CODE-128:{number}" in decoded_symbols(path, tmp_path)


def test_unknown_queue_fails_but_keeps_the_pdf(cli, store, capsys, cups_pdf_printer):
    case = make_case(store)
    assert cli(["print", "receipt", case.number, "--printer", "NoSuchQueue"]) == 1
    assert "PDF 已存档" in capsys.readouterr().err
    log = PrintLog.get()
    assert log.outcome == "failed" and store.blobs.has(log.blob_digest)


def test_reprint_hands_over_the_archived_original(cli, store, tmp_path, capsys):
    case = make_case(store)
    first, again = tmp_path / "first.pdf", tmp_path / "again.pdf"
    assert cli(["print", "receipt", case.number, "--out", str(first)]) == 0
    # The clerk name changes after the first print; a reprint still says who issued it.
    store.writer.call(lambda: type(case).update(clerk="张改名").execute())
    assert cli(["print", "receipt", case.number, "--out", str(again), "--reprint"]) == 0
    assert "已补打存档原件" in capsys.readouterr().out
    assert again.read_bytes() == first.read_bytes()
    logs = list(PrintLog.select().order_by(PrintLog.id))
    assert [log.reprint for log in logs] == [0, 1]
    assert logs[0].blob_digest == logs[1].blob_digest
