"""A reference hall with a test certificate library, signed in, key pinned.

One hall per module keeps the suite fast; tests look up by purpose strings
of their own so that shared hall state never decides an outcome.
"""

from __future__ import annotations

import socket

import pytest

from app.certificates import CertificateService, pin_hall_public_key
from app.settings import Settings
from sync.credentials import sign_in
from tests.support.certificates import library_entry, write_library
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER, start_hall

PERSON = "350205199003071239"  # 张三
OTHER = "35020519880715107X"  # 李四
ORGANISATION = "91350205MA31ABCD2U"
BENCH_HOLDER = "35020519800101001X"  # holds 12 certificates
BENCH_CERTIFICATES = 12


def library_for_tests() -> tuple[list, list]:
    holders = [
        (PERSON, "person", "张三"),
        (OTHER, "person", "李四"),
        (ORGANISATION, "organisation", "厦门海沧一窗示范餐饮有限公司"),
        (BENCH_HOLDER, "person", "陈十二"),
    ]
    entries = [
        library_entry("p-id", PERSON, "CT001", 1),
        library_entry("p-hukou", PERSON, "CT002", 2, valid_until=None, revoked=True),
        library_entry("p-marriage", PERSON, "CT005", 3, valid_from="2010-05-20",
                      valid_until="2020-05-19"),
        # 李四's property certificate, wrongly filed under 张三 as well.
        library_entry("o-property", OTHER, "CT004", 4, valid_until=None,
                      also_listed_for=(PERSON,)),
        library_entry("o-id", OTHER, "CT001", 5),
        library_entry("org-licence", ORGANISATION, "CT003", 6, valid_until=None),
        library_entry("org-code", ORGANISATION, "CT007", 7, valid_until=None),
        library_entry("org-tax", ORGANISATION, "CT008", 8, valid_until=None),
    ]
    types = ["CT001", "CT002", "CT004", "CT005", "CT009"]
    entries += [
        library_entry(f"b-{n:02d}", BENCH_HOLDER, types[n % len(types)], 100 + n,
                      valid_until=None if n % 2 else "2045-01-01")
        for n in range(BENCH_CERTIFICATES)
    ]
    return holders, entries


@pytest.fixture
def blackhole():
    """A socket that accepts connections into its backlog and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture
def closed_port_url():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more: connection refused
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def cert_hall(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cert-hall")
    library = write_library(directory / "library.json", *library_for_tests())
    handle = start_hall(directory / "hall", certificates=library)
    yield handle
    handle.stop()


@pytest.fixture
def cert_settings(cert_hall) -> Settings:
    settings = Settings(hall_url=cert_hall.url, clerk_name="王窗口", cert_lookup_timeout_s=5.0)
    pin_hall_public_key(settings, save=False)
    return settings


@pytest.fixture
def signed_in(cert_hall, memory_keyring):
    return sign_in(cert_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)


@pytest.fixture
def cert_service(store, cert_settings, signed_in):
    service = CertificateService(store, cert_settings)
    yield service
    service.close()
