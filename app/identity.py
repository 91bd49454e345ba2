"""Identity numbers: citizen ID (GB 11643), USCC (GB 32100), masking.

python-stdnum computes both check characters correctly, but its ``validate()``
functions are stricter than the law (DOMAIN.md): ``cn.ric`` rejects residence
permits of Hong Kong/Macao/Taiwan residents (810000/820000/830000) and areas
created after the holder's birth (350213 翔安区, 2003), and ``cn.uscc`` rejects
codes whose first eight characters are not digits (registration authority
``Y`` …).  So we reuse only the check-character computations and do the rest
here.  Messages are Chinese and name what is wrong; an unknown area is a
warning, never a rejection.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from stdnum import numdb
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from local_store.instants import station_today

RESIDENT_ID_TYPE = "111"
USCC_ID_TYPE = "001"

# Residence permits for Hong Kong, Macao and Taiwan residents carry these areas.
RESIDENCE_PERMIT_AREAS = {
    "810000": "港澳台居民居住证（香港）",
    "820000": "港澳台居民居住证（澳门）",
    "830000": "港澳台居民居住证（台湾）",
}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_FORBIDDEN_LETTERS = "IOZSV"

# Nobody born before this applies at a window; such a "date" is a typing error.
EARLIEST_BIRTH_YEAR = 1900

# Other document types (passports, permits, household register …) have no
# check character we can verify; only keep out what is obviously not a number.
_GENERIC_ID_PATTERN = re.compile(r"^[0-9A-Z()\-]{5,32}$")


@dataclass
class IdCheck:
    ok: bool
    normalized: str
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    birth_date: dt.date | None = None
    sex: str | None = None  # '男' | '女' (resident IDs only)


def normalize_id_text(number: str | None) -> str:
    """Full-width digits/letters from a Chinese IME become ASCII; spaces go."""
    text = unicodedata.normalize("NFKC", number or "")
    return re.sub(r"\s+", "", text).upper()


def preload_area_table() -> None:
    """Parse stdnum's area table now (~0.2 s once), e.g. in the background at start-up,
    so the first ID check typed at the window does not pay for it."""
    numdb.get("cn/loc")


def _area_name(area: str) -> str | None:
    """County name from stdnum's area table, whatever the period it existed."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(area) for k, v in props.items()}
    county = info.get("county")
    if not county:
        return None
    # "[1983-2002]杏林区,[2003-]海沧区" → the latest name is the useful one.
    return county.split(",")[-1].split("]")[-1]


def check_resident_id(number: str | None, today: dt.date | None = None) -> IdCheck:
    """Validate an 18-digit 公民身份号码 (also 港澳台居民居住证)."""
    today = today or station_today()
    normalized = normalize_id_text(number)

    def refuse(message: str) -> IdCheck:
        return IdCheck(ok=False, normalized=normalized, error=message)

    if not normalized:
        return refuse("请填写公民身份号码")
    if len(normalized) == 15 and normalized.isdigit():
        return refuse(
            "15 位第一代身份证号码已停止使用，不能作为有效证件号码；请提供 18 位公民身份号码"
        )
    if len(normalized) != 18:
        return refuse(f"公民身份号码应为 18 位，当前为 {len(normalized)} 位")
    if not normalized[:17].isdigit() or not (normalized[17].isdigit() or normalized[17] == "X"):
        return refuse("公民身份号码前 17 位应为数字，最后一位为数字或 X")

    year, month, day = int(normalized[6:10]), int(normalized[10:12]), int(normalized[12:14])
    try:
        birth_date = dt.date(year, month, day)
    except ValueError:
        return refuse(f"公民身份号码中的出生日期 {normalized[6:14]} 不存在")
    if birth_date > today:
        return refuse(f"公民身份号码中的出生日期 {birth_date:%Y-%m-%d} 晚于今天")
    if year < EARLIEST_BIRTH_YEAR:
        return refuse(f"公民身份号码中的出生日期 {birth_date:%Y-%m-%d} 不合理")

    if stdnum_ric.calc_check_digit(normalized) != normalized[17]:
        return refuse("公民身份号码校验位不正确，请核对号码是否输错")

    warnings: list[str] = []
    area = normalized[:6]
    if area not in RESIDENCE_PERMIT_AREAS and _area_name(area) is None:
        warnings.append(f"地区码 {area} 不在行政区划表中，请核对证件（不影响受理）")
    sex = "男" if int(normalized[16]) % 2 == 1 else "女"
    return IdCheck(
        ok=True, normalized=normalized, warnings=warnings, birth_date=birth_date, sex=sex
    )


def check_uscc(code: str | None) -> IdCheck:
    """Validate an 18-character 统一社会信用代码; letter-first codes are valid."""
    normalized = normalize_id_text(code)

    def refuse(message: str) -> IdCheck:
        return IdCheck(ok=False, normalized=normalized, error=message)

    if not normalized:
        return refuse("请填写统一社会信用代码")
    if len(normalized) != 18:
        return refuse(f"统一社会信用代码应为 18 位，当前为 {len(normalized)} 位")
    forbidden = sorted({ch for ch in normalized if ch in USCC_FORBIDDEN_LETTERS})
    if forbidden:
        return refuse(
            f"统一社会信用代码不使用字母 I、O、Z、S、V，号码中含有 {'、'.join(forbidden)}"
        )
    strange = sorted({ch for ch in normalized if ch not in USCC_ALPHABET})
    if strange:
        return refuse(f"统一社会信用代码含有无效字符 {'、'.join(strange)}")
    if stdnum_uscc.calc_check_digit(normalized[:17]) != normalized[17]:
        return refuse("统一社会信用代码校验码不正确，请核对是否输错")
    return IdCheck(ok=True, normalized=normalized)


def check_other_id(number: str | None) -> IdCheck:
    normalized = normalize_id_text(number)
    if not normalized:
        return IdCheck(ok=False, normalized=normalized, error="请填写证件号码")
    if not _GENERIC_ID_PATTERN.match(normalized):
        return IdCheck(
            ok=False,
            normalized=normalized,
            error="证件号码应为 5–32 位字母或数字",
        )
    return IdCheck(ok=True, normalized=normalized)


def check_id(id_type: str | None, number: str | None, today: dt.date | None = None) -> IdCheck:
    """Validate ``number`` as a document of ``id_type`` (GA/T 2000.156 code)."""
    if not id_type:
        return IdCheck(ok=False, normalized=normalize_id_text(number), error="请选择证件类型")
    if id_type == RESIDENT_ID_TYPE:
        return check_resident_id(number, today)
    if id_type == USCC_ID_TYPE:
        return check_uscc(number)
    return check_other_id(number)


def mask_id(number: str | None) -> str:
    """``350205**********1X``: enough to recognise, not enough to misuse."""
    text = (number or "").strip()
    length = len(text)
    if length == 0:
        return ""
    if length >= 15:
        head, tail = 6, 2
    else:
        # Passports, permits: keep about a third in front and up to two at the end.
        head, tail = length // 3, min(2, length // 4)
    return text[:head] + "*" * (length - head - tail) + text[length - tail :]
