"""``onewindow signature verify FILE``: check an electronically signed PDF.

The same check the intake screen runs on an e-signed material, against the
trust roots named in the settings (``signature_trust_roots``).
"""

from __future__ import annotations

from pathlib import Path

from app.cli import CommandError
from app.cli.common import current_settings, print_json
from app.signatures import STATUS_LABELS, configured_trust_roots, verify_pdf


def _verify(args) -> int:
    from app.input_files import MB, InputFileRefused, read_regular_file
    from app.scanning.validation import DEFAULT_MAX_FILE_MB

    path = Path(args.file)
    try:
        data = read_regular_file(path, int(DEFAULT_MAX_FILE_MB * MB), "文件")
    except InputFileRefused as exc:
        raise CommandError(exc.reason) from exc
    verdict = verify_pdf(data, configured_trust_roots(current_settings()))
    if args.json:
        print_json({
            "file": str(path),
            "status": verdict.status.value,
            "message": verdict.message,
            "signatures": [
                {"field": s.field_name, "status": s.status.value, "signer": s.signer,
                 "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                 "message": s.message}
                for s in verdict.signatures
            ],
        })
    else:
        label = STATUS_LABELS[verdict.status]
        print(label if verdict.message == label else f"{label}：{verdict.message}")
        for signature in verdict.signatures:
            when = f"{signature.signed_at:%Y-%m-%d %H:%M}" if signature.signed_at else "时间不明"
            print(f"  {signature.field_name}  {signature.signer or '签名人不明'}  {when}"
                  f"  {STATUS_LABELS[signature.status]}")
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("signature", help="电子签名核验 / e-signed PDFs")
    commands = group.add_subparsers(dest="command", metavar="COMMAND", required=True)
    verify = commands.add_parser("verify", help="核验 PDF 签名 / verify a signed PDF")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_verify)
