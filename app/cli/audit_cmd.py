"""``onewindow audit verify|list`` — the station's audit trail (``app.staff.audit``).

``verify`` walks the SM3 hash chain and names every changed, removed or
reordered row (exit 1 when it finds one); it shows no personal data and
needs no sign-in, so anyone checking a station can run it.  ``list`` shows
who did what and is for supervisors and administrators.
"""

from __future__ import annotations

import datetime as dt

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk


def _verify(args) -> int:
    from app.staff.audit import verify

    with open_store() as store:
        checked, problems = verify(store.home)
    if args.json:
        print_json({"rows": checked, "ok": not problems,
                    "problems": [{"row": p.row_id, "message": p.message} for p in problems]})
    elif not problems:
        print(f"审计记录完整：{checked} 行，哈希链无断点 / audit trail intact")
    for problem in problems:
        if not args.json:
            print(problem.message)
    if problems:
        raise CommandError(f"审计记录被改动：发现 {len(problems)} 处问题 / audit trail tampered")
    return 0


def _parse_since(text: str) -> dt.datetime:
    try:
        since = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD 或 ISO 8601：{text} / bad date") from exc
    if since.tzinfo is None:  # a plain date or local time is the station's own clock
        from local_store.instants import station_zone

        since = since.replace(tzinfo=station_zone())
    return since


def _list(args) -> int:
    from app.staff import SUPERVISORS, PermissionRefused, require_role
    from app.staff.audit import rows_since

    settings = current_settings()  # first: a --since without offset is in its zone
    since = _parse_since(args.since) if args.since else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            require_role(identity, SUPERVISORS, "查看审计记录")
        except PermissionRefused as exc:
            raise CommandError(str(exc)) from exc
        rows = rows_since(since)
    if args.json:
        print_json({"since": since.isoformat(), "events": rows})
        return 0
    for row in rows:
        print(f"{row['at']}  {row['account'] or '-':<12} {row['event']:<16} "
              f"{row['object']:<24} {row['outcome']}")
    print(f"共 {len(rows)} 条")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("audit", help="审计记录 / audit trail")
    commands = parser.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)
    verify = commands.add_parser("verify", help="校验哈希链 / verify the hash chain")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_verify)
    listing = commands.add_parser("list", help="列出审计记录 / list audit rows")
    listing.add_argument("--since", help="YYYY-MM-DD 或 ISO 8601")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
