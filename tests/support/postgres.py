"""A PostgreSQL server for the hall's benchmarks (the tests get theirs from
``tools/hall_postgres_tests.sh``): ONEWINDOW_TEST_HALL_DATABASE if set, else —
as root, with PostgreSQL installed — a throw-away cluster in a temporary
directory on a free loopback port, owned by the postgres system user."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.hall import TEST_DATABASE_ENV


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """``postgresql://user@host:port`` of a running server, or None (none to be had)."""
    configured = os.environ.get(TEST_DATABASE_ENV, "").rstrip("/")
    if configured:
        yield configured
        return
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bindirs or os.geteuid() != 0 or shutil.which("runuser") is None:
        yield None
        return
    bindir = bindirs[-1]
    cluster = tempfile.mkdtemp(prefix="onewindow-bench-pg-")
    shutil.chown(cluster, "postgres")
    port = _free_port()

    def as_postgres(*command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True, timeout=120)

    try:
        as_postgres(f"{bindir}/initdb", "-D", f"{cluster}/data", "-A", "trust", "-U", "postgres")
        as_postgres(f"{bindir}/pg_ctl", "-D", f"{cluster}/data", "-l", f"{cluster}/server.log",
                    "-w", "-o", f"-p {port} -k {cluster} -c listen_addresses=127.0.0.1 "
                    "-c max_connections=300", "start")
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", f"{bindir}/pg_ctl", "-D",
                        f"{cluster}/data", "-m", "fast", "stop"], capture_output=True,
                       timeout=120)
        shutil.rmtree(cluster, ignore_errors=True)


def new_database(server: str) -> str:
    import psycopg

    name = f"hall_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
