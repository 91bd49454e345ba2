"""好差评 at the window: levels, 一事一评 per decision point, rectification of bad
ratings on the working-day calendar, and the summaries built only from what was
collected.  Cases are taken in through IntakeService."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.evaluation import EvaluationError, close_rectification, evaluate, rectifications
from app.intake import IntakeService
from app.intake.validation import Decision
from app.reports.presentation import formatted_rows
from app.reports.summary import DAILY, MONTHLY, summarise
from app.settings import Settings
from app.staff import PermissionRefused, StaffIdentity
from local_store.models import AuditEvent, Evaluation, Rectification
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    fill_person,
    receive_all_originals,
)

CLERK = StaffIdentity(account="clerk01", display_name="王窗口", role="clerk", station="350205001")
SUPERVISOR = StaffIdentity(account="supervisor", display_name="科长", role="supervisor",
                           station="350205001")
# 2026-09-30 10:00 Beijing (a Wednesday before the National Day holiday, 1–7 October).
BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 30, 2, 0)


def take_in(store, catalog, when, item=INDIVIDUAL_BUSINESS, action="accept", **decision):
    service = IntakeService(store, Settings(clerk_name="窗口测试员"), clock=lambda: when)
    draft = service.new_draft(catalog[item])
    fill_person(draft)
    receive_all_originals(draft)
    return service.commit(draft, Decision(action=action, **decision)).case_number


def test_a_case_is_rated_once_per_decision_point(store, intake_catalog):
    settings = Settings()
    accepted = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    rated = evaluate(store, settings, CLERK, accepted, 2, "window")
    assert (rated.point, rated.round, rated.level, rated.rectification_id) == (
        "decision", 1, "满意", None)
    with pytest.raises(EvaluationError, match="一事一评"):
        evaluate(store, settings, CLERK, accepted, 1, "qr")
    # A 即办件 concluded on the spot has only its conclusion to rate.
    concluded = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY, SENIOR_CARD, "conclude")
    assert evaluate(store, settings, CLERK, concluded, 1, "sms").point == "conclusion"
    stored = Evaluation.get(Evaluation.uuid == rated.uuid)
    assert (stored.clerk, stored.channel, stored.level, stored.sync_state) == (
        "clerk01", "window", "满意", "queued")
    audit_rows = [(row.account, row.event, row.object) for row in
                  AuditEvent.select().where(AuditEvent.event == "evaluation")]
    assert audit_rows == [("clerk01", "evaluation", f"case/{accepted}"),
                          ("clerk01", "evaluation", f"case/{concluded}")]


@pytest.mark.parametrize(("level", "channel", "comment", "message"), [
    (0, "window", "", "1–5"),
    (6, "window", "", "1–5"),
    (3, "kiosk", "", "评价渠道"),
    (4, "window", "  ", "须填写原因"),
    (5, "qr", "", "须填写原因"),
    (2, "window", "长" * 501, "最多 500 字"),
])
def test_bad_inputs_are_refused_with_a_reason(store, intake_catalog, level, channel, comment,
                                              message):
    number = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    with pytest.raises(EvaluationError, match=message):
        evaluate(store, Settings(), CLERK, number, level, channel, comment)
    assert Evaluation.select().count() == 0
    with pytest.raises(EvaluationError, match="本机没有办件"):
        evaluate(store, Settings(), CLERK, "35020500120260930999999", 2, "window")


def test_bad_rating_deadline_counts_working_days_over_the_national_day_holiday(
        store, intake_catalog):
    number = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    rated = evaluate(store, Settings(), CLERK, number, 4, "window", "等候时间太长",
                     at=BEFORE_NATIONAL_DAY)
    # 15 working days from 30 Sep: 1–7 Oct are holidays, Sat 10 Oct is a 调休 workday
    # → 8,9,10,12–16,19–23,26,27 October.  Mon–Fri alone would give 21 October.
    assert rated.rectification_due == dt.date(2026, 10, 27)
    assert not rated.due_uncertain
    short = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY, SENIOR_CARD, "conclude")
    five = evaluate(store, Settings(rectification_working_days=5), CLERK, short, 5, "qr",
                    "态度差", at=BEFORE_NATIONAL_DAY)
    assert five.rectification_due == dt.date(2026, 10, 13)  # a local rule of 5 days


def test_rectification_overdue_and_closed_by_a_supervisor(store, intake_catalog):
    number = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    rated = evaluate(store, Settings(), CLERK, number, 5, "window", "材料被退回三次",
                     at=BEFORE_NATIONAL_DAY)
    [row] = rectifications(today=dt.date(2026, 10, 27))
    assert (row.id, row.state, row.overdue, row.level) == (
        rated.rectification_id, "open", False, "非常不满意")
    [row] = rectifications(today=dt.date(2026, 10, 28))
    assert row.overdue and row.to_json()["level_code"] == 5

    with pytest.raises(PermissionRefused):
        close_rectification(store, CLERK, row.id, "已回复")
    with pytest.raises(EvaluationError, match="整改结果"):
        close_rectification(store, SUPERVISOR, row.id, " ")
    close_rectification(store, SUPERVISOR, row.id, "核实属实，已约谈窗口人员并电话回复申请人")
    closed = Rectification.get_by_id(row.id)
    assert (closed.state, closed.closed_by) == ("closed", "supervisor")
    # Closed today, long after 27 October: it stays counted as overdue (closed late).
    [row] = rectifications(today=dt.date(2026, 10, 28))
    assert row.state == "closed" and row.overdue
    assert rectifications(include_closed=False) == []
    with pytest.raises(EvaluationError, match="已于"):
        close_rectification(store, SUPERVISOR, row.id, "再次办结")


def test_summaries_show_evaluations_only_from_collected_data(store, intake_catalog):
    number = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    day = dt.date(2026, 9, 30)
    empty = dict(formatted_rows(summarise(DAILY, day, today=day)))
    assert empty["差评数"] == "未采集" and empty["好评率（非常满意、满意、基本满意）"] == "未采集"
    assert empty["好差评：评价数"] == "0（未采集）" and empty["　非常满意"] == "未采集"

    evaluate(store, Settings(), CLERK, number, 4, "window", "没有叫号", at=BEFORE_NATIONAL_DAY)
    concluded = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY, SENIOR_CARD, "conclude")
    evaluate(store, Settings(), CLERK, concluded, 1, "window", at=BEFORE_NATIONAL_DAY)
    october_end = dt.date(2026, 10, 31)
    summary = summarise(MONTHLY, day, today=october_end)
    assert (summary.evaluations, summary.rating_counts) == (2, (1, 0, 0, 1, 0))
    assert summary.satisfaction_rate == 0.5 and summary.bad_evaluations == 1
    assert (summary.bad_open, summary.bad_closed, summary.bad_overdue) == (1, 0, 1)
    rows = dict(formatted_rows(summary))
    assert rows["差评数"] == "1" and rows["好评率（非常满意、满意、基本满意）"] == "50.0%"
    assert rows["　差评整改超期"] == "1" and rows["　不满意"] == "1"
    assert json.dumps(summary.as_dict(), default=str)  # the JSON report carries them too
    assert summary.as_dict()["rating_counts"]["非常满意"] == 1


def test_evaluate_and_rectification_cli(store, intake_catalog, cli_login, capsys):
    from app.cli import main

    number = take_in(store, intake_catalog, BEFORE_NATIONAL_DAY)
    store.close()  # the CLI opens the station's store itself
    assert main(["evaluate", number, "--level", "4", "--channel", "window"]) == 1
    assert "未登录" in capsys.readouterr().err
    assert cli_login() == 0
    capsys.readouterr()
    assert main(["evaluate", number, "--level", "4", "--channel", "window"]) == 1
    assert "须填写原因" in capsys.readouterr().err
    assert main(["evaluate", number, "--level", "4", "--channel", "window",
                 "--comment", "窗口人员离岗"]) == 0
    out = capsys.readouterr().out
    assert "首次评价：不满意" in out and "整改事项" in out
    assert main(["rectification", "list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["case_number"], item["level"], item["state"]) == (number, "不满意", "open")
    assert main(["rectification", "close", str(item["id"]), "--result", "已回复"]) == 1
    assert "无权" in capsys.readouterr().err  # a clerk does not close rectifications
    assert cli_login("supervisor") == 0
    capsys.readouterr()
    assert main(["rectification", "close", str(item["id"]), "--result", "已回复申请人"]) == 0
    assert main(["rectification", "list", "--open", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1]) == []
