"""``onewindow fee``: the fee of a case (收费).

``fee items NUMBER`` the catalog's fee items; ``fee confirm NUMBER --amount 10.00``
the amount the clerk confirms at acceptance (then ``onewindow print fee-notice``);
``fee status NUMBER [--json]`` unconfirmed / unpaid / paid / refunded;
``fee refund NUMBER --note T`` (supervisors) records the refund of a paid fee.
"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk


def register(subparsers) -> None:
    group = subparsers.add_parser("fee", help="收费与缴款 / fees")
    commands = group.add_subparsers(dest="fee_command", metavar="COMMAND", required=True)
    confirm = commands.add_parser("confirm", help="受理时确认收费金额 / confirm the amount")
    confirm.add_argument("number", help="办件编号")
    confirm.add_argument("--amount", required=True, help="金额（元，最多两位小数），如 10.00")
    confirm.set_defaults(handler=confirm_amount)
    refund = commands.add_parser("refund", help="登记退费（科室负责人） / record a refund")
    refund.add_argument("number", help="办件编号")
    refund.add_argument("--note", required=True, help="退费原因及退付凭证号")
    refund.set_defaults(handler=refund_fee)
    status = commands.add_parser("status", help="缴费状态 / payment state")
    status.add_argument("number", help="办件编号")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=show_status)


def confirm_amount(args) -> int:
    from app.fees import FeeError, confirm_fee

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            status = confirm_fee(store, settings, identity, args.number, args.amount)
        except FeeError as exc:
            raise CommandError(str(exc)) from exc
    data = status.to_json()
    print(f"已确认办件 {args.number} 收费 ¥{data['amount']}（{data['amount_in_capitals']}），"
          f"缴款码 {status.payment_code}")
    return 0


def refund_fee(args) -> int:
    from app.fees import FeeError, record_refund
    from app.staff import PermissionRefused

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            record_refund(store, identity, args.number, args.note)
        except (FeeError, PermissionRefused) as exc:
            raise CommandError(str(exc)) from exc
    print(f"已登记办件 {args.number} 退费")
    return 0


def show_status(args) -> int:
    from app.fees import STATE_LABELS, FeeError, fee_status

    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        try:
            status = fee_status(args.number)
        except FeeError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json(status.to_json())
        return 0
    label = {"none": "不收费", "unconfirmed": "收费金额待确认"}.get(
        status.state, STATE_LABELS.get(status.state, status.state))
    print(f"{args.number}：{label}" + (f" ¥{status.to_json()['amount']}"
                                      if status.amount_fen is not None else ""))
    return 0
