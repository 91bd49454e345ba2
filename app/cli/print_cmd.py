"""``onewindow print``: render a case document (or an item's blank form).

    onewindow print receipt|acceptance|completion|rejection|deficiency CASE_NUMBER
                    --out FILE.pdf [--layout roll] [--printer QUEUE] [--copies N]
    onewindow print form TASK_CODE|HANDLE_ITEM_CODE --out FILE.pdf [--material ID]

Every document is archived in the blob store and logged, like one printed
from the window.
"""

from __future__ import annotations

from pathlib import Path

from app import documents, print_jobs
from app.cli import CommandError
from app.cli.common import current_settings, open_store, signed_in_clerk
from app.print_jobs import BLANK_FORM, CASE_DOCUMENTS, LAYOUTS, FontError, PrintFailed


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "print", help="打印受理文书 / print receipts and notices",
        description="生成收件回执、受理通知书、一次性告知书、不予受理通知书、容缺受理承诺书或空白表格",
    )
    parser.add_argument("kind", choices=[*CASE_DOCUMENTS, BLANK_FORM, documents.FEE_NOTICE],
                        help="文书类型 / document (form = 事项空白表格, fee-notice = 缴款通知书)")
    parser.add_argument("target",
                        help="办件编号，或 form 时的实施编码（有办理项的事项用办理项编码）"
                             " / case number, or for form the task or handle-item code")
    parser.add_argument("--out", type=Path, help="保存 PDF 到此文件 / write the PDF here")
    parser.add_argument("--layout", choices=LAYOUTS, default="a4",
                        help="版式：a4 或 80 mm 卷纸 roll（仅收件回执）")
    parser.add_argument("--printer", default="", help="同时发送到此 CUPS 打印队列 / CUPS queue")
    parser.add_argument("--copies", type=int, default=1, help="份数 / copies")
    parser.add_argument("--material", default=None, help="form 时指定材料编号 / material id")
    parser.add_argument("--reprint", action="store_true",
                        help="补打：输出已出具的存档原件（没有存档时重新生成）/ "
                             "reprint the archived copy")
    parser.set_defaults(handler=_print)


def _print(args) -> int:
    if args.out is None and not args.printer:
        raise CommandError(
            "请用 --out 指定 PDF 文件或用 --printer 指定打印机 / give --out or --printer"
        )
    if args.copies < 1:
        raise CommandError("份数至少为 1 / --copies must be at least 1")
    settings = current_settings()
    with open_store() as store:
        signed_in_clerk(store, settings)
        from app.fees import FeeError

        try:
            prepared = print_jobs.prepare(store, settings, args.kind, args.target, args.layout,
                                          reprint=args.reprint, material=args.material,
                                          copies=args.copies, printer=args.printer)
        except (documents.DocumentError, FontError, FeeError) as exc:
            raise CommandError(str(exc)) from exc
        archived = prepared.archived
        if args.out is not None:
            _write(args.out, prepared.pdf)
            verb = "已补打存档原件" if prepared.original else "已生成"
            print(f"{verb} {documents.document_title(args.kind)}：{args.out}"
                  f"（存档 {archived.blob_digest[:12]}，第 {archived.reprint + 1} 次）")
        if args.printer:
            try:
                job = print_jobs.print_to_queue(store, prepared, args.target, args.printer,
                                                args.copies)
            except PrintFailed as exc:
                raise CommandError(f"{exc}；PDF 已存档，可稍后补打") from exc
            print(f"已发送到打印机 {args.printer}（作业 {job}）")
    return 0


def _write(path: Path, pdf: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"无法写入 {path}：{exc.strerror} / cannot write the file") from exc
