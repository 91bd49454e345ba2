"""Only the account that runs the station may read its home (issue 12, item 6).

The station home holds ID numbers, scans of identity documents and the
audit trail: directories 0700, files 0600.  The entry points (command line,
window) set the process umask to 077, so everything they and their children
(sync service, demo hall) create is private from the start; ``Store.open``
also puts the home and its top level right, and once per home walks it all
(stores from before this rule held 0644 databases and blobs).  The walk is
not repeated at every start: inside a 0700 home nothing is reachable by
others anyway, and a blob store of a million files takes a while to walk.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# Written after the one full walk of a home.
WALKED_MARKER = ".private-modes"


def use_private_umask() -> None:
    """Everything this process creates from now on is private to its account."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def _private(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if os.path.islink(path):
        return  # never follow a link out of the home
    wanted = PRIVATE_DIR if path.is_dir() else PRIVATE_FILE
    if mode & 0o777 != wanted:
        os.chmod(path, wanted)


def protect_station_home(home: Path) -> None:
    if os.name != "posix":
        return  # Windows: the per-user profile's ACLs already keep others out
    home = Path(home)
    _private(home)
    for entry in home.iterdir():
        _private(entry)
    marker = home / WALKED_MARKER
    if marker.exists():
        return
    for root, directories, files in os.walk(home):
        for name in directories:
            _private(Path(root) / name)
        for name in files:
            _private(Path(root) / name)
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)


def make_private_dir(path: Path) -> Path:
    """``path`` and any missing parents, each 0700 whatever the umask."""
    path = Path(path)
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            pass
        if os.name == "posix":
            os.chmod(directory, PRIVATE_DIR)
    return Path(missing[0]) if missing else path
