"""Sign-in against the real hall; the token lives in the keyring and nowhere else."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail
from keyrings.alt.file import PlaintextKeyring

from app.settings import Settings
from sync import credentials
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER


def test_enroll_stores_token_in_keyring_and_station_in_settings(hall, memory_keyring, home):
    settings = Settings()
    token = credentials.enroll(settings, hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    assert settings.hall_url == hall.url
    assert settings.region_code + settings.station_code == DEMO_STATION
    stored = credentials.load_token(hall.url)
    assert stored == token and stored.access_token and not stored.expired
    assert list(memory_keyring.secrets) == [(f"onewindow:{hall.url}", "access-token")]
    # Nothing secret in any file of the data directory.
    for path in home.rglob("*"):
        if path.is_file():
            assert token.access_token.encode() not in path.read_bytes()


def test_wrong_password_is_a_clear_error_and_stores_nothing(hall, memory_keyring):
    settings = Settings()
    with pytest.raises(credentials.CredentialError, match="用户名或密码错误"):
        credentials.enroll(settings, hall.url, DEMO_STATION, DEMO_USER, "wrong")
    assert memory_keyring.secrets == {}
    assert settings.hall_url == ""


def test_bad_station_is_refused_before_contacting_anyone():
    with pytest.raises(credentials.CredentialError, match="9 位数字"):
        credentials.enroll(Settings(), "http://127.0.0.1:9", "12345", DEMO_USER, "x")


@pytest.fixture
def restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_fail_backend_means_no_keyring_and_no_plaintext_fallback(restore_keyring, tmp_path):
    keyring.set_keyring(fail.Keyring())
    assert "安全密钥环" in credentials.keyring_problem()
    with pytest.raises(credentials.NoSecureKeyring):
        credentials.sign_in("http://127.0.0.1:9", DEMO_STATION, DEMO_USER, "x")
    with pytest.raises(credentials.NoSecureKeyring):
        credentials.save_token("http://h", credentials.HallToken("t", "s", "u", "2099-01-01"))


def test_a_chain_of_plaintext_files_is_not_a_keyring(restore_keyring, tmp_path, monkeypatch):
    class Chain(chainer.ChainerBackend):
        backends = [PlaintextKeyring()]  # what keyrings.alt alone offers on a bare machine

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    keyring.set_keyring(Chain())
    assert credentials.secure_backend() is None
    assert credentials.keyring_problem() is not None
    with pytest.raises(credentials.NoSecureKeyring):
        credentials.save_token("http://h", credentials.HallToken("t", "s", "u", "2099-01-01"))
    assert not list(tmp_path.rglob("*.cfg"))


def test_explicitly_configured_backend_is_used(memory_keyring):
    assert credentials.keyring_problem() is None
    assert credentials.secure_backend() is memory_keyring
