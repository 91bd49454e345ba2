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
    "app.cli.print_cmd",
    "app.cli.cert_cmd",
    "app.cli.sync_cmd",
    "app.cli.report_cmd",
    "app.cli.scan_cmd",
    "app.cli.signature_cmd",
    "app.cli.audit_cmd",
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
        return int(handler(args) or 0)
    except CommandError as exc:
        print(f"onewindow: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
