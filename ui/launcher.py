"""Console entry point: ``onewindow`` alone opens the workstation window;
``onewindow <command> …`` runs the command-line interface without loading Qt."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] not in ("--gui",):
        from app.cli import main as cli_main

        return cli_main(argv)
    from ui.application import run_gui

    return run_gui(argv[1:] if argv else [])


if __name__ == "__main__":
    sys.exit(main())
