"""``onewindow calendar``: an administrator makes an uncovered year usable."""

import argparse
import datetime as dt
import json

import chinese_calendar
import pytest

from app.cli import CommandError, calendar_cmd
from local_store.models import AuditEvent


def run(argv, capsys):
    # Only this command group: the test must not depend on others being installed.
    parser = argparse.ArgumentParser(prog="onewindow")
    calendar_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(argv)
    status = args.handler(args)
    return status, capsys.readouterr().out


def uncovered_year() -> int:
    year = 2026
    while True:
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


def test_cover_a_year_through_the_cli(home, cli_login, capsys):
    year = uncovered_year()
    status, out = run(["calendar", "deadline", f"{year - 1}-12-30", "3", "--json"], capsys)
    assert status == 0 and json.loads(out)["uncertain"] is True

    # Only an administrator changes the working-day calendar (refused in the service).
    assert cli_login("clerk01") == 0
    capsys.readouterr()
    with pytest.raises(CommandError, match="无权维护工作日日历"):
        run(["calendar", "cover", str(year)], capsys)
    assert cli_login("admin") == 0
    capsys.readouterr()

    run(["calendar", "set", f"{year}-01-01", "holiday", "--note", "元旦"], capsys)
    run(["calendar", "cover", str(year)], capsys)
    status, out = run(["calendar", "deadline", f"{year - 1}-12-30", "3", "--json"], capsys)
    result = json.loads(out)
    assert result["uncertain"] is False

    status, out = run(["calendar", "show", "--json"], capsys)
    shown = json.loads(out)
    assert shown["covered_years"] == [year]
    assert shown["overrides"] == [{"date": f"{year}-01-01", "workday": False, "note": "元旦"}]
    changes = [(row.account, row.event, row.object)
               for row in AuditEvent.select().where(AuditEvent.event == "settings_change")]
    assert changes == [("admin", "settings_change", f"calendar/{year}-01-01"),
                       ("admin", "settings_change", f"calendar/{year}")]


def test_bad_date_is_a_clear_error(home, capsys):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(["calendar", "set", "2027-02-30", "holiday"], capsys)
