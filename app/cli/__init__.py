"""Command-line interface: ``onewindow <group> <command>``.

Each command group lives in its own module with a ``register(subparsers)``
function; its handlers return an exit status and print a one-line reason on
stderr when they fail.  The GUI is started by ``ui.launcher`` (which calls
``main`` for any sub-command), so this package never imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from app import __version__

# Order = order in --help.
COMMAND_MODULES = [
    "app.cli.catalog_cmd",
    "app.cli.hall_cmd",
    "app.cli.user_cmd",
    "app.cli.doctor_cmd",
    "app.cli.calendar_cmd",
    "app.cli.case_cmd",
    "app.cli.prereview_cmd",
    "app.cli.evaluation_cmd",
    "app.cli.fee_cmd",
    "app.cli.print_cmd",
    "app.cli.cert_cmd",
    "app.cli.sync_cmd",
    "app.cli.report_cmd",
    "app.cli.eod_cmd",
    "app.cli.scan_cmd",
    "app.cli.signature_cmd",
    "app.cli.audit_cmd",
    "app.cli.retention_cmd",
]


class CommandError(Exception):
    """A failure the user can fix; its message is printed as the one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onewindow", description="OneWindow 一窗受理工作站"
    )
    parser.add_argument("--version", action="version", version=f"onewindow {__version__}")
    subparsers = parser.add_subparsers(dest="group", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    # pyHanko imports a name cryptography has deprecated; the warning is for its
    # authors, not for the operator reading our one-line answers on stderr.
    warnings.filterwarnings("ignore", module=r"pyhanko(\.|$)")
    from local_store.file_modes import use_private_umask

    use_private_umask()  # the station home and whatever this command writes into it
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        status = int(handler(args) or 0)
        sys.stdout.flush()  # a reader that went away is found here, not at exit
        return status
    except CommandError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head` has what it wanted): no traceback, and no
        # second failure when Python flushes stdout at exit.
        _silence_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for a writer it cut off
    except Exception as exc:  # noqa: BLE001 - the operator gets one line, not a traceback
        reason = environment_failure(exc)
        if reason is None:
            raise
        return _fail(reason)


def _fail(message: str) -> int:
    from app.plain_text import visible

    print(f"onewindow: {visible(message)}", file=sys.stderr)
    return 1


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def environment_failure(exc: BaseException) -> str | None:
    """One line for what the machine refused — the disk, the database file, a
    missing optional package — or None for a failure that is a bug (traceback)."""
    import errno
    import sqlite3

    import peewee

    from local_store.writer import root_cause

    root = root_cause(exc)
    if isinstance(root, OSError) and root.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘已满，未能写入 / disk full: {root}"
    if isinstance(root, OSError) and root.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"无权写入或只读的文件系统 / {root.strerror}: {root.filename or ''}"
    if isinstance(root, sqlite3.Error | peewee.DatabaseError):
        text = str(root)
        if "full" in text:
            return f"磁盘已满，数据库未能写入（未保存任何更改）/ {text}"
        if "readonly" in text or "read-only" in text:
            return f"本机数据库是只读的，无法写入（请检查文件权限）/ {text}"
        if "unable to open" in text:
            return f"无法打开本机数据库（目录不存在或无权限）/ {text}"
        return f"本机数据库出错 / database error: {text}"
    if isinstance(root, OSError):
        return f"{root.strerror or root} {root.filename or ''}".strip()
    return None


if __name__ == "__main__":
    sys.exit(main())
