"""``onewindow doctor`` reports every check with a fix, and fails on errors."""

import json

from app.cli import main


def run_doctor(capsys) -> tuple[int, dict]:
    code = main(["doctor", "--json"])
    findings = {f["check"]: f for f in json.loads(capsys.readouterr().out)}
    return code, findings


def test_all_checks_reported(home, capsys, memory_keyring):
    code, findings = run_doctor(capsys)
    assert set(findings) == {"sqlite", "data_dir", "fonts", "keyring", "scanner", "hall",
                             "time_zone"}
    assert findings["time_zone"]["level"] == "ok"
    assert "Asia/Shanghai" in findings["time_zone"]["detail"]
    assert "+0800" in findings["time_zone"]["detail"]
    assert findings["fonts"]["level"] == "ok" and "WenQuanYi" in findings["fonts"]["detail"]
    assert findings["hall"]["level"] == "ok"  # none configured: the local reference hall
    assert code == 0


def test_unreachable_hall_is_a_warning_with_a_fix(home, capsys, monkeypatch):
    monkeypatch.setenv("ONEWINDOW_HALL_URL", "http://127.0.0.1:9")  # discard port: refused
    _, findings = run_doctor(capsys)
    hall = findings["hall"]
    assert hall["level"] == "warning" and "不可达" in hall["detail"] and hall["fix"]


def test_missing_keyring_is_an_error(home, capsys):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, findings = run_doctor(capsys)
    finally:
        keyring.set_keyring(previous)
    assert findings["keyring"]["level"] == "error" and "明文" in findings["keyring"]["detail"]
    assert code == 1



def test_unknown_station_time_zone_is_an_error_with_a_fix(home, capsys, memory_keyring):
    from app.settings import Settings, save_settings

    save_settings(Settings(time_zone="Beijing"), home)
    code, findings = run_doctor(capsys)
    zone = findings["time_zone"]
    assert zone["level"] == "error" and "Beijing" in zone["detail"]
    assert "Asia/Shanghai" in zone["fix"] and code == 1
