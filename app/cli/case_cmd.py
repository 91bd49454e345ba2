"""``onewindow case``: batch entry (import), show, list a day's cases, 特别程序 pauses.

``case import FILE`` follows the ``onewindow-cases/1`` contract (see
``app.case_import``); other tools rely on its JSON report, so its shape only
ever grows.  ID numbers are masked in every output unless ``--full-id``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.numbering import station_key, verify_case_number
from app.plain_text import visible
from local_store.instants import station_today

# Intake, import and signature checking pull in pyHanko, pikepdf and Pillow
# (seconds on a busy machine): imported by the handlers that need them, so
# every other ``onewindow`` command starts fast.


def _import(args) -> int:
    from app.case_import import ImportFormatError, import_cases
    from app.intake import IntakeService

    path = Path(args.file)
    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        service = IntakeService(store, settings)
        try:
            results = import_cases(service, path, allow_outside=args.allow_outside)
        except ImportFormatError as exc:
            raise CommandError(str(exc)) from exc
    failed = [result for result in results if not result.ok]
    if args.json:
        print_json(
            {
                "format": "onewindow-cases-report/1",
                "imported": sum(1 for r in results if r.ok and not r.already_imported),
                "already_imported": sum(1 for r in results if r.already_imported),
                "failed": len(failed),
                "results": [result.to_json() for result in results],
            }
        )
    else:
        for result in results:
            ref = visible(result.ref)  # a file's text never drives the terminal
            if result.already_imported:
                print(f"{ref}: 已导入过，办件编号 {result.case_number}（未重复导入）")
            elif result.ok:
                deadline = f"，承诺期限 {result.deadline}" if result.deadline else ""
                print(f"{ref}: 已导入，办件编号 {result.case_number}{deadline}")
            else:
                for error in result.errors:
                    print(f"{ref}: {visible(error.field)}: {visible(error.message)}")
    if failed:
        print(
            f"onewindow: {len(failed)} 条记录未导入，其余 {len(results) - len(failed)} 条已处理 "
            f"/ {len(failed)} record(s) not imported",
            file=sys.stderr,
        )
        return 1
    return 0


def _show(args) -> int:
    from app.cases import case_detail

    number = args.number.strip().upper()
    if not verify_case_number(number):
        raise CommandError(f"办件编号 {args.number} 校验位不符，请核对 / check character mismatch")
    if args.from_hall:
        return _show_from_hall(number, args)
    with open_store() as store:
        signed_in_clerk(store, current_settings())  # personal data: only to a signed-in clerk
        detail = case_detail(number, mask=not args.full_id)
    if detail is None:
        raise CommandError(f"找不到办件 {number} / no such case")
    if args.json:
        print_json(detail)
        return 0
    applicant = detail["applicant"] or {}
    print(f"办件编号  {detail['number']}   状态 {detail['state']}")
    if detail.get("archived"):
        print(f"          {detail['archived']}（{detail['purged_at']}）")
    handle = f"，办理项 {detail['handle_item_code']}" if detail["handle_item_code"] else ""
    print(f"事项      {detail['handle_item_name'] or detail['item_name']}"
          f"（{detail['task_code']}{handle}）")
    print(f"申请人    {applicant.get('name', '')}  {applicant.get('id_number', '')}")
    print(f"收件时间  {detail['received_at']}   承诺期限 {detail['deadline'] or '—'}")
    for material in detail["materials"]:
        digest = (material["digest"] or "")[:12]
        print(f"  - {material['name']}: {material['received_form']} {digest}")
    return 0


def _show_from_hall(number: str, args) -> int:
    """The hall's copy, read only (a case archived by retention, or any case sent)."""
    from app.retention import FetchBackError, fetch_from_hall

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            held = fetch_from_hall(store, settings, number, identity, mask=not args.full_id)
        except FetchBackError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json(held)
        return 0
    applicant = held["applicant"] or {}
    print(f"办件编号  {held['number']}   状态 {held['state']}（网上办事大厅第 "
          f"{held['hall_revision']} 版，只读）")
    print(f"申请人    {applicant.get('name', '')}  {applicant.get('id_number', '')}")
    for material in held["materials"]:
        print(f"  - {material['name']}: {material['received_form']} "
              f"{(material.get('digest') or '')[:12]}")
    if not held["digests_match"]:
        print("注意：大厅所存附件与本机记录的摘要不一致")
    return 0


def _list(args) -> int:
    from app.cases import cases_on_day

    settings = current_settings()
    try:
        day = dt.date.fromisoformat(args.date) if args.date else station_today(settings.zone)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{args.date} / bad date") from exc
    station = (
        None if args.all_stations else station_key(settings.region_code, settings.station_code)
    )
    with open_store() as store:
        signed_in_clerk(store, settings)
        rows = cases_on_day(day, station)
    if args.json:
        print_json({"date": day.isoformat(), "cases": [row.to_json() for row in rows]})
        return 0
    for row in rows:
        deadline = row.deadline.isoformat() if row.deadline else "—"
        print(f"{row.number}  {row.state:<16} {row.applicant_name}  {row.item_name}  {deadline}")
    print(f"共 {len(rows)} 件")
    return 0


def _pause(args) -> int:
    from app.intake import IntakeError
    from app.special_procedures import record_special_procedure

    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError as exc:
        raise CommandError("日期格式应为 YYYY-MM-DD / bad date") from exc
    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        try:
            deadline = store.writer.call(
                record_special_procedure,
                args.number,
                args.procedure,
                start,
                end,
                settings.clerk_name,
                args.note,
            )
        except IntakeError as exc:
            raise CommandError(str(exc)) from exc
    flag = f"（{deadline.reason}）" if deadline.uncertain else ""
    print(f"已登记{args.procedure}，承诺期限顺延至 {deadline.date:%Y-%m-%d}{flag}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("case", help="办件：补录导入、查看、列表 / cases")
    commands = parser.add_subparsers(dest="case_command", metavar="COMMAND", required=True)

    import_parser = commands.add_parser("import", help="批量补录 onewindow-cases/1 文件")
    import_parser.add_argument("file")
    import_parser.add_argument("--json", action="store_true")
    import_parser.add_argument(
        "--allow-outside", action="store_true",
        help="允许读取补录文件所在文件夹以外的附件 / attachments outside the batch's folder")
    import_parser.set_defaults(handler=_import)

    show_parser = commands.add_parser("show", help="查看一个办件")
    show_parser.add_argument("number")
    show_parser.add_argument("--json", action="store_true")
    show_parser.add_argument("--full-id", action="store_true", help="显示完整证件号码")
    show_parser.add_argument("--from-hall", action="store_true",
                             help="从网上办事大厅只读调取（已归档的办件）")
    show_parser.set_defaults(handler=_show)

    list_parser = commands.add_parser("list", help="列出某日收件的办件")
    list_parser.add_argument("--date", help="YYYY-MM-DD，默认今天")
    list_parser.add_argument("--json", action="store_true")
    list_parser.add_argument("--all-stations", action="store_true")
    list_parser.set_defaults(handler=_list)

    pause_parser = commands.add_parser("pause", help="登记特别程序（期间不计入承诺时限）")
    pause_parser.add_argument("number")
    pause_parser.add_argument("procedure", help="听证、检验、检测、鉴定、专家评审等")
    pause_parser.add_argument("start", help="开始日期 YYYY-MM-DD")
    pause_parser.add_argument("end", help="结束日期 YYYY-MM-DD")
    pause_parser.add_argument("--note", default="")
    pause_parser.set_defaults(handler=_pause)
