"""特别程序 pauses move a case's promised deadline; bad requests are named."""

import datetime as dt

import pytest

from app.intake import Decision, IntakeError
from app.special_procedures import record_special_procedure
from local_store.models import Case, CaseEvent
from tests.support.intake import FOOD_LICENCE, fill_organisation, receive_all_originals

D = dt.date


@pytest.fixture
def accepted(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("accept"))
    assert result.deadline == D(2026, 12, 4)  # Fri 27 Nov + 5 working days
    return result


def test_pauses_extend_the_deadline(store, accepted):
    deadline = store.writer.call(
        record_special_procedure,
        accepted.case_number,
        "听证",
        D(2026, 12, 1),
        D(2026, 12, 2),
        "窗口测试员",
        "申请人要求听证",
    )
    assert deadline.date == D(2026, 12, 8) and not deadline.uncertain
    again = store.writer.call(
        record_special_procedure,
        accepted.case_number,
        "专家评审",
        D(2026, 12, 7),
        D(2026, 12, 7),
        "窗口测试员",
    )
    assert again.date == D(2026, 12, 9)
    case = Case.get(Case.uuid == accepted.uuid)
    assert case.deadline == D(2026, 12, 9)
    kinds = [e.kind for e in CaseEvent.select().where(CaseEvent.case == case)]
    assert kinds.count("special_procedure") == 2


def test_bad_pause_requests_are_named(store, accepted, intake, intake_catalog):
    with pytest.raises(IntakeError) as excinfo:
        store.writer.call(
            record_special_procedure,
            accepted.case_number,
            "喝茶",
            D(2026, 12, 3),
            D(2026, 12, 1),
            "窗口测试员",
        )
    fields = {error.field for error in excinfo.value.errors}
    assert fields == {"procedure", "end"}
    with pytest.raises(IntakeError, match="受理之后"):
        store.writer.call(
            record_special_procedure,
            accepted.case_number,
            "检验",
            D(2026, 11, 27),
            D(2026, 11, 30),
            "窗口测试员",
        )
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    notified = intake.commit(draft, Decision("notify"))
    with pytest.raises(IntakeError, match="未在办理中"):
        store.writer.call(
            record_special_procedure,
            notified.case_number,
            "检验",
            D(2026, 12, 1),
            D(2026, 12, 2),
            "窗口测试员",
        )
    assert Case.get(Case.uuid == accepted.uuid).deadline == D(2026, 12, 4)
