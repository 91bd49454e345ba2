"""``onewindow cert lookup|pin-key|purge-cache`` — the e-certificate library.

``lookup`` asks the hall's library with the station's stored sign-in, verifies
each certificate and prints identifier, status, verified and validity; the
look-up is audited locally (holder masked) like one made from the intake.
Exit status 3 means the library could not be asked (offline, not signed in):
the intake goes on with paper.
"""

from __future__ import annotations

from app.certificates import CertificateService, PurposeRequired
from app.certificates.service import purge_expired_cache
from app.certificates.types import certificate_types
from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.identity import check_uscc, mask_id, normalize_id_text


def register(subparsers) -> None:
    cert = subparsers.add_parser("cert", help="电子证照 / e-certificates")
    commands = cert.add_subparsers(dest="cert_command", metavar="COMMAND", required=True)

    lookup = commands.add_parser("lookup", help="查询电子证照 / look up a holder's certificates")
    lookup.add_argument("--holder", required=True,
                        help="身份证件号码或统一社会信用代码 / ID number or USCC")
    lookup.add_argument("--type", dest="cert_type", help="证照类型代码 / type code, e.g. CT003")
    lookup.add_argument("--purpose", required=True, help="用证事由 (必填) / purpose of use")
    lookup.add_argument("--case", dest="case_uuid", help="所属办件 UUID（缓存用）/ case uuid")
    lookup.add_argument("--json", action="store_true")
    lookup.set_defaults(handler=lookup_certificates)

    pin = commands.add_parser("pin-key", help="获取并固定大厅验签公钥 / fetch and pin the hall key")
    pin.add_argument("--hall-key", metavar="FILE",
                     help="线下交付的大厅公钥文件 / the hall's key delivered out of band")
    pin.set_defaults(handler=pin_key)

    purge = commands.add_parser("purge-cache", help="清除过期证照缓存 / purge the cache")
    purge.set_defaults(handler=purge_cache)


def holder_type_of(holder: str) -> str:
    """An 18-character code that checks as a USCC is an organisation."""
    return "organisation" if check_uscc(holder).ok else "person"


def lookup_certificates(args) -> int:
    if not (args.purpose or "").strip():
        raise CommandError("请填写用证事由 --purpose / purpose of use is required")
    holder = normalize_id_text(args.holder)
    if not holder:
        raise CommandError("请填写 --holder（身份证件号码或统一社会信用代码）/ holder is required")
    cert_type = (args.cert_type or "").strip().upper() or None
    known = dict(certificate_types())
    if cert_type and cert_type not in known:
        raise CommandError(f"未知证照类型 {cert_type} / unknown type; 可用 / known: "
                           + ", ".join(f"{code} {name}" for code, name in known.items()))
    settings = current_settings()
    if not settings.effective_hall_url:
        raise CommandError("未配置网上办事大厅地址 / no hall URL configured")
    with open_store() as store:
        signed_in_clerk(store, settings)
        service = CertificateService(store, settings)
        try:
            result = service.lookup(holder, holder_type_of(holder), args.purpose,
                                    cert_type, args.case_uuid)
        except PurposeRequired as exc:
            raise CommandError(str(exc)) from exc
        finally:
            service.close()
    rows = [
        {
            "identifier": cert.identifier,
            "type": cert.type_code,
            "name": cert.name,
            "number": cert.number,
            "issuer": cert.issuer,
            "status": cert.status,
            "verified": cert.verified,
            "usable": cert.usable,
            "valid_from": cert.valid_from,
            "valid_until": cert.valid_until,
            "problems": cert.problems(),
        }
        for cert in result.certs
    ]
    if args.json:
        print_json({"holder": mask_id(holder), "offline": result.offline,
                    "cached_at": result.cached_at, "message": result.message,
                    "certificates": rows})
    else:
        if result.message:
            print(result.message)
        for cert in result.certs:
            mark = "✓ 已验证" if cert.verified else "✗ 未通过验证"
            problems = "；".join(cert.problems())
            print(f"{cert.identifier}  {cert.name}  {cert.status_label}  {mark}  "
                  f"{cert.validity_text}" + (f"  （{problems}）" if problems else ""))
        if not result.certs and not result.message:
            print("未查到证照 / no certificates")
    return 3 if result.offline or (result.message and not result.certs) else 0


def pin_key(args) -> int:
    from app.certificates.hall_key import HallKeyError, pin_enrolled_hall_key, read_hall_key_file
    from app.cli.sync_cmd import print_pinned_key

    settings = current_settings()
    if not settings.effective_hall_url and not args.hall_key:
        raise CommandError("未配置大厅地址，请先运行 onewindow enroll / no hall configured")
    try:
        expected = read_hall_key_file(args.hall_key) if args.hall_key else None
        pinned = pin_enrolled_hall_key(settings, expected)
    except HallKeyError as exc:
        raise CommandError(str(exc)) from exc
    print_pinned_key(pinned)
    return 0


def purge_cache(args) -> int:
    settings = current_settings()
    with open_store() as store:
        removed = purge_expired_cache(store, settings)
    print(f"已清除 {removed} 条过期证照缓存 / removed {removed} cached look-ups")
    return 0

