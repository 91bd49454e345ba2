"""The audit trail (issue 12): every sign-in, decision, print and look-up leaves
a hash-chained row; ``onewindow audit verify`` names a changed, removed or
reordered row, whoever went around the program to do it."""

from __future__ import annotations

import argparse
import json

import pytest

from app.cli import CommandError, audit_cmd
from local_store.models import AuditEvent
from local_store.store import CASE_DB_FILE
from tests.support.staff import run_user_command
from tests.support.station_keys import open_case_file


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="onewindow")
    audit_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(argv)
    try:
        status = args.handler(args)
    except CommandError as exc:
        status = f"error: {exc}"
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def trail(home, cli_login, capsys):
    """Real rows: sign-ins, a failure, sign-outs (7 rows)."""
    assert cli_login() == 0
    assert run_user_command(["logout"]) == 0
    assert cli_login("clerk01", "wrong-password") == 1
    assert cli_login("supervisor") == 0  # another account of this station (issue 13)
    assert run_user_command(["logout"]) == 0
    assert cli_login() == 0
    assert run_user_command(["logout"]) == 0
    capsys.readouterr()
    return home / CASE_DB_FILE


def tamper(db_path, *statements):
    """What someone with the file, the key and the sqlite3 tool (SQLCipher's) could do."""
    connection = open_case_file(db_path)
    connection.execute('DROP TRIGGER "audit_event_no_update"')
    connection.execute('DROP TRIGGER "audit_event_no_delete"')
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_intact_trail_verifies(trail, capsys):
    status, out, _ = run(["audit", "verify", "--json"], capsys)
    report = json.loads(out)
    assert status == 0 and report["ok"] is True and report["rows"] == 7


def test_the_program_cannot_change_or_delete_a_row(trail, store):
    with pytest.raises(Exception, match="append-only"):
        store.writer.call(lambda: AuditEvent.update(outcome="ok").execute())
    with pytest.raises(Exception, match="append-only"):
        store.writer.call(lambda: AuditEvent.delete().execute())


def test_a_changed_row_is_reported(trail, capsys):
    tamper(trail, "UPDATE audit_event SET outcome = 'ok' WHERE event = 'sign_in_failed'")
    status, out, _ = run(["audit", "verify"], capsys)
    assert str(status).startswith("error") and "审计记录被改动" in status
    assert "第 3 行内容被改动" in out


def test_a_deleted_row_is_reported(trail, capsys):
    tamper(trail, "DELETE FROM audit_event WHERE id = 3")
    status, out, _ = run(["audit", "verify"], capsys)
    assert str(status).startswith("error")
    assert "第 3–3 行缺失" in out and "第 4 行与前一行的链接不符" in out


def test_rows_removed_from_the_end_are_reported(trail, capsys):
    tamper(trail, "DELETE FROM audit_event WHERE id >= 6")
    status, out, _ = run(["audit", "verify"], capsys)
    assert str(status).startswith("error") and "最后 2 行被删除" in out


def test_reordered_rows_are_reported(trail, capsys):
    # Swap the contents of rows 2 and 4, hashes and all.
    columns = "at, station, account, event, object, outcome, detail, prev_hash, row_hash"
    tamper(trail,
           f"CREATE TEMP TABLE swap AS SELECT id, {columns} FROM audit_event WHERE id IN (2, 4)",
           *(f"UPDATE audit_event SET ({columns}) = (SELECT {columns} FROM swap WHERE id = "
             f"{other}) WHERE id = {row}" for row, other in ((2, 4), (4, 2))))
    status, out, _ = run(["audit", "verify"], capsys)
    assert str(status).startswith("error")
    assert "第 2 行" in out and "第 4 行" in out


def test_list_since_is_for_supervisors(trail, capsys):
    assert run_user_command(["login", "--user", "clerk01"], "onewindow-demo") == 0
    capsys.readouterr()
    status, _, _ = run(["audit", "list", "--since", "2000-01-01", "--json"], capsys)
    assert "无权查看审计记录" in str(status)


def test_a_supervisor_lists_the_rows_since_a_date(trail, capsys):
    assert run_user_command(["login", "--user", "supervisor"], "onewindow-demo") == 0
    capsys.readouterr()
    status, out, _ = run(["audit", "list", "--since", "2000-01-01", "--json"], capsys)
    assert status == 0
    events = json.loads(out)["events"]
    assert [(e["account"], e["event"], e["outcome"]) for e in events[:3]] == [
        ("clerk01", "sign_in", "ok"), ("clerk01", "sign_out", "ok"),
        ("clerk01", "sign_in_failed", "failed")]
    assert all(e["at"].endswith("+00:00") and e["station"] == "350205001" for e in events)
    assert "onewindow-demo" not in out
    status, out, _ = run(["audit", "list", "--since", "2999-01-01", "--json"], capsys)
    assert json.loads(out)["events"] == []
