"""``onewindow calendar``: the administrator's working-day override table.

chinesecalendar knows holidays only up to its release year; when the State
Council publishes the next year's schedule, an administrator enters it here
(``set`` per holiday/调休 day, then ``cover`` the year) so deadlines in that
year are no longer flagged as uncertain.
"""

from __future__ import annotations

import datetime as dt

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.deadlines import UNIT_NAMES, WorkCalendar, change_calendar, promise_deadline
from local_store.models import CalendarOverride, CoveredYear

DAY_KINDS = {"workday": True, "holiday": False}


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text} / bad date") from exc


def _as_administrator(store, **change) -> None:
    from app.staff import PermissionRefused

    identity = signed_in_clerk(store, current_settings())
    try:
        change_calendar(store, identity, **change)
    except PermissionRefused as exc:
        raise CommandError(str(exc)) from exc


def _set(args) -> int:
    day = _parse_date(args.date)
    with open_store() as store:
        _as_administrator(store, day=day, is_workday=DAY_KINDS[args.kind], note=args.note)
    print(f"{day:%Y-%m-%d} 设为{'工作日' if DAY_KINDS[args.kind] else '休息日'}")
    return 0


def _cover(args) -> int:
    if not 2000 <= args.year <= 2100:
        raise CommandError(f"年份不合理：{args.year} / implausible year")
    with open_store() as store:
        _as_administrator(store, cover=args.year, note=args.note)
    print(f"{args.year} 年已标记为节假日数据完整")
    return 0


def _show(args) -> int:
    with open_store():
        overrides = [
            {"date": row.day.isoformat(), "workday": row.is_workday, "note": row.note}
            for row in CalendarOverride.select().order_by(CalendarOverride.day)
        ]
        covered = [row.year for row in CoveredYear.select().order_by(CoveredYear.year)]
    payload = {"overrides": overrides, "covered_years": covered}
    if args.json:
        print_json(payload)
    else:
        print("已覆盖年份：" + ("、".join(map(str, covered)) or "无"))
        for row in overrides:
            kind = "工作日" if row["workday"] else "休息日"
            print(f"{row['date']}  {kind}  {row['note']}")
    return 0


def _deadline(args) -> int:
    start = _parse_date(args.start)
    with open_store():
        deadline = promise_deadline(
            start, {"value": args.value, "unit": args.unit}, WorkCalendar.load()
        )
    payload = {
        "start": start.isoformat(),
        "deadline": deadline.date.isoformat(),
        "uncertain": deadline.uncertain,
        "reason": deadline.reason,
    }
    if args.json:
        print_json(payload)
    else:
        flag = f"（{deadline.reason}）" if deadline.uncertain else ""
        print(f"{deadline.date:%Y-%m-%d}{flag}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("calendar", help="工作日日历维护 / working-day overrides")
    commands = parser.add_subparsers(dest="calendar_command", metavar="COMMAND", required=True)

    set_parser = commands.add_parser("set", help="设定某日为工作日或休息日")
    set_parser.add_argument("date", help="YYYY-MM-DD")
    set_parser.add_argument("kind", choices=sorted(DAY_KINDS))
    set_parser.add_argument("--note", default="")
    set_parser.set_defaults(handler=_set)

    cover_parser = commands.add_parser("cover", help="标记某年节假日数据已完整录入")
    cover_parser.add_argument("year", type=int)
    cover_parser.add_argument("--note", default="")
    cover_parser.set_defaults(handler=_cover)

    show_parser = commands.add_parser("show", help="列出覆盖年份和调整日")
    show_parser.add_argument("--json", action="store_true")
    show_parser.set_defaults(handler=_show)

    deadline_parser = commands.add_parser("deadline", help="试算承诺期限")
    deadline_parser.add_argument("start", help="受理日期 YYYY-MM-DD")
    deadline_parser.add_argument("value", type=int)
    deadline_parser.add_argument("--unit", choices=sorted(UNIT_NAMES), default="working_day")
    deadline_parser.add_argument("--json", action="store_true")
    deadline_parser.set_defaults(handler=_deadline)
