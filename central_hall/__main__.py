"""``python -m central_hall serve …`` and ``python -m central_hall openapi``."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

from central_hall.config import HallConfig


def _write_atomically(path: Path, text: str) -> None:
    # The test harness polls this file: it must never see it half-written.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".port-")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _config(args) -> HallConfig:
    return HallConfig(
        data_dir=Path(args.data),
        database_url=args.database or None,
        catalog_file=Path(args.catalog) if args.catalog else None,
        certificates_file=Path(args.certificates) if args.certificates else None,
        faults_enabled=args.enable_faults,
    )


def serve(args) -> int:
    import uvicorn

    from central_hall.server import create_app, prepare_data

    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("--workers must be at least 1", file=sys.stderr)
        return 2
    config = _config(args)
    from central_hall.migrations import MigrationError

    try:
        prepare_data(config)
    except MigrationError as exc:
        print(f"central_hall: {exc}", file=sys.stderr)
        return 1
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this; without it a response written in two
    # parts waits for the client's delayed ACK (~40 ms per keep-alive request).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    sock.listen(512)
    port = sock.getsockname()[1]

    def run_worker() -> None:
        server = uvicorn.Server(uvicorn.Config(
            create_app(config, prepared=True),
            log_level=args.log_level,
            access_log=args.log_level == "debug",
            ssl_certfile=args.tls_cert,
            ssl_keyfile=args.tls_key,
            timeout_graceful_shutdown=1,
        ))
        if args.parent_pid:
            _exit_with_parent(server, args.parent_pid)
        server.run(sockets=[sock])

    scheme = "https" if args.tls_cert else "http"
    if args.workers == 1:
        if args.port_file:
            _write_atomically(Path(args.port_file), f"{port}\n")
        print(f"central hall listening on {scheme}://{args.host}:{port}/api/v1", flush=True)
        run_worker()
        return 0
    # Several workers share the listening socket; each opens its own database
    # connection after the fork (a connection must never cross one).
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            try:
                run_worker()
            finally:
                os._exit(0)
        children.append(pid)
    if args.port_file:
        _write_atomically(Path(args.port_file), f"{port}\n")
    print(f"central hall listening on {scheme}://{args.host}:{port}/api/v1 "
          f"({args.workers} workers)", flush=True)
    return _supervise(children)


def _supervise(children: list[int]) -> int:
    """Pass SIGTERM/SIGINT on to the workers; end when they have all ended."""
    import signal

    def stop(signum, _frame) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    for pid in children:
        while True:
            try:
                _, code = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        status = status or os.waitstatus_to_exitcode(code)
    return 0 if status in (0, -signal.SIGTERM) else 1


def _exit_with_parent(server, parent_pid: int) -> None:
    """Shut down when the workstation that started us is gone (even by SIGKILL),
    so an embedded demo hall never outlives it."""

    def watch() -> None:
        while not server.should_exit:
            if os.getppid() != parent_pid:
                server.should_exit = True
                return
            time.sleep(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def print_openapi(_args) -> int:
    from central_hall.server import create_app

    with tempfile.TemporaryDirectory() as scratch:
        schema = create_app(HallConfig(data_dir=Path(scratch))).openapi()
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return 0


def manage_account(args) -> int:
    from central_hall import auth
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(Path(args.data), args.database)
    try:
        if args.remove:
            if not auth.remove_account(db, args.user):
                print(f"no account {args.user}", file=sys.stderr)
                return 1
            return 0
        # Like the workstation's enrol command: never a password on the command line.
        password = None if args.keep_password else sys.stdin.readline().rstrip("\n")
        try:
            auth.set_account(db, args.user, password, args.role, args.station or ())
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        return 0
    finally:
        db.close()


def submit_applications(args) -> int:
    """Scripted online submissions (demos, tests): one JSON result per ref."""
    from central_hall import applications
    from central_hall.blobstore import BlobStore
    from central_hall.storage import HallDatabase

    path = Path(args.file)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(document, dict) or document.get("format") != applications.FORMAT:
        print(f"{path}: format must be {applications.FORMAT}", file=sys.stderr)
        return 2
    records = document.get("applications")
    if not isinstance(records, list):
        print(f"{path}: applications must be an array", file=sys.stderr)
        return 2
    try:
        applications.parse_instant(args.at)
    except ValueError as exc:
        print(f"--at: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(args.data)
    db = HallDatabase.open(data_dir, args.database)
    try:
        blobs = BlobStore(data_dir)
        results = [applications.submit(db, blobs, record, _files_beside(path.parent, record),
                                       at=args.at).to_json() for record in records]
    finally:
        db.close()
    sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 0 if all(result["ok"] for result in results) else 1


def _files_beside(base: Path, record):
    """Material files named by paths relative to the submission file."""
    from central_hall.applications import FileProblem, SubmittedFile

    def files_of(index: int) -> list:
        paths = record["materials"][index].get("files") or []
        if not isinstance(paths, list):
            raise FileProblem("", "files must be an array of paths")
        files = []
        for number, raw in enumerate(paths):
            path = Path(str(raw))
            path = path if path.is_absolute() else base / path
            try:
                files.append(SubmittedFile(path.name, path.read_bytes()))
            except OSError as exc:
                raise FileProblem(f"[{number}]", f"找不到或无法读取文件 {raw}（{exc.strerror}）"
                                  ) from exc
        return files

    return files_of


def list_applications(args) -> int:
    from central_hall import applications
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(Path(args.data), args.database)
    try:
        rows = applications.list_all(db)
    finally:
        db.close()
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    for row in rows:
        print(f"{row['id']}  {row['ref']}  {applications.STATE_LABELS[row['state']]}  "
              f"第{row['round']}轮  {row['item_name']}  {row['reason'] or ''}")
    return 0


def simulate_payment(args) -> int:
    from central_hall import payments
    from central_hall.errors import HallError
    from central_hall.signing import HallSigner
    from central_hall.storage import HallDatabase

    data = Path(args.data)
    db = HallDatabase.open(data, args.database)
    try:
        record = payments.confirm_payment(db, HallSigner.load_or_create(data), args.code,
                                          args.amount, args.channel)
    except HallError as exc:
        print(f"central_hall: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        db.close()
    sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return 0


def route_item(args) -> int:
    from central_hall import applications
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(Path(args.data), args.database)
    try:
        applications.set_item_stations(db, args.task_code, args.station or [])
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def manage_station(args) -> int:
    from central_hall import auth
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(Path(args.data), args.database)
    try:
        if args.station_command == "add":
            try:
                auth.add_station(db, args.code, args.name)
            except ValueError as exc:
                print(str(exc), file=sys.stderr)
                return 1
            return 0
        if args.station_command == "forget-key":
            from central_hall import applications

            if not applications.forget_station_key(db, args.code):
                print(f"station {args.code} has no signing key enrolled", file=sys.stderr)
                return 1
            return 0
        for station in auth.list_stations(db):
            print(f"{station['code']}\t{station['name']}\t{','.join(station['users'])}")
        return 0
    finally:
        db.close()


def export_exchange(args) -> int:
    from central_hall import auth, exchange
    from central_hall.storage import HallDatabase

    if args.station and not auth.valid_station_code(args.station):
        print(f"station code must be nine ASCII digits: {args.station!r}", file=sys.stderr)
        return 2
    db = HallDatabase.open(Path(args.data), args.database)
    try:
        document = exchange.export_since(db, args.since, args.station)
    except exchange.ExchangeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        db.close()
    exchange.write_export(document, Path(args.out))
    completeness = document["completeness"]
    print(f"exported {len(document['cases'])} cases, {len(document['events'])} events, "
          f"{len(document['payments'])} payments, {len(document['evaluations'])} evaluations; "
          f"完整率 {completeness['rate']:.2%} ({completeness['complete']}/"
          f"{completeness['records']} cases; payments {completeness['payments']['rate']:.2%}, "
          f"evaluations {completeness['evaluations']['rate']:.2%}); "
          f"next --since {document['cursor']}")
    return 0


def prune_audit(args) -> int:
    """Retention of the stations' audit rows: never fewer than 180 days."""
    from central_hall import audit_trail
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(Path(args.data), args.database)
    try:
        deleted = audit_trail.prune(db, args.keep_days)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        db.close()
    print(f"deleted {deleted} audit rows older than {args.keep_days} days")
    return 0


