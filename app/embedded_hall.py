"""Start the local reference hall as a separate process.

``make run`` uses :class:`EmbeddedHall` when no hall URL is configured: the
workstation then talks to a real hall over loopback HTTP exactly as it would
to the provincial one.  The hall's code is never imported here — it runs as
``python -m central_hall serve`` and is reached only through its API.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# The reference hall's documented demo stations and accounts (central_hall/README.md):
# clerk01, supervisor and admin at the district centre, clerk02 at a street office.
DEMO_STATION = "350205001"
DEMO_USER = "clerk01"
DEMO_PASSWORD = "onewindow-demo"
DEMO_STREET_STATION = "350205002"
DEMO_STREET_USER = "clerk02"
DEMO_SUPERVISOR = "supervisor"
DEMO_ADMIN = "admin"


def demo_clerk_for(station: str) -> tuple[str, str]:
    """(station, user) the embedded demo hall signs a workstation in as: the
    street office's clerk for the street office, else the centre's clerk (the
    hall lets an account sign in only at its own station)."""
    if station == DEMO_STREET_STATION:
        return DEMO_STREET_STATION, DEMO_STREET_USER
    return DEMO_STATION, DEMO_USER

DEMO_CATALOG = Path(__file__).resolve().parent / "data" / "demo_catalog.json"
START_TIMEOUT_S = 30.0


def hall_program() -> list[str]:
    """The command that runs the reference hall (before its ``serve`` arguments)."""
    if getattr(sys, "frozen", False):
        # The bundle ships the hall as its own program beside this one (build.spec).
        name = "onewindow-hall.exe" if sys.platform == "win32" else "onewindow-hall"
        return [str(Path(sys.executable).with_name(name))]
    return [sys.executable, "-m", "central_hall"]


def demo_certificates_file() -> Path | None:
    """The hall ships its demo certificate library as package data."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        path = Path(bundle) / "central_hall" / "data" / "demo_certificates.json"
        return path if path.exists() else None
    spec = importlib.util.find_spec("central_hall")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "demo_certificates.json"
    return path if path.exists() else None


class HallStartError(RuntimeError):
    pass


@dataclass
class HallProcess:
    """A running hall subprocess and where to reach it."""

    url: str
    data_dir: Path
    process: subprocess.Popen
    log_path: Path
    ca_cert_path: Path | None = None
    database_url: str | None = None  # None: the SQLite file in data_dir
    _stopped: bool = field(default=False, repr=False)

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the hall to shut down; kill it if it does not within ``timeout``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._stopped = True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._stopped = True


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def launch_hall(
    data_dir: Path,
    *,
    catalog: Path | None = None,
    certificates: Path | None = None,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    ca_cert_path: Path | None = None,
    faults: bool = False,
    host: str = "127.0.0.1",
    timeout_s: float = START_TIMEOUT_S,
    exit_with_parent: bool = False,
    database_url: str | None = None,
    workers: int = 1,
) -> HallProcess:
    """Start ``python -m central_hall serve`` on a free port; wait until healthy."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    port_file = data_dir / "hall.port"
    port_file.unlink(missing_ok=True)
    log_path = data_dir / "hall-process.log"
    command = [*hall_program(), "serve", "--host", host, "--port", "0",
               "--data", str(data_dir), "--port-file", str(port_file)]
    if catalog:
        command += ["--catalog", str(catalog)]
    if certificates:
        command += ["--certificates", str(certificates)]
    if tls_cert and tls_key:
        command += ["--tls-cert", str(tls_cert), "--tls-key", str(tls_key)]
    if faults:
        command.append("--enable-faults")
    if database_url:
        command += ["--database", database_url]
    if workers > 1:
        command += ["--workers", str(workers)]
    if exit_with_parent:
        command += ["--parent-pid", str(os.getpid())]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log_path, "wb") as log:  # this run's output only
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
    deadline = time.monotonic() + timeout_s
    try:
        port = _wait_for_port(process, port_file, deadline, log_path)
        scheme = "https" if tls_cert else "http"
        handle = HallProcess(f"{scheme}://{host}:{port}", data_dir, process, log_path,
                             ca_cert_path, database_url)
        _wait_for_health(handle, deadline)
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        raise
    return handle


def _wait_for_port(process, port_file: Path, deadline: float, log_path: Path) -> int:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HallStartError(
                f"参考大厅进程已退出 (exit {process.returncode}) / hall exited:\n"
                f"{_log_tail(log_path)}"
            )
        try:
            text = port_file.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text:
            return int(text)
        time.sleep(0.05)
    raise HallStartError(f"参考大厅启动超时 / hall did not start:\n{_log_tail(log_path)}")


def _wait_for_health(handle: HallProcess, deadline: float) -> None:
    import requests  # here, not at import: the window reads DEMO_USER while it starts

    verify: bool | str = str(handle.ca_cert_path) if handle.ca_cert_path else True
    last_error = ""
    while time.monotonic() < deadline:
        if handle.process.poll() is not None:
            raise HallStartError(f"参考大厅进程已退出 / hall exited:\n{_log_tail(handle.log_path)}")
        try:
            reply = requests.get(f"{handle.api}/health", timeout=2, verify=verify)
            if reply.status_code == 200:
                return
            last_error = f"HTTP {reply.status_code}"
        except requests.RequestException as exc:
            last_error = str(exc)
        time.sleep(0.05)
    raise HallStartError(f"参考大厅无响应 / hall not healthy: {last_error}")


class EmbeddedHall:
    """The demo's own hall: data under ``home/hall``, demo catalog and certificates."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self._process: HallProcess | None = None

    @property
    def data_dir(self) -> Path:
        return self.home / "hall"

    @property
    def url(self) -> str | None:
        return self._process.url if self._process else None

    def start(self, timeout_s: float = START_TIMEOUT_S) -> str:
        if self._process and self._process.process.poll() is None:
            return self._process.url
        self._process = launch_hall(
            self.data_dir,
            catalog=DEMO_CATALOG if DEMO_CATALOG.exists() else None,
            certificates=demo_certificates_file(),
            timeout_s=timeout_s,
            exit_with_parent=True,
        )
        return self._process.url

    def stop(self) -> None:
        if self._process:
            self._process.stop()
            self._process = None
