"""Console entry point: ``onewindow`` alone opens the workstation window;
``onewindow <command> …`` runs the command-line interface without loading Qt.
``--self-test`` opens the window offscreen-capable, reports start-up, quits."""

from __future__ import annotations

import sys

GUI_FLAGS = ("--gui", "--self-test")

# peewee imports whichever PostgreSQL driver is installed (the hall's extra, a
# developer's venv; a bundle built there too): 0.11 s of CPU at every start of a
# window whose databases are SQLite only — the hall it may start runs in a process
# of its own (app.embedded_hall).  The window's process skips the drivers.
POSTGRESQL_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


def _skip_postgresql_drivers() -> None:
    for name in POSTGRESQL_DRIVERS:
        sys.modules.setdefault(name, None)  # None: "import name" raises ImportError


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] not in GUI_FLAGS:
        from app.cli import main as cli_main

        return cli_main(argv)
    _skip_postgresql_drivers()
    from app.station_opening import begin_opening

    # The window's first wait (the key agent, the encrypted database) runs beside
    # the imports of Qt and the widgets, not after them.
    opening = begin_opening()
    from ui.application import run_gui

    return run_gui([arg for arg in argv if arg != "--gui"], opening=opening)


if __name__ == "__main__":
    sys.exit(main())