def migrate_schema(args) -> int:
    """Apply the schema steps (as every start does), or only up to ``--to``; list them."""
    from central_hall import migrations
    from central_hall.storage import HallDatabase

    try:
        db = HallDatabase.open(Path(args.data), args.database, schema_step=args.to)
    except migrations.MigrationError as exc:
        print(f"central_hall: {exc}", file=sys.stderr)
        return 1
    try:
        with db.reading() as conn:
            applied = migrations.applied_steps(conn, db.engine)
    finally:
        db.close()
    for step in migrations.STEPS:
        name, when = applied.get(step.number, (step.name, "not applied"))
        print(f"{step.number:4d}  {name:<28} {when}")
    return 0


DATABASE_HELP = ("postgresql://user@host/db: the district's PostgreSQL database "
                 "(default: SQLite in --data; blobs stay in --data)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m central_hall")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the reference hall")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8470, help="0 = any free port")
    run.add_argument("--data", required=True, help="data directory (created if missing)")
    run.add_argument("--database", help=DATABASE_HELP)
    run.add_argument("--catalog", help="catalog interchange file to publish at start")
    run.add_argument("--certificates", help="certificate library file to load at start")
    run.add_argument("--tls-cert", help="PEM certificate chain (enables HTTPS)")
    run.add_argument("--tls-key", help="PEM private key")
    run.add_argument("--port-file", help="write the listening port here")
    run.add_argument("--enable-faults", action="store_true", help="add POST /admin/faults")
    run.add_argument("--log-level", default="warning")
    run.add_argument("--parent-pid", type=int, help="exit when this parent process ends")
    run.add_argument("--workers", type=int, default=1,
                     help="worker processes sharing the port (for PostgreSQL; POSIX only)")
    run.set_defaults(handler=serve)
    account = commands.add_parser(
        "account", help="create an account or set its password (read from standard input)"
    )
    account.add_argument("--data", required=True)
    account.add_argument("--database", help=DATABASE_HELP)
    account.add_argument("--user", required=True)
    account.add_argument("--role", default="clerk", choices=["clerk", "supervisor", "admin"],
                         help="clerk: its stations' cases; supervisor: reads the whole "
                         "district; admin: posts case progress, publishes the catalog")
    account.add_argument("--station", action="append",
                         help="a registered station the account may sign in at (repeat for "
                         "several; replaces the account's stations)")
    account.add_argument("--keep-password", action="store_true",
                         help="change role or stations of an existing account only")
    account.add_argument("--remove", action="store_true", help="delete the account instead")
    account.set_defaults(handler=manage_account)
    submit = commands.add_parser(
        "submit", help="submit online applications from an onewindow-application/1 file")
    submit.add_argument("--data", required=True)
    submit.add_argument("--database", help=DATABASE_HELP)
    submit.add_argument("--at", help="submission time, ISO 8601 with offset (demos, tests)")
    submit.add_argument("file")
    submit.set_defaults(handler=submit_applications)
    listing = commands.add_parser("applications", help="list the online applications held")
    listing.add_argument("--data", required=True)
    listing.add_argument("--database", help=DATABASE_HELP)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_applications)
    route = commands.add_parser(
        "item-stations", help="stations serving an item's online applications "
        "(none = every station of the district)")
    route.add_argument("--data", required=True)
    route.add_argument("--database", help=DATABASE_HELP)
    route.add_argument("--task-code", required=True)
    route.add_argument("--station", action="append")
    route.set_defaults(handler=route_item)
    station = commands.add_parser("station", help="the station register (add, list)")
    station_commands = station.add_subparsers(dest="station_command", required=True)
    add = station_commands.add_parser("add", help="register a station or rename it")
    add.add_argument("--data", required=True)
    add.add_argument("--database", help=DATABASE_HELP)
    add.add_argument("--code", required=True, help="nine digits: region 6 + station 3")
    add.add_argument("--name", required=True)
    add.set_defaults(handler=manage_station)
    station_listing = station_commands.add_parser("list", help="stations and their accounts")
    station_listing.add_argument("--data", required=True)
    station_listing.add_argument("--database", help=DATABASE_HELP)
    station_listing.set_defaults(handler=manage_station)
    forget = station_commands.add_parser(
        "forget-key", help="forget a station's pre-review signing key (a reinstalled "
        "station then enrols its new one)")
    forget.add_argument("--data", required=True)
    forget.add_argument("--database", help=DATABASE_HELP)
    forget.add_argument("--code", required=True, help="nine digits: region 6 + station 3")
    forget.set_defaults(handler=manage_station)
    export = commands.add_parser(
        "export", help="cases, events, payments and evaluations in the national exchange "
        "naming (GB/T 39046)")
    export.add_argument("--data", required=True)
    export.add_argument("--database", help=DATABASE_HELP)
    export.add_argument("--since", default="", help="cursor printed by the previous export "
                        "(empty: everything)")
    export.add_argument("--out", required=True, help="JSON file to write")
    export.add_argument("--station", help="only this station's cases")
    export.set_defaults(handler=export_exchange)
    migrate = commands.add_parser(
        "migrate", help="apply the schema's migration steps (every start does) and list them")
    migrate.add_argument("--data", required=True)
    migrate.add_argument("--database", help=DATABASE_HELP)
    migrate.add_argument("--to", type=int, help="stop after this step (an older hall's schema, "
                         "for upgrade trials); never goes back")
    migrate.set_defaults(handler=migrate_schema)
    pay = commands.add_parser(
        "pay", help="simulate the non-tax payment platform: the fee notice with this "
        "payment code was paid (a signed confirmation the station pulls)")
    pay.add_argument("--data", required=True)
    pay.add_argument("--database", help=DATABASE_HELP)
    pay.add_argument("code", help="缴款码, 20 digits")
    pay.add_argument("--amount", required=True, help="amount paid in yuan, e.g. 10.00")
    pay.add_argument("--channel", default="网上缴费")
    pay.set_defaults(handler=simulate_payment)
    audit = commands.add_parser(
        "audit-prune", help="delete stations' audit rows older than --keep-days "
        "(at least 180: 网络安全法 art. 21)")
    audit.add_argument("--data", required=True)
    audit.add_argument("--database", help=DATABASE_HELP)
    audit.add_argument("--keep-days", type=int, default=180)
    audit.set_defaults(handler=prune_audit)
    schema = commands.add_parser("openapi", help="print the OpenAPI schema")
    schema.set_defaults(handler=print_openapi)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
