"""Read-side case queries: a day's cases, search, detail with masked IDs."""

import datetime as dt

from app.cases import case_detail, cases_on_day, search_cases
from app.intake import Decision, IntakeService
from app.numbering import station_key
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    NOW,
    VALID_AGENT_ID,
    VALID_PERSON_ID,
    fill_person,
    receive_all_originals,
)


def _commit(intake, task_code, name, id_number):
    draft = intake.new_draft(task_code)
    fill_person(draft, name=name, id_number=id_number)
    receive_all_originals(draft)
    return intake.commit(draft, Decision("accept"))


def test_day_list_search_and_detail(store, intake, intake_catalog, intake_settings):
    code = intake_catalog[INDIVIDUAL_BUSINESS]
    first = _commit(intake, code, "买买提·艾力𠇔", VALID_PERSON_ID)
    second = _commit(intake, code, "张三", VALID_AGENT_ID)
    yesterday = IntakeService(store, intake_settings, clock=lambda: NOW - dt.timedelta(days=1))
    old = _commit(yesterday, code, "李四", VALID_PERSON_ID)

    station = station_key(intake_settings.region_code, intake_settings.station_code)
    today = cases_on_day(NOW.date(), station)
    assert [row.number for row in today] == [first.case_number, second.case_number]
    assert today[0].id_masked == "350205**********39"
    assert cases_on_day(NOW.date(), "999999999") == []

    assert [r.number for r in search_cases("艾力")] == [first.case_number]
    assert [r.number for r in search_cases("35020519880715107x")] == [second.case_number]
    by_id = {r.number for r in search_cases(VALID_PERSON_ID)}
    assert by_id == {first.case_number, old.case_number}
    assert [r.number for r in search_cases(old.case_number[-8:].lower())] == [old.case_number]
    assert search_cases("   ") == []

    detail = case_detail(first.case_number)
    assert detail["applicant"]["name"] == "买买提·艾力𠇔"
    assert detail["applicant"]["id_number"] == "350205**********39"
    assert detail["deadline"] == "2026-11-30" and len(detail["materials"]) == 5
    assert [e["kind"] for e in detail["events"]] == ["received", "accepted"]
    assert detail["outbox"][0]["event"] == "accept"
    assert case_detail(first.case_number, mask=False)["applicant"]["id_number"] == VALID_PERSON_ID
    assert case_detail("NOPE") is None


def test_a_case_of_a_handle_item_is_listed_by_the_handle_items_name(
        store, intake, intake_catalog):
    from sync.summary import queue_rows

    change = intake_catalog["食品经营许可（变更）"]
    committed = _commit(intake, change, "张三", VALID_PERSON_ID)
    [row] = cases_on_day(NOW.date())
    assert (row.item_name, row.task_code, row.handle_item_code) == (
        "食品经营许可（变更）", change.task_code, change.handle_item_code)
    assert row.to_json()["handle_item_code"] == change.handle_item_code
    detail = case_detail(committed.case_number)
    assert (detail["item_name"], detail["handle_item_name"]) == ("食品经营许可",
                                                                 "食品经营许可（变更）")
    assert [entry.item_name for entry in queue_rows()] == ["食品经营许可（变更）"]
