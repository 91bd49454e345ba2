"""Console entry point: ``onewindow`` alone opens the workstation window;
``onewindow <command> …`` runs the command-line interface without loading Qt.
``--self-test`` opens the window offscreen-capable, reports start-up, quits."""

from __future__ import annotations

import sys

GUI_FLAGS = ("--gui", "--self-test")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] not in GUI_FLAGS:
        from app.cli import main as cli_main

        return cli_main(argv)
    from ui.application import run_gui

    return run_gui([arg for arg in argv if arg != "--gui"])


if __name__ == "__main__":
    sys.exit(main())
