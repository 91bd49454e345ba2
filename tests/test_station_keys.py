"""The station's key slots (app.security.keys): the data key wrapped by staff
passwords and by the administrator's recovery key, never in clear on disk."""

from __future__ import annotations

import json
import stat

import pytest

from app.security import keys
from app.security.keys import KdfParams, KeySlots, NoSlot, RecoveryKeyWrong
from local_store.keys import StationKeys, hkdf_sha256

CHEAP = KdfParams(time_cost=1, memory_kib=256, parallelism=1)


def test_subkeys_are_separate_and_follow_rfc5869():
    # RFC 5869 test case 3 (SHA-256, empty salt and info).
    ikm = bytes.fromhex("0b" * 22)
    assert hkdf_sha256(ikm, b"", 42).hex() == (
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
        "9d201395faa4b61a96c8")
    station = StationKeys(bytes(range(32)))
    assert len({station.database, station.blobs, station.data_key}) == 3
    assert len(station.blobs) == 32 and len(station.database) == 32


def test_the_api_refuses_while_locked_and_gives_the_held_keys(locked_station):
    with pytest.raises(keys.StationLocked):
        keys.blob_key()
    station = StationKeys(bytes(32))
    keys.hold(station)
    assert keys.blob_key() == station.blobs and keys.database_key() == station.database
    assert keys.data_key() == station.data_key and keys.unlocked()
    keys.forget()
    assert not keys.unlocked()


def test_staff_slot_unwraps_with_the_password_only(tmp_path):
    slots = KeySlots.load(tmp_path)
    station, code = slots.create()
    slots.set_staff_slot("clerk01", "right horse", station, CHEAP,
                         {"display_name": "张三", "role": "clerk"})
    again = KeySlots.load(tmp_path)
    assert again.unwrap_staff("clerk01", "right horse") == station
    assert again.unwrap_staff("clerk01", "wrong horse") is None
    with pytest.raises(NoSlot):
        again.unwrap_staff("clerk02", "right horse")
    text = (tmp_path / keys.KEYSLOTS_FILE).read_text(encoding="utf-8")
    assert station.data_key.hex() not in text and station.database.hex() not in text
    assert code.replace("-", "") not in text and "right horse" not in text
    assert stat.S_IMODE((tmp_path / keys.KEYSLOTS_FILE).stat().st_mode) == 0o600


def test_a_slot_moved_to_another_account_does_not_unwrap(tmp_path):
    slots = KeySlots.load(tmp_path)
    station, _code = slots.create()
    slots.set_staff_slot("clerk01", "pw-one", station, CHEAP, {})
    raw = json.loads(slots.path.read_text(encoding="utf-8"))
    raw["staff"]["clerk02"] = raw["staff"]["clerk01"]
    slots.path.write_text(json.dumps(raw), encoding="utf-8")
    assert KeySlots.load(tmp_path).unwrap_staff("clerk02", "pw-one") is None


def test_recovery_key_opens_the_station_and_can_be_reissued(tmp_path):
    slots = KeySlots.load(tmp_path)
    station, code = slots.create()
    assert len(code.split("-")) == 8 and all(len(g) == 6 for g in code.split("-"))
    assert KeySlots.load(tmp_path).unwrap_recovery(code.replace("-", " ")) == station
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    with pytest.raises(RecoveryKeyWrong):
        KeySlots.load(tmp_path).unwrap_recovery(wrong)
    with pytest.raises(RecoveryKeyWrong, match="48"):
        KeySlots.load(tmp_path).unwrap_recovery("12345")
    new_code = slots.new_recovery_key(station)
    with pytest.raises(RecoveryKeyWrong):
        KeySlots.load(tmp_path).unwrap_recovery(code)
    assert KeySlots.load(tmp_path).unwrap_recovery(new_code) == station


def test_another_stations_key_cannot_add_a_slot(tmp_path):
    slots = KeySlots.load(tmp_path)
    slots.create()
    with pytest.raises(keys.WrongKey):
        slots.set_staff_slot("clerk01", "pw", StationKeys(bytes(32)), CHEAP, {})


def test_production_slots_cost_what_rfc9106_low_memory_says():
    assert KdfParams() == KdfParams(time_cost=3, memory_kib=65_536, parallelism=4)
