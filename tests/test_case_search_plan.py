"""Case search at five years of cases (issue 18): what it finds, and that
every query it sends reads an index, never the whole case table (at 1.5 M
cases a table scan takes seconds; tests/bench/bench_scale.py measures it)."""

from __future__ import annotations

from app.cases import search_cases
from app.intake import Decision
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    VALID_AGENT_ID,
    VALID_PERSON_ID,
    fill_person,
    receive_all_originals,
)
from tests.support.query_plans import plan_lines, record_statements

STATION = "350205001"


def _commit(intake, task_code, name, id_number):
    draft = intake.new_draft(task_code)
    fill_person(draft, name=name, id_number=id_number)
    receive_all_originals(draft)
    return intake.commit(draft, Decision("accept"))


def _statements(store, monkeypatch, text: str) -> tuple[list, list]:
    """The search's results and every statement it ran."""
    return record_statements(store.case_db, monkeypatch,
                             lambda: search_cases(text, station=STATION))

def _table_scans(store, sent) -> list[str]:
    """Plan lines that read a whole table: a SCAN, unless of a covering index
    (``SCAN t1 USING INDEX case_received_at`` still reads every row); json_each
    of the ids found is no table."""
    scans = []
    for statement in sent:
        scans += [line for line in plan_lines(store.case_db, statement)
                  if line.startswith("SCAN ") and "COVERING INDEX" not in line
                  and "VIRTUAL TABLE" not in line]
    return scans


def test_search_by_id_number_and_name_reads_indexes_only(store, intake, intake_catalog,
                                                         monkeypatch):
    code = intake_catalog[INDIVIDUAL_BUSINESS]
    first = _commit(intake, code, "张伟", VALID_PERSON_ID)
    second = _commit(intake, code, "王芳", VALID_AGENT_ID)
    longer = _commit(intake, code, "张伟华", "350205197808080037")

    everyone = [longer.case_number, second.case_number, first.case_number]
    for text, expected in ((VALID_PERSON_ID, [first.case_number]),
                           (first.case_number, [first.case_number]),
                           (first.case_number[:-3], everyone),
                           ("王芳", [second.case_number]),
                           # A whole name: its people; else the names it starts.
                           ("张伟", [first.case_number]),
                           ("张", [longer.case_number, first.case_number])):
        found, sent = _statements(store, monkeypatch, text)
        assert [row.number for row in found] == expected, text
        assert _table_scans(store, sent) == [], (text, sent)


def test_text_inside_a_number_or_a_name_is_found_by_scanning_indexes_not_the_table(
        store, intake, intake_catalog, monkeypatch):
    code = intake_catalog[INDIVIDUAL_BUSINESS]
    uyghur = _commit(intake, code, "买买提·艾力", VALID_PERSON_ID)
    other = _commit(intake, code, "李四", VALID_AGENT_ID)

    for text, expected in (("艾力", [uyghur.case_number]),
                           (other.case_number[-6:].lower(), [other.case_number])):
        found, sent = _statements(store, monkeypatch, text)
        assert [row.number for row in found] == expected, text
        assert _table_scans(store, sent) == [], (text, sent)
    # Another station's cases are not listed; a text found nowhere finds nothing.
    assert search_cases("艾力", station="350205999") == []
    assert search_cases("不存在的名字", station=STATION) == []
