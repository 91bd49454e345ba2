"""``onewindow eod status|sign``: the station's end of day (日结) and its sign-off."""

from __future__ import annotations

import datetime as dt

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.numbering import station_key
from app.reports.end_of_day import SignoffRefused, sign_day, supervisor_day_status
from app.staff import PermissionRefused
from local_store.instants import station_today

FIGURE_NAMES = {"taken_in": "收件", "decided": "决定", "printed": "出具文书", "queued": "上报中",
                "acknowledged": "大厅已确认", "parked": "上报搁置"}


def _day(args, settings) -> dt.date:
    try:
        return dt.date.fromisoformat(args.date) if args.date else station_today(settings.zone)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD: {args.date}") from exc


def status_command(args) -> int:
    settings = current_settings()
    day = _day(args, settings)
    station = None if args.all_stations else station_key(settings.region_code,
                                                         settings.station_code)
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            status = supervisor_day_status(identity, day, station, zone=settings.zone)
        except PermissionRefused as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json(status)
        return 0
    print(f"日结 {day.isoformat()}")
    for line in status["stations"]:
        signed = (f"已由 {line['signed_by']} 签核" if line["signed"] else "未签核")
        if line["changed_since_signed"]:
            signed += "（签核后数字有变动）"
        print(f"  工位 {line['station']}：" + "  ".join(
            f"{FIGURE_NAMES[name]} {line[name]}" for name in FIGURE_NAMES) + f"  {signed}")
        for difference in line["differences"]:
            print(f"    ！{difference['case_number']}  {difference['problem']}")
    if status["unsigned_days"]:
        print("尚未日结签核的日期：" + "、".join(status["unsigned_days"]))
    return 0


def sign_command(args) -> int:
    settings = current_settings()
    day = _day(args, settings)
    station = station_key(settings.region_code, settings.station_code)
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            line = sign_day(store, identity, day, station, zone=settings.zone)
        except (PermissionRefused, SignoffRefused) as exc:
            raise CommandError(str(exc)) from exc
    print(f"已签核工位 {station} {day.isoformat()} 日结：" + "  ".join(
        f"{FIGURE_NAMES[name]} {value}" for name, value in line.figures.items())
        + (f"；差异 {len(line.differences)} 件" if line.differences else ""))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("eod", help="日结 / end of day: reconciliation and sign-off")
    commands = parser.add_subparsers(dest="eod_command", metavar="COMMAND", required=True)
    run = commands.add_parser("status", help="日结核对 / the day's reconciliation")
    run.add_argument("--date", help="YYYY-MM-DD (默认今天)")
    run.add_argument("--all-stations", action="store_true", help="本库所有工位")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=status_command)
    run = commands.add_parser("sign", help="日结签核（科室负责人）/ sign the day off")
    run.add_argument("--date", help="YYYY-MM-DD (默认今天)")
    run.set_defaults(handler=sign_command)
