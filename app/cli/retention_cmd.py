"""``onewindow retention``: personal data leaves the station once the hall holds it.

``run`` purges what is due now (``--dry-run`` only counts), ``status`` says
how many cases are whole, archived and due, ``set`` is the administrator's
change of the policy.  The sync service does the same ``run`` hourly in its
housekeeping lane (app.housekeeping).
"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk


def _run(args) -> int:
    from app.retention import run_retention

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        report = run_retention(store, settings, dry_run=args.dry_run,
                               account=identity.account)
    if args.json:
        print_json(report.as_dict())
    elif not report.enabled:
        print("个人信息保留期限已关闭：不清除任何办件")
    else:
        freed = (f"，释放 {report.bytes_freed / 1e6:.1f} MB" if not report.dry_run
                 else f"，约 {report.bytes_held_by_due_cases / 1e6:.1f} MB 文件")
        print(report.summary() + freed)
    return 0


def _status(args) -> int:
    from app.retention import retention_status

    settings = current_settings()
    with open_store():
        status = retention_status(settings)
    if args.json:
        print_json(status)
        return 0
    state = f"开启，保留 {status['retention_days']} 天" if status["enabled"] else "关闭"
    print(f"个人信息保留期限：{state}")
    print(f"本机完整办件 {status['cases_whole']} 件，已归档 {status['cases_purged']} 件，"
          f"现可归档 {status['due_now']} 件")
    return 0


def _set(args) -> int:
    from app.retention import RetentionError, change_retention
    from app.staff import PermissionRefused

    if args.days is None and not (args.on or args.off):
        raise CommandError("请给出 --days N、--on 或 --off / nothing to change")
    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            change_retention(store, identity, settings, days=args.days,
                             enabled=True if args.on else False if args.off else None)
        except (PermissionRefused, RetentionError) as exc:
            raise CommandError(str(exc)) from exc
    state = f"开启，保留 {settings.retention_days} 天" if settings.retention_enabled else "关闭"
    print(f"个人信息保留期限：{state}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "retention", help="个人信息保留期限：大厅确认后清除本机个人信息 / retention")
    commands = parser.add_subparsers(dest="retention_command", metavar="COMMAND", required=True)

    run_parser = commands.add_parser("run", help="清除已到期办件的个人信息和扫描件")
    run_parser.add_argument("--dry-run", action="store_true", help="只统计，不清除")
    run_parser.add_argument("--json", action="store_true")
    run_parser.set_defaults(handler=_run)

    status_parser = commands.add_parser("status", help="保留期限与办件归档情况")
    status_parser.add_argument("--json", action="store_true")
    status_parser.set_defaults(handler=_status)

    set_parser = commands.add_parser("set", help="修改保留期限（仅系统管理员）")
    set_parser.add_argument("--days", type=int, help="大厅确认后保留的天数")
    switch = set_parser.add_mutually_exclusive_group()
    switch.add_argument("--on", action="store_true", help="开启")
    switch.add_argument("--off", action="store_true", help="关闭（保留全部）")
    set_parser.set_defaults(handler=_set)
