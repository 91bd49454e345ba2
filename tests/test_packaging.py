"""``make dist``'s build.spec produces a working one-folder bundle.

Builds with PyInstaller into a temp dir (minutes, so one build per run), then
runs the bundled ``onewindow --version`` and an offscreen ``--self-test`` that
opens the main window on a fresh data directory.  Set ONEWINDOW_SKIP_DIST_TEST=1
to leave it out of a quick local run; CI always builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(os.environ.get("ONEWINDOW_SKIP_DIST_TEST") == "1",
                       reason="ONEWINDOW_SKIP_DIST_TEST=1"),
    pytest.mark.timeout(1500),  # the build alone takes minutes on two cores
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    result = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return work / "dist" / "onewindow"


def test_bundle_has_the_workstation_its_debug_twin_and_the_hall(bundle):
    for program in ("onewindow", "onewindow-debug", "onewindow-hall"):
        assert (bundle / program).is_file(), program


def test_bundled_version(bundle):
    result = subprocess.run([str(bundle / "onewindow"), "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"onewindow {__version__}"


def test_bundled_self_test_opens_the_window(bundle, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ONEWINDOW_HOME": str(tmp_path)}
    result = subprocess.run([str(bundle / "onewindow-debug"), "--self-test"],
                            capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ready_s"] > 0 and report["max_rss_mb"] > 0
