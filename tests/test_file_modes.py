"""Everything under the station home is the station account's alone (issue 12,
item 6): directories 0700, files 0600 — a fresh home after a day's work at
the command line, and a home from before this rule, put right when opened."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.catalog.item_key import display_name
from app.embedded_hall import DEMO_CATALOG, DEMO_PASSWORD, DEMO_USER
from local_store.store import Store
from tests.support.intake import demo_catalog_document
from tests.test_case_cli import write_import

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def not_private(home: Path) -> list[str]:
    found = []
    for path in [home, *home.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            found.append(f"{path.relative_to(home.parent)} {mode:o}")
    return found


def onewindow(home: Path, hall_url: str, *args: str, stdin: str = ""
              ) -> subprocess.CompletedProcess:
    env = {**os.environ, "ONEWINDOW_HOME": str(home), "ONEWINDOW_HALL_URL": hall_url,
           # No keyring in the child: the hall token is simply not kept (sign-in still works).
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)


def test_a_days_work_leaves_only_private_files(tmp_path, shared_hall):
    home = tmp_path / "station"
    url = shared_hall.url
    assert onewindow(home, url, "catalog", "import", str(DEMO_CATALOG)).returncode == 0
    login = onewindow(home, url, "user", "login", "--user", DEMO_USER, stdin=DEMO_PASSWORD + "\n")
    assert login.returncode == 0, login.stderr
    task_codes = {display_name(item): item["task_code"]
                  for item in demo_catalog_document()["items"]}
    batch = write_import(tmp_path, task_codes)
    imported = onewindow(home, url, "case", "import", str(batch), "--json")
    number = json.loads(imported.stdout)["results"][0]["case_number"]
    printed = onewindow(home, url, "print", "receipt", number, "--out",
                        str(tmp_path / "receipt.pdf"))
    assert printed.returncode == 0, printed.stderr

    assert (home / "cases.sqlite").exists() and any((home / "blobs").rglob("*"))
    assert not_private(home) == []
    # The session's key agent ends with it (its key held in memory only).
    assert onewindow(home, url, "user", "logout").returncode == 0


def test_a_home_from_before_is_made_private_when_opened(tmp_path):
    home = tmp_path / "old-station"
    Store.open(home).close()
    # What the station wrote before this rule (a umask of 022).
    for path in [home, *home.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    (home / ".private-modes").unlink()
    (home / "blobs" / "ab").mkdir(mode=0o755)
    (home / "blobs" / "ab" / "leftover").write_bytes(b"scan")
    os.chmod(home / "blobs" / "ab" / "leftover", 0o644)
    assert not_private(home)

    Store.open(home).close()
    assert not_private(home) == []
