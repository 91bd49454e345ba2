"""Identity validation: citizen IDs, USCC, masking (DOMAIN.md rules)."""

import datetime as dt

import pytest

from app.identity import check_id, check_resident_id, check_uscc, mask_id

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "number, birth, sex",
    [
        ("350205199003071239", dt.date(1990, 3, 7), "男"),
        ("110101199003077766", dt.date(1990, 3, 7), "女"),
        ("35020519880715107X", dt.date(1988, 7, 15), "男"),
    ],
)
def test_valid_resident_ids(number, birth, sex):
    result = check_resident_id(number, TODAY)
    assert result.ok, result.error
    assert result.normalized == number
    assert result.birth_date == birth
    assert result.sex == sex
    assert result.warnings == []


def test_lower_case_x_accepted_and_stored_upper_case():
    result = check_resident_id("35020519880715107x", TODAY)
    assert result.ok
    assert result.normalized == "35020519880715107X"


def test_full_width_digits_and_spaces_are_normalised():
    result = check_resident_id("３５０２０５ 1990 0307 1239", TODAY)
    assert result.ok
    assert result.normalized == "350205199003071239"


@pytest.mark.parametrize(
    "number", ["810000198505120022", "820000198505120032", "830000198505120042"]
)
def test_hong_kong_macao_taiwan_residence_permits_are_valid(number):
    result = check_resident_id(number, TODAY)
    assert result.ok, result.error
    assert result.warnings == []


def test_area_created_after_birth_is_accepted_without_warning():
    # 350213 翔安区 exists since 2003; a person born 1990 got the code later.
    result = check_resident_id("350213199001010010", TODAY)
    assert result.ok, result.error
    assert result.warnings == []


def test_unknown_area_is_a_warning_not_a_rejection():
    result = check_resident_id("999999198001010038", TODAY)
    assert result.ok
    assert len(result.warnings) == 1
    assert "999999" in result.warnings[0]


def test_wrong_check_digit_refused():
    result = check_resident_id("350205199003071238", TODAY)
    assert not result.ok
    assert "校验位" in result.error


def test_impossible_date_refused():
    # 30 February; check digit computed for the number so only the date is wrong.
    result = check_resident_id("350205199002301231", TODAY)
    assert not result.ok
    assert "19900230" in result.error and "不存在" in result.error


def test_future_birth_date_refused():
    result = check_resident_id("350205202701010016", TODAY)
    assert not result.ok
    assert "晚于今天" in result.error


def test_fifteen_digit_number_refused_with_reason():
    result = check_resident_id("350205900307123", TODAY)
    assert not result.ok
    assert "15 位" in result.error and "18 位" in result.error


@pytest.mark.parametrize(
    "number, fragment",
    [("", "请填写"), ("3502051990", "当前为 10 位"), ("35020519900307123A", "数字或 X")],
)
def test_malformed_resident_ids(number, fragment):
    result = check_resident_id(number, TODAY)
    assert not result.ok
    assert fragment in result.error


@pytest.mark.parametrize(
    "code",
    [
        "91350205MA2Y123407",  # digit first (market regulator, enterprise)
        "12350200426612345W",  # institution, letter check character
        "Y1350205MA2Y123451",  # letter first: registration authority Y
        "Y23502055730012342",
    ],
)
def test_valid_uscc(code):
    result = check_uscc(code)
    assert result.ok, result.error
    assert result.normalized == code


def test_uscc_lower_case_normalised():
    assert check_uscc("91350205ma2y123407").normalized == "91350205MA2Y123407"


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_forbidden_letters_refused(letter):
    code = "91350205MA2" + letter + "123407"
    result = check_uscc(code)
    assert not result.ok
    assert letter in result.error and "不使用字母" in result.error


def test_uscc_wrong_check_character():
    result = check_uscc("91350205MA2Y123408")
    assert not result.ok
    assert "校验码" in result.error


def test_uscc_wrong_length():
    result = check_uscc("91350205MA2Y1234")
    assert not result.ok
    assert "18 位" in result.error


def test_check_id_dispatches_by_type():
    assert check_id("111", "350205199003071239", TODAY).ok
    assert check_id("001", "91350205MA2Y123407", TODAY).ok
    assert not check_id("111", "91350205MA2Y123407", TODAY).ok
    passport = check_id("414", "e12345678", TODAY)
    assert passport.ok and passport.normalized == "E12345678"
    assert not check_id("414", "", TODAY).ok
    assert not check_id("414", "护照号码", TODAY).ok
    assert "证件类型" in check_id("", "E12345678", TODAY).error


def test_mask_id():
    assert mask_id("35020519880715107X") == "350205**********7X"
    assert mask_id("91350205MA2Y123407") == "913502**********07"
    assert mask_id("E12345678") == "E12****78"
    assert mask_id("") == ""
    assert mask_id(None) == ""
    masked = mask_id("AB12")
    assert masked.count("*") >= 2 and len(masked) == 4
