"""The hall's applicant page in a real headless Chromium: choose an item, fill
in the applicant, attach a file per material, submit; the station returns it
for completion and the page shows the state, the clerk's text and the list."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.support.applications import HEALTH_PERMIT, demo_items, signed_decision, small_pdf
from tests.support.browser import Browser, chromium_path
from tests.support.hall_client import RawHall
from tests.support.intake import VALID_PERSON_ID, VALID_USCC

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="chromium not installed (make sysdeps installs it)")


@pytest.fixture
def browser(tmp_path):
    started = Browser(tmp_path / "chromium-profile")
    yield started
    started.close()


def test_apply_online_and_see_the_clerks_answer(hall, browser, tmp_path, artifacts):
    browser.navigate(f"{hall.url}/apply")
    browser.wait_for("document.querySelectorAll('#item option').length > 0")
    index = browser.evaluate(
        "[...document.querySelectorAll('#item option')].findIndex(o => o.textContent"
        f".startsWith({json.dumps(HEALTH_PERMIT)}))")
    assert index >= 0
    browser.evaluate(f"const s = document.getElementById('item'); s.selectedIndex = {index};"
                     " s.dispatchEvent(new Event('change')); true")
    for field, value in (("name", "欧阳·娜娜"), ("id_number", VALID_PERSON_ID),
                         ("phone", "13800000000")):
        browser.evaluate(f"document.getElementById({json.dumps(field)}).value = "
                         f"{json.dumps(value)}; true")
    required = [m["id"] for m in demo_items()[HEALTH_PERMIT]["materials"]
                if m["required"] is True]
    for material_id in required:
        path = tmp_path / f"{material_id}.pdf"
        path.write_bytes(small_pdf(f"{material_id} 申请材料"))
        browser.set_files(f"#material-{material_id}", [path])

    browser.evaluate("document.getElementById('submit').click(); true")
    state = browser.wait_for("!document.getElementById('result').hidden && "
                             "document.getElementById('app_state').textContent")
    assert state == "待预审"
    application_id = browser.evaluate("document.getElementById('app_id').textContent")
    assert application_id.startswith("YS")

    # The clerk returns it for completion, listing what to supply.
    station = RawHall(hall)
    answer = station.request("POST", f"/applications/{application_id}/decision",
                             json=signed_decision(station, application_id, {
        "decision_id": str(uuid.uuid4()), "round": 1, "decision": "return",
        "reason": "检测报告须为一年内出具，请重新上传",
        "missing": [{"material_id": "M03", "name": "公共场所卫生检测（评价）报告"}],
        "decided_by": "clerk01", "decided_at": "2026-11-24T10:00:00+08:00"}))
    assert answer.status_code == 200, answer.text

    browser.evaluate("document.getElementById('refresh').click(); true")
    state = browser.wait_for("document.getElementById('app_state').textContent !== '待预审' && "
                             "document.getElementById('app_state').textContent")
    assert state == "预审退回（请补正）"
    assert browser.evaluate("document.getElementById('app_message').textContent") == \
        "检测报告须为一年内出具，请重新上传"
    assert browser.evaluate("document.getElementById('missing').textContent") == \
        "请补交：公共场所卫生检测（评价）报告"
    # Who decided, and that the hall verified the station's signature on it.
    decided = browser.evaluate("document.getElementById('decided_line').textContent")
    assert "预审人：clerk01" in decided and "2026/11/24 10:00" in decided
    assert "窗口电子签名已验证（SM2" in decided
    browser.screenshot(artifacts / "applicant_page_returned.png")

    # A wrong ID number is refused with the page's own message; nothing is stored.
    browser.navigate(f"{hall.url}/apply")
    browser.wait_for("document.querySelectorAll('#item option').length > 0")
    browser.evaluate("document.getElementById('name').value = '李四';"
                     "document.getElementById('id_number').value = '350205199003071230';"
                     "document.getElementById('phone').value = '13800000000';"
                     "document.getElementById('submit').click(); true")
    errors = browser.wait_for("document.getElementById('errors').textContent")
    assert "申请人身份证号码无效" in errors


def test_an_organisation_applies_with_its_credit_code_and_legal_representative(
        hall, browser, tmp_path, artifacts):
    browser.navigate(f"{hall.url}/apply")
    browser.wait_for("document.querySelectorAll('#item option').length > 0 && "
                     "document.querySelectorAll('#kind option').length > 0")
    # The kinds and the ID types are the contract's code tables, by name.
    kinds = browser.evaluate("[...document.querySelectorAll('#kind option')]"
                             ".map(o => o.textContent).join('|')")
    assert kinds == "个人|法人或其他组织"
    assert "港澳居民来往内地通行证" in browser.evaluate(
        "document.getElementById('rep_id_type').textContent")
    index = browser.evaluate(
        "[...document.querySelectorAll('#item option')].findIndex(o => o.textContent"
        f".startsWith({json.dumps(HEALTH_PERMIT)}))")
    browser.evaluate(f"const s = document.getElementById('item'); s.selectedIndex = {index};"
                     " s.dispatchEvent(new Event('change'));"
                     "const k = document.getElementById('kind'); k.value = 'organisation';"
                     " k.dispatchEvent(new Event('change')); true")
    assert browser.evaluate("document.getElementById('person_fields').hidden") is True
    bad_uscc = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    for field, value in (("org_name", "厦门海沧示例餐饮有限公司"), ("uscc", bad_uscc),
                         ("rep_name", "王五"), ("rep_id_number", "350205199003071230"),
                         ("phone", "0592-6000000")):
        browser.evaluate(f"document.getElementById({json.dumps(field)}).value = "
                         f"{json.dumps(value)}; true")
    for material_id in [m["id"] for m in demo_items()[HEALTH_PERMIT]["materials"]
                        if m["required"] is True]:
        path = tmp_path / f"org-{material_id}.pdf"
        path.write_bytes(small_pdf(f"{material_id} 单位申请材料"))
        browser.set_files(f"#material-{material_id}", [path])

    # Both mistakes at once, in Chinese; nothing typed is lost.
    browser.evaluate("document.getElementById('submit').click(); true")
    errors = browser.wait_for("document.getElementById('errors').textContent")
    assert "统一社会信用代码无效" in errors and "法定代表人身份证号码无效" in errors
    kept = browser.evaluate("document.getElementById('org_name').value")
    assert kept == "厦门海沧示例餐饮有限公司"
    browser.screenshot(artifacts / "applicant_page_organisation_refused.png")

    browser.evaluate(f"document.getElementById('uscc').value = {json.dumps(VALID_USCC)};"
                     f"document.getElementById('rep_id_number').value = "
                     f"{json.dumps(VALID_PERSON_ID)};"
                     "document.getElementById('submit').click(); true")
    state = browser.wait_for("!document.getElementById('result').hidden && "
                             "document.getElementById('app_state').textContent")
    assert state == "待预审"
    application_id = browser.evaluate("document.getElementById('app_id').textContent")
    [pulled] = [a for a in RawHall(hall).request("GET", "/applications").json()["applications"]
                if a["id"] == application_id]
    applicant = pulled["applicant"]
    assert (applicant["kind"], applicant["id_type"], applicant["id_number"]) == (
        "organisation", "001", VALID_USCC)
    assert applicant["legal_rep"] == {"name": "王五", "id_type": "111",
                                      "id_number": VALID_PERSON_ID, "phone": ""}
