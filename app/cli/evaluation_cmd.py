"""``onewindow evaluate`` and ``onewindow rectification``: 好差评 and its follow-up.

``evaluate NUMBER --level 1..5 --channel window|qr|sms [--comment T]`` records the
applicant's rating (GB/T 39046 A.8: 1 非常满意 … 5 非常不满意) under the signed-in
clerk; 4 and 5 need a comment and open a rectification item.
``rectification list [--open] [--json]`` and ``rectification close ID --result T``
(supervisors) follow the bad ratings up.
"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk


def register(subparsers) -> None:
    rate = subparsers.add_parser("evaluate", help="好差评：记录申请人的评价 / rate a case")
    rate.add_argument("number", help="办件编号")
    rate.add_argument("--level", type=int, required=True, choices=range(1, 6),
                      metavar="1..5",
                      help="GB/T 39046 A.8: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, "
                           "5 非常不满意")
    rate.add_argument("--channel", required=True, choices=["window", "qr", "sms"],
                      help="window 窗口评价器 / qr 二维码 / sms 短信")
    rate.add_argument("--comment", default="", help="评价意见（不满意、非常不满意必填）")
    rate.add_argument("--json", action="store_true")
    rate.set_defaults(handler=evaluate_case)

    group = subparsers.add_parser("rectification", help="差评整改 / bad-rating follow-up")
    commands = group.add_subparsers(dest="rectification_command", metavar="COMMAND",
                                    required=True)
    listing = commands.add_parser("list", help="整改事项 / rectification items")
    listing.add_argument("--open", action="store_true", help="只列未办结的 / open ones only")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_rectifications)
    close = commands.add_parser("close", help="办结一件整改 / close one item")
    close.add_argument("id", type=int)
    close.add_argument("--result", required=True, help="核实、整改与回复申请人的情况")
    close.set_defaults(handler=close_item)


def evaluate_case(args) -> int:
    from app.evaluation import EvaluationError, evaluate

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            rated = evaluate(store, settings, identity, args.number, args.level,
                             args.channel, args.comment)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json({"uuid": rated.uuid, "case_number": rated.case_number, "point": rated.point,
                    "round": rated.round, "level": rated.level, "channel": rated.channel,
                    "rectification_id": rated.rectification_id,
                    "rectification_due": rated.rectification_due})
        return 0
    which = "首次" if rated.round == 1 else "第二次"
    print(f"已记录办件 {rated.case_number} 的{which}评价：{rated.level}")
    if rated.rectification_id:
        mark = "（节假日数据不全，期限待复核）" if rated.due_uncertain else ""
        print(f"已生成整改事项 {rated.rectification_id}，须于 {rated.rectification_due} 前"
              f"核实整改并回复申请人{mark}")
    return 0


def list_rectifications(args) -> int:
    from app.evaluation import rectifications

    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        rows = rectifications(include_closed=not args.open)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    if not rows:
        print("没有差评整改事项 / no rectification items")
        return 0
    for row in rows:
        state = "已办结" if row.state == "closed" else "待整改"
        print(f"{row.id}  {row.case_number}  {row.level}  {state}  期限 {row.due_date}"
              f"{'  已超期' if row.overdue else ''}  {row.comment}")
    return 0


def close_item(args) -> int:
    from app.evaluation import EvaluationError, close_rectification
    from app.staff import PermissionRefused

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            close_rectification(store, identity, args.id, args.result)
        except (EvaluationError, PermissionRefused) as exc:
            raise CommandError(str(exc)) from exc
    print(f"整改事项 {args.id} 已办结")
    return 0
