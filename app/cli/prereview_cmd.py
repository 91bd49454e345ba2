"""``onewindow prereview``: the 网上预审 queue, one application, the decision.

``list --json`` rows: id, item, applicant (masked), submitted_at, due, state,
round (plus urgency and working days left); ``show ID --json`` everything the
clerk reviews; ``decide ID pass|return|reject`` records the decision and queues
it for the hall (the sync service delivers it).  ID numbers are masked unless
``--full-id``.
"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk


def register(subparsers) -> None:
    group = subparsers.add_parser("prereview", help="网上预审 / online pre-review")
    commands = group.add_subparsers(dest="prereview_command", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", help="待预审队列（按到期先后） / the queue by due date")
    listing.add_argument("--all", action="store_true", help="含已决定的 / include decided ones")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_queue)

    show = commands.add_parser("show", help="查看一件网上申请 / one application")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.add_argument("--full-id", action="store_true", help="显示完整证件号码")
    show.set_defaults(handler=show_application)

    decide = commands.add_parser("decide", help="作出预审决定 / decide")
    decide.add_argument("id")
    decide.add_argument("decision", choices=["pass", "return", "reject"],
                        help="pass 预审通过 / return 退回补正 / reject 不予受理")
    decide.add_argument("--reason", default="", help="理由（申请人可见；退回、不予受理必填）")
    decide.add_argument("--basis", default="", help="法律依据（不予受理必填）")
    decide.add_argument("--missing", nargs="+", default=[], metavar="MATERIAL_ID",
                        help="须补正的全部材料（退回必填，一次性告知）")
    decide.add_argument("--json", action="store_true")
    decide.set_defaults(handler=decide_application)


def list_queue(args) -> int:
    from app.prereview import URGENCY_LABELS, load_queue

    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        rows = load_queue(settings, include_decided=args.all)
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    if not rows:
        print("没有待预审的网上申请 / the pre-review queue is empty")
        return 0
    for row in rows:
        mark = URGENCY_LABELS[row.urgency]
        print(f"{row.hall_id}  {row.due_date}{'?' if row.due_uncertain else ''} "
              f"{mark or ''}  {row.state_label}  第{row.round}轮  {row.item_name}  "
              f"{row.applicant_name} {row.applicant_id_masked}")
    return 0


def show_application(args) -> int:
    from app.prereview import PrereviewError, application_detail

    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        try:
            detail = application_detail(store, settings, args.id, mask=not args.full_id)
        except PrereviewError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json(detail)
        return 0
    print(f"{detail['id']}  {detail['item']}（{detail['dept']}）")
    print(f"状态 {detail['state_label']}  第{detail['round']}轮  提交 {detail['submitted_at']}  "
          f"预审期限 {detail['due']}")
    applicant = detail["applicant"]
    print(f"申请人 {applicant.get('name')}  {applicant.get('id_number')}  "
          f"{applicant.get('phone') or detail['contact_phone']}")
    for material in detail["materials"]:
        files = "、".join(f["name"] + ("" if f["downloaded"] else "（未下载）")
                         for f in material["files"]) or "未上传"
        print(f"  {material['material_id']} {material['name']}：{files}")
    for check in detail["checks"]:
        print(f"  [{'✓' if check['ok'] else '✗'}] {check['check']}：{check['message']}")
    return 0


def decide_application(args) -> int:
    from app.prereview import PrereviewError, decide

    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        try:
            result = decide(store, settings, args.id, args.decision, reason=args.reason,
                            basis=args.basis, missing_ids=args.missing)
        except PrereviewError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json(result.to_json())
        return 0
    line = f"{result.hall_id}：{result.to_json()['state_label']}"
    if result.case_number:
        line += f"，办件编号 {result.case_number}"
    print(line + "（已排队上报大厅）")
    return 0
