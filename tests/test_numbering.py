"""Case numbers: layout, check character, a sequence that is never reused."""

import datetime as dt

import pytest
from stdnum.iso7064 import mod_37_36

from app.numbering import (
    CaseNumberError,
    format_case_number,
    next_case_number,
    verify_case_number,
)
from app.settings import Settings
from local_store.models import CaseNumberSequence
from local_store.store import Store

DAY = dt.date(2026, 11, 27)
PATTERN = Settings().case_number_pattern


def test_default_layout_and_check_character():
    number = format_case_number(PATTERN, "350205", "001", DAY, 42)
    assert len(number) == 6 + 3 + 8 + 5 + 1
    assert number[:-1] == "35020500120261127" + "00042"
    assert number[-1] == mod_37_36.calc_check_digit(number[:-1])
    assert verify_case_number(number)
    assert verify_case_number(number.lower())


def test_check_character_catches_typing_errors():
    number = format_case_number(PATTERN, "350205", "001", DAY, 42)
    for position in range(len(number) - 1):
        wrong = "7" if number[position] != "7" else "8"
        assert not verify_case_number(number[:position] + wrong + number[position + 1 :])
    swapped = number[:-3] + number[-2] + number[-3] + number[-1]
    assert swapped == number or not verify_case_number(swapped)
    assert not verify_case_number("")
    assert not verify_case_number("3502-0500")


def test_configurable_pattern_with_letters():
    number = format_case_number("HC{station}{date}{seq:04d}", "350205", "a01", DAY, 7)
    assert number.startswith("HCA01202611270007")
    assert verify_case_number(number)


@pytest.mark.parametrize(
    "pattern, fragment",
    [("{region}{date}", "{seq}"), ("{region}{seq:05d}", "{date}"), ("{foo}{date}{seq}", "foo")],
)
def test_bad_patterns_refused(pattern, fragment):
    with pytest.raises(CaseNumberError) as info:
        format_case_number(pattern, "350205", "001", DAY, 1)
    assert fragment in str(info.value)


def test_sequence_exhausted_is_a_clear_error():
    with pytest.raises(CaseNumberError, match="用尽"):
        format_case_number(PATTERN, "350205", "001", DAY, 100_000)


def _commit_one(settings, fail=False):
    def unit():
        number = next_case_number(settings, DAY)
        if fail:
            raise RuntimeError("commit fails after numbering")
        return number

    return unit


def test_sequence_increments_per_station_and_day(store):
    settings = Settings()
    first = store.writer.call(_commit_one(settings))
    second = store.writer.call(_commit_one(settings))
    assert first[17:22] == "00001" and second[17:22] == "00002"
    other = Settings(station_code="002")
    assert store.writer.call(_commit_one(other))[17:22] == "00001"


def test_rolled_back_commit_does_not_consume_a_number(store):
    settings = Settings()
    first = store.writer.call(_commit_one(settings))
    with pytest.raises(RuntimeError):
        store.writer.call(_commit_one(settings, fail=True))
    second = store.writer.call(_commit_one(settings))
    assert int(second[17:22]) == int(first[17:22]) + 1


def test_sequence_survives_reopen(home):
    settings = Settings()
    store = Store.open(home)
    numbers = [store.writer.call(_commit_one(settings)) for _ in range(3)]
    store.close()
    store = Store.open(home)
    try:
        again = store.writer.call(_commit_one(settings))
    finally:
        store.close()
    assert again not in numbers
    assert again[17:22] == "00004"


def test_numbers_already_used_are_skipped_even_if_sequence_is_behind(store, case_producer):
    first = case_producer.take_in().number
    second = case_producer.take_in().number
    # A sequence row restored from an old backup must not hand out a used number again.
    store.writer.call(lambda: CaseNumberSequence.update(last_seq=0).execute())
    third = case_producer.take_in().number
    assert third not in (first, second)
    assert int(third[17:22]) == int(second[17:22]) + 1
