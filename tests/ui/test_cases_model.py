"""Cases list: query and table model without a window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from app.numbering import station_key
from local_store.models import Applicant, Case
from ui.cases_model import (
    COLUMN_APPLICANT,
    COLUMN_DEADLINE,
    COLUMN_ID,
    COLUMN_NUMBER,
    COLUMN_STATE,
    CasesTableModel,
    find_cases,
)

STATION = station_key("350205", "001")
TODAY = dt.date(2026, 11, 27)
# Station wall time; stored as UTC (26 Nov 16:00 is 08:00 UTC, a day before TODAY).
BEIJING = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "350205199001011234"


def _add_case(number, name, received_at, id_number=ID_NUMBER, station=STATION, state="accepted"):
    applicant, _ = Applicant.get_or_create(
        id_type="111", id_number=id_number, defaults={"kind": "person", "name": name}
    )
    return Case.create(
        number=number,
        task_code="T" * 31,
        item_name="个体工商户设立登记",
        project_type="2",
        state=state,
        applicant=applicant,
        applicant_snapshot={"kind": "person", "name": name, "id_number": id_number},
        station=station,
        clerk="王芳",
        received_at=received_at,
        deadline=dt.date(2026, 12, 4),
        deadline_uncertain=True,
    )


def _seed(store):
    def write():
        _add_case(
            "35020500120261127000011", "张三", dt.datetime(2026, 11, 27, 9, 30, tzinfo=BEIJING)
        )
        _add_case(
            "35020500120261127000022",
            "欧阳·娜娜",
            dt.datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING),
            id_number="35020519850315002X",
        )
        _add_case(
            "35020500120261126000013", "张三", dt.datetime(2026, 11, 26, 16, 0, tzinfo=BEIJING)
        )
        _add_case(
            "35020599920261127000014",
            "李四",
            dt.datetime(2026, 11, 27, 11, 0, tzinfo=BEIJING),
            id_number="350205197001010011",
            station=station_key("350205", "999"),
        )

    store.writer.call(write)


def test_today_lists_only_this_station_and_day_newest_first(store):
    _seed(store)
    rows = find_cases(STATION, TODAY)
    assert [r.number for r in rows] == ["35020500120261127000022", "35020500120261127000011"]


def test_search_by_number_name_and_full_id_any_day(store):
    _seed(store)
    assert {r.number for r in find_cases(STATION, TODAY, "张三")} == {
        "35020500120261127000011",
        "35020500120261126000013",
    }
    assert [r.number for r in find_cases(STATION, TODAY, "26000013")] == ["35020500120261126000013"]
    assert [r.applicant_name for r in find_cases(STATION, TODAY, "35020519850315002x")] == [
        "欧阳·娜娜"
    ]
    assert find_cases(STATION, TODAY, "李四") == []  # another station's case


def test_model_shows_masked_id_and_state_words(store, chinese_ui):
    _seed(store)
    model = CasesTableModel()
    model.set_rows(find_cases(STATION, TODAY))
    assert model.rowCount() == 2
    assert model.data(model.index(0, COLUMN_NUMBER)) == "35020500120261127000022"
    assert model.data(model.index(0, COLUMN_APPLICANT)) == "欧阳·娜娜"
    masked = model.data(model.index(0, COLUMN_ID))
    assert masked.startswith("350205") and masked.endswith("2X") and "1985" not in masked
    assert model.data(model.index(0, COLUMN_STATE)) == "已受理"
    assert model.data(model.index(0, COLUMN_DEADLINE)) == "2026-12-04（日历未确认）"
    assert model.headerData(COLUMN_ID, Qt.Orientation.Horizontal) == "证件号码"
