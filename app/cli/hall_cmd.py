"""``onewindow hall serve …`` and ``onewindow hall cases --data DIR [--json]``.

The reference hall is a separate program: ``serve`` hands over to
``python -m central_hall serve`` and ``cases`` reads the hall's SQLite file
directly (read-only), so the workstation never imports hall code.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
from pathlib import Path

from app.cli import CommandError
from app.cli.common import print_json
from app.embedded_hall import hall_program

HALL_DATABASE = "hall.sqlite3"
HALL_PUBLIC_KEY = "sm2_public_key.hex"  # written by the hall at its first start


def register(subparsers) -> None:
    hall = subparsers.add_parser("hall", help="参考网上办事大厅 / the reference hall")
    commands = hall.add_subparsers(dest="hall_command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="启动参考大厅 / run the reference hall")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="8470", help="0 = 任一空闲端口 / any free port")
    serve.add_argument("--data", required=True, help="大厅数据目录 / hall data directory")
    serve.add_argument("--catalog", help="启动时发布的事项目录文件 / catalog file to publish")
    serve.add_argument("--certificates", help="电子证照库文件 / certificate library file")
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")
    serve.add_argument("--port-file")
    serve.add_argument("--enable-faults", action="store_true")
    serve.set_defaults(handler=serve_hall)

    cases = commands.add_parser("cases", help="列出大厅已收办件 / list the cases the hall holds")
    cases.add_argument("--data", required=True, help="大厅数据目录 / hall data directory")
    cases.add_argument("--json", action="store_true")
    cases.set_defaults(handler=list_cases)

    submit = commands.add_parser(
        "submit", help="网上申报（脚本提交） / submit online applications from a file")
    submit.add_argument("--data", required=True, help="大厅数据目录 / hall data directory")
    submit.add_argument("--at", help="提交时间 ISO 8601（演示、测试用） / submission time")
    submit.add_argument("file", help="onewindow-application/1 文件")
    submit.set_defaults(handler=hand_over_to_hall, hall_arguments=submit_arguments)

    applications = commands.add_parser(
        "applications", help="列出大厅收到的网上申请 / list online applications")
    applications.add_argument("--data", required=True, help="大厅数据目录 / hall data directory")
    applications.add_argument("--json", action="store_true")
    applications.set_defaults(handler=hand_over_to_hall, hall_arguments=applications_arguments)

    key = commands.add_parser("key", help="大厅验签公钥及其指纹 / the hall's signing key")
    key.add_argument("--data", required=True, help="大厅数据目录 / hall data directory")
    key.set_defaults(handler=show_key)


def show_key(args) -> int:
    """What the hall's operator publishes for stations to compare at enrolment."""
    from app.certificates.hall_key import HallKeyError, hall_key_fingerprint, read_hall_key_file

    path = Path(args.data) / HALL_PUBLIC_KEY
    try:
        key = read_hall_key_file(path)
    except HallKeyError as exc:
        raise CommandError(f"{exc}（大厅首次启动时生成）") from exc
    print(f"公钥文件 {path}")
    print(f"指纹 {hall_key_fingerprint(key)}")
    return 0


# What ``pip install 'onewindow[hall]'`` adds (pyproject.toml); a workstation
# installed without it has no reference hall to run.
HALL_PACKAGES = ("fastapi", "uvicorn")


def missing_hall_packages() -> list[str]:
    if getattr(sys, "frozen", False):
        return []  # the bundle ships onewindow-hall with its packages
    return [name for name in HALL_PACKAGES if importlib.util.find_spec(name) is None]


def serve_command(args) -> list[str]:
    command = [*hall_program(), "serve", "--host", args.host,
               "--port", str(args.port), "--data", args.data]
    for option in ("catalog", "certificates", "tls_cert", "tls_key", "port_file"):
        value = getattr(args, option)
        if value:
            command += [f"--{option.replace('_', '-')}", value]
    if args.enable_faults:
        command.append("--enable-faults")
    return command


def submit_arguments(args) -> list[str]:
    if not Path(args.file).is_file():
        raise CommandError(f"文件不存在 / file not found: {args.file}")
    return ["submit", "--data", args.data, *(["--at", args.at] if args.at else []), args.file]


def applications_arguments(args) -> list[str]:
    if not (Path(args.data) / HALL_DATABASE).is_file():
        raise CommandError(f"不是参考大厅的数据目录 / no hall database in {args.data}")
    return ["applications", "--data", args.data, *(["--json"] if args.json else [])]


def hand_over_to_hall(args) -> int:
    """The hall's own command does it: the workstation never imports hall code."""
    command = [*hall_program(), *args.hall_arguments(args)]
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached


def serve_hall(args) -> int:
    for option in ("catalog", "certificates", "tls_cert", "tls_key"):
        value = getattr(args, option)
        if value and not Path(value).is_file():
            raise CommandError(f"文件不存在 / file not found: --{option.replace('_', '-')} {value}")
    missing = missing_hall_packages()
    if missing:
        raise CommandError(
            f"参考大厅需要可选组件 hall（缺少 {', '.join(missing)}）：pip install "
            "'onewindow[hall]' / the reference hall needs the 'hall' extra")
    command = serve_command(args)
    sys.stdout.flush()
    # Replace this process: signals (Ctrl+C, SIGTERM) then reach the hall itself.
    os.execv(command[0], command)
    return 0  # not reached


def read_hall_cases(data_dir: Path) -> list[dict]:
    path = Path(data_dir) / HALL_DATABASE
    if not path.is_file():
        raise CommandError(f"不是参考大厅的数据目录 / no hall database in {data_dir}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise CommandError(f"大厅数据库无法打开 / cannot open {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT uuid, number, station, revision, first_committed_at, committed_at, "
            "manifest_json FROM cases ORDER BY first_committed_at, number"
        ).fetchall()
        attachments: dict[str, list[dict]] = {}
        for row in conn.execute(
            "SELECT uuid, sha256, size FROM case_attachments ORDER BY uuid, sha256"
        ):
            attachments.setdefault(row["uuid"], []).append(
                {"sha256": row["sha256"], "size": row["size"]}
            )
    except sqlite3.Error as exc:
        raise CommandError(f"大厅数据库无法读取 / cannot read {path}: {exc}") from exc
    finally:
        conn.close()
    cases = []
    for row in rows:
        manifest = json.loads(row["manifest_json"])
        cases.append({
            "number": row["number"],
            "uuid": row["uuid"],
            "revision": row["revision"],
            "event": manifest.get("event"),
            "station": row["station"],
            "item_name": manifest.get("item_name"),
            "first_committed_at": row["first_committed_at"],
            "committed_at": row["committed_at"],
            "attachments": attachments.get(row["uuid"], []),
        })
    return cases


def list_cases(args) -> int:
    cases = read_hall_cases(Path(args.data))
    if args.json:
        print_json(cases)
        return 0
    if not cases:
        print("大厅尚无办件 / the hall holds no cases")
        return 0
    for case in cases:
        print(f"{case['number']}  {case['uuid']}  第{case['revision']}版  "
              f"{case['event'] or ''}  {case['item_name'] or ''}  附件 {len(case['attachments'])}")
        for attachment in case["attachments"]:
            print(f"    {attachment['sha256']}  {attachment['size']} B")
    return 0
