"""Plain http only to this machine: enrol, sign-in, sync sessions and doctor
refuse a non-loopback http hall unless the administrator set the insecure flag."""

from __future__ import annotations

import json
import time

import pytest
import requests

from app.cli import main
from app.settings import Settings
from sync import credentials
from sync.http import (
    INSECURE_HTTP_ENV,
    HallClient,
    HallFailure,
    HallSession,
    InsecureTransport,
    transport_problem,
)
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER

# TEST-NET-1 (RFC 5737): never routed; a connection attempt would hang or fail slowly.
REMOTE_PLAIN = "http://192.0.2.10:8470"


@pytest.fixture(autouse=True)
def no_insecure_flag(monkeypatch):
    monkeypatch.delenv(INSECURE_HTTP_ENV, raising=False)


@pytest.mark.parametrize("url", ["https://hall.example.gov.cn", "http://127.0.0.1:8470",
                                 "http://127.8.0.1", "http://localhost:1", "http://[::1]:8470"])
def test_https_and_loopback_are_allowed(url):
    assert transport_problem(url) is None


@pytest.mark.parametrize("url", [REMOTE_PLAIN, "http://hall.example.gov.cn",
                                 "http://10.0.0.5", "ftp://hall.example.gov.cn"])
def test_plain_http_to_another_machine_is_refused(url):
    assert transport_problem(url)


def test_the_administrators_flag_allows_plain_http(monkeypatch):
    monkeypatch.setenv(INSECURE_HTTP_ENV, "1")
    assert transport_problem(REMOTE_PLAIN) is None


def test_sessions_refuse_before_connecting():
    session = HallSession(timeout=5)
    started = time.monotonic()
    with pytest.raises(InsecureTransport):
        session.get(f"{REMOTE_PLAIN}/api/v1/health")
    client = HallClient(REMOTE_PLAIN, timeout_s=5)
    with pytest.raises(HallFailure) as failure:
        client.health()
    assert failure.value.kind == "insecure" and failure.value.link_down
    assert "明文" in failure.value.message
    assert isinstance(InsecureTransport("x"), requests.RequestException)
    assert time.monotonic() - started < 1  # refused, not a connection that timed out


def test_sign_in_and_enroll_refuse_before_the_password_leaves(memory_keyring):
    settings = Settings()
    with pytest.raises(credentials.CredentialError, match="明文"):
        credentials.enroll(settings, REMOTE_PLAIN, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    assert settings.hall_url == ""


def test_enroll_command_refuses_plain_remote_http(home, capsys, memory_keyring, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    code = main(["enroll", "--hall", REMOTE_PLAIN, "--station", DEMO_STATION,
                 "--user", DEMO_USER])
    assert code != 0
    assert "明文" in capsys.readouterr().err
    assert sys.stdin.read() == DEMO_PASSWORD + "\n"  # the password was never even read


def test_doctor_says_plain_remote_http_is_refused(home, capsys, monkeypatch):
    monkeypatch.setenv("ONEWINDOW_HALL_URL", REMOTE_PLAIN)
    code = main(["doctor", "--json"])
    hall = {f["check"]: f for f in json.loads(capsys.readouterr().out)}["hall"]
    assert hall["level"] == "error" and "明文" in hall["detail"]
    assert INSECURE_HTTP_ENV in hall["fix"] and code == 1


def test_enroll_over_loopback_http_still_works(hall, memory_keyring):
    settings = Settings()
    token = credentials.enroll(settings, hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    assert token.station == DEMO_STATION and settings.hall_url == hall.url
