"""Fixtures that run the reference hall as a real subprocess on loopback.

``start_hall(...)`` is the one way tests get a hall; ``hall`` gives a fresh one
per test (demo catalog + demo certificates), ``shared_hall`` one per module,
``hall_factory`` any number with other options.  TLS mode makes a throw-away CA
and a server certificate for 127.0.0.1 in the data dir's parent and exposes the
CA as ``ca_cert_path`` for the client to verify against.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.embedded_hall import (
    DEMO_ADMIN,
    DEMO_CATALOG,
    DEMO_PASSWORD,
    DEMO_STATION,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    DEMO_SUPERVISOR,
    DEMO_USER,
    START_TIMEOUT_S,
    HallProcess,
    demo_certificates_file,
    launch_hall,
)

HallHandle = HallProcess

__all__ = [
    "DEMO_ADMIN",
    "DEMO_PASSWORD",
    "DEMO_STATION",
    "DEMO_STREET_STATION",
    "DEMO_STREET_USER",
    "DEMO_SUPERVISOR",
    "DEMO_USER",
    "admin_token",
    "hall_rows",
    "register_station",
    "HallHandle",
    "demo_catalog_file",
    "demo_certificates_file",
    "make_tls_material",
    "start_hall",
]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_tls_material(directory: Path) -> tuple[Path, Path, Path]:
    """Write ``ca.pem``, ``server.pem`` and ``server-key.pem``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("OneWindow test CA"))
        .issuer_name(_name("OneWindow test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = directory / "ca.pem"
    cert_path = directory / "server.pem"
    key_path = directory / "server-key.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


# A PostgreSQL server (postgresql://user@host:port) the hall tests run against
# instead of SQLite: every hall gets a fresh database there (make test sets it
# for a second run of the hall suite).
TEST_DATABASE_ENV = "ONEWINDOW_TEST_HALL_DATABASE"


def fresh_test_database() -> str | None:
    """A new empty PostgreSQL database on the test server, or None (SQLite)."""
    server = os.environ.get(TEST_DATABASE_ENV, "").rstrip("/")
    if not server:
        return None
    import uuid

    import psycopg

    name = f"hall_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def start_hall(
    data_dir: Path,
    catalog: Path | None = None,
    certificates: Path | None = None,
    tls: bool = False,
    faults: bool = False,
    timeout_s: float = START_TIMEOUT_S,
    database_url: str | None = None,
    workers: int = 1,
) -> HallHandle:
    """Start a hall subprocess on a free loopback port and wait until healthy
    (a large ``catalog`` takes a while to publish: raise ``timeout_s`` for it).
    With ONEWINDOW_TEST_HALL_DATABASE set it keeps its data in PostgreSQL."""
    data_dir = Path(data_dir)
    database_url = database_url or fresh_test_database()
    options = {"catalog": catalog, "certificates": certificates, "faults": faults,
               "timeout_s": timeout_s, "database_url": database_url, "workers": workers}
    if tls:
        ca, cert, key = make_tls_material(data_dir.parent / f"{data_dir.name}-tls")
        return launch_hall(data_dir, tls_cert=cert, tls_key=key, ca_cert_path=ca, **options)
    return launch_hall(data_dir, **options)


def hall_rows(handle: HallHandle, sql: str, params=()) -> list[tuple]:
    """Run one statement against the hall's own database, whichever engine it
    runs on (tests that look at what the hall stored); returns the rows."""
    if handle.database_url:
        import psycopg

        from central_hall.pg import translate

        with psycopg.connect(handle.database_url, autocommit=True) as conn:
            cursor = conn.execute(translate(sql), tuple(params))
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    import sqlite3

    conn = sqlite3.connect(handle.data_dir / "hall.sqlite3")
    try:
        with conn:
            return [tuple(row) for row in conn.execute(sql, tuple(params)).fetchall()]
    finally:
        conn.close()


def admin_token(handle: HallHandle) -> str:
    """A bearer token of the demo district administrator (posts case progress,
    publishes the catalog) — what a department's system does at the real hall."""
    verify: bool | str = str(handle.ca_cert_path) if handle.ca_cert_path else True
    reply = requests.post(f"{handle.api}/auth/token", timeout=10, verify=verify, json={
        "station": DEMO_STATION, "user": DEMO_ADMIN, "password": DEMO_PASSWORD})
    reply.raise_for_status()
    return reply.json()["access_token"]


def register_station(handle: HallHandle, station: str, user: str, role: str = "clerk",
                     name: str = "测试工位") -> None:
    """Register ``station`` at a (running) hall with an account ``user`` bound to it
    (password DEMO_PASSWORD), through the hall's own commands, as its administrator would."""
    import subprocess
    import sys

    hall = [sys.executable, "-m", "central_hall"]
    data = ["--data", str(handle.data_dir)]
    if handle.database_url:
        data += ["--database", handle.database_url]
    subprocess.run([*hall, "station", "add", *data, "--code", station, "--name", name],
                   check=True, capture_output=True, timeout=60)
    subprocess.run([*hall, "account", *data, "--user", user, "--role", role,
                    "--station", station], input=DEMO_PASSWORD + "\n", text=True,
                   check=True, capture_output=True, timeout=60)


def demo_catalog_file() -> Path | None:
    return DEMO_CATALOG if DEMO_CATALOG.exists() else None


def _start_demo_hall(data_dir: Path) -> HallHandle:
    return start_hall(data_dir, catalog=demo_catalog_file(), certificates=demo_certificates_file())


@pytest.fixture
def hall(tmp_path) -> HallHandle:
    """A fresh hall with the demo catalog and demo certificates, plain HTTP."""
    handle = _start_demo_hall(tmp_path / "hall")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def shared_hall(tmp_path_factory) -> HallHandle:
    """One demo hall for every test of a module (tests must not rely on it being empty)."""
    handle = _start_demo_hall(tmp_path_factory.mktemp("shared-hall") / "hall")
    yield handle
    handle.stop()


@pytest.fixture
def hall_factory(tmp_path):
    """``hall_factory(data_dir=None, catalog=..., certificates=..., tls=..., faults=...)``:
    start_hall's arguments, the data dir defaulting to a fresh one under tmp_path."""
    started: list[HallHandle] = []

    def factory(
        data_dir: Path | None = None,
        catalog: Path | None = None,
        certificates: Path | None = None,
        tls: bool = False,
        faults: bool = False,
        database_url: str | None = None,
    ) -> HallHandle:
        directory = data_dir or tmp_path / f"hall-{len(started)}"
        handle = start_hall(directory, catalog, certificates, tls, faults,
                            database_url=database_url)
        started.append(handle)
        return handle

    yield factory
    for handle in started:
        handle.stop()
