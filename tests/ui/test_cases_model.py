"""Cases list: query and table model without a window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.numbering import station_key
from tests.support.printing import make_case
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
ZHANG_ID = "350205199003071239"
OUYANG_ID = "35020519880715107X"
LI_ID = "350205197808080037"


def _seed(store) -> dict[str, str]:
    """Four cases taken in at the window (station wall times); → {label: case number}."""
    def taken_in(label, name, at, id_number=ZHANG_ID, station_code="001"):
        return label, make_case(store, applicant_name=name, id_number=id_number,
                                received_at=at, station_code=station_code).number

    return dict([
        taken_in("zhang_today", "张三", dt.datetime(2026, 11, 27, 9, 30)),
        taken_in("ouyang_today", "欧阳·娜娜", dt.datetime(2026, 11, 27, 10, 0), OUYANG_ID),
        # 16:00 on the 26th is 08:00 UTC: the day before TODAY at the station.
        taken_in("zhang_yesterday", "张三", dt.datetime(2026, 11, 26, 16, 0)),
        taken_in("li_other_station", "李四", dt.datetime(2026, 11, 27, 11, 0), LI_ID, "999"),
    ])


def test_today_lists_only_this_station_and_day_newest_first(store):
    numbers = _seed(store)
    rows = find_cases(STATION, TODAY)
    assert [r.number for r in rows] == [numbers["ouyang_today"], numbers["zhang_today"]]


def test_search_by_number_name_and_full_id_any_day(store):
    numbers = _seed(store)
    assert {r.number for r in find_cases(STATION, TODAY, "张三")} == {
        numbers["zhang_today"], numbers["zhang_yesterday"]}
    tail = numbers["zhang_yesterday"][-8:]
    assert [r.number for r in find_cases(STATION, TODAY, tail)] == [numbers["zhang_yesterday"]]
    assert [r.applicant_name for r in find_cases(STATION, TODAY, OUYANG_ID.lower())] == [
        "欧阳·娜娜"
    ]
    assert find_cases(STATION, TODAY, "李四") == []  # another station's case


def test_model_shows_masked_id_and_state_words(store, chinese_ui):
    numbers = _seed(store)
    model = CasesTableModel()
    model.set_rows(find_cases(STATION, TODAY))
    assert model.rowCount() == 2
    assert model.data(model.index(0, COLUMN_NUMBER)) == numbers["ouyang_today"]
    assert model.data(model.index(0, COLUMN_APPLICANT)) == "欧阳·娜娜"
    masked = model.data(model.index(0, COLUMN_ID))
    assert masked.startswith("350205") and masked.endswith("7X") and "1988" not in masked
    assert model.data(model.index(0, COLUMN_STATE)) == "已受理"
    # Friday + 1 working day, on a calendar that knows 2026.
    assert model.data(model.index(0, COLUMN_DEADLINE)) == "2026-11-30"
    assert model.headerData(COLUMN_ID, Qt.Orientation.Horizontal) == "证件号码"


def test_model_flags_a_deadline_in_a_year_the_calendar_does_not_know(store, chinese_ui):
    last_day = dt.date(2026, 12, 31)
    make_case(store, received_at=dt.datetime(2026, 12, 31, 9, 0), id_number=ZHANG_ID)
    model = CasesTableModel()
    model.set_rows(find_cases(STATION, last_day))
    # 1 Jan 2027 is a Friday: counted Mon–Fri until the year's holidays are entered.
    assert model.data(model.index(0, COLUMN_DEADLINE)) == "2027-01-01（日历未确认）"
