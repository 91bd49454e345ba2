"""The body of each A4 case document: who it is addressed to, what it decides,
the material tables, and who signs it."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table, TableStyle

from printing.frame import SignatureBlock, para
from printing.model import (
    ACCEPTANCE,
    COMPLETION,
    DEFICIENCY,
    RECEIPT,
    REJECTION,
    PrintableCase,
    PrintableMaterial,
)
from printing.styles import chinese_date, chinese_datetime

GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), (0.93, 0.93, 0.93)),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
])


def addressee(case: PrintableCase) -> str:
    who = f"{case.applicant_name}（{case.applicant_id_label}：{case.applicant_id_masked}"
    if case.legal_rep_name:
        who += f"；法定代表人：{case.legal_rep_name}"
    who += "）"
    if case.agent_name:
        who += f"，委托代理人{case.agent_name}"
        if case.agent_id_masked:
            who += f"（{case.agent_id_masked}）"
    return who + "："


def _table(rows: list[list], widths: list[float]) -> Table:
    header, *body = rows
    cells = [[para(text, "cell_centre") for text in header]]
    for row in body:
        # Numbers and counts centred, names and explanations read from the left.
        cells.append([para(str(text), "cell_centre" if isinstance(text, int) else "cell")
                      for text in row])
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def received_table(materials: list[PrintableMaterial], width: float) -> Table:
    rows = [["序号", "材料名称", "收取形式", "原件", "复印件", "页数"]]
    for n, material in enumerate(materials, 1):
        rows.append([n, material.name, material.received_as, material.originals,
                     material.copies, material.pages or 0])
    fixed = [12 * mm, 24 * mm, 13 * mm, 16 * mm, 13 * mm]
    return _table(rows, [fixed[0], width - sum(fixed), *fixed[1:]])


def missing_table(materials: list[PrintableMaterial], width: float) -> Table:
    rows = [["序号", "需补正的材料", "份数与形式要求", "补正说明"]]
    for n, material in enumerate(materials, 1):
        rows.append([n, material.name, material.wanted or "—",
                     material.how_to_supply or material.note or "按办事指南要求提交"])
    return _table(rows, [12 * mm, width * 0.30, width * 0.20, width * 0.50 - 12 * mm])


def item_line(case: PrintableCase) -> str:
    handle = f"，办理项编码：{case.handle_item_code}" if case.handle_item_code else ""
    return f"“{case.item_name}”（实施编码：{case.task_code}{handle}）"


def _signature(case: PrintableCase) -> SignatureBlock:
    return SignatureBlock(case.station.centre_name, case.printed_at.date(),
                          case.station.seal_image)


def receipt_story(case: PrintableCase, width: float) -> list:
    story = [
        para(addressee(case), "salutation"),
        para(f"你（单位）申请办理的{item_line(case)}事项，本中心已于"
             f"{chinese_datetime(case.received_at)}收到下列申请材料，"
             f"共{len(case.materials)}项，特此回执。", "body"),
        Spacer(1, 3 * mm),
        received_table(case.materials, width),
        Spacer(1, 3 * mm),
        para("本回执仅证明本中心收到上列材料，不作为受理凭证。"
             "受理与否以本中心出具的受理通知书或其他书面决定为准。", "body"),
    ]
    if case.from_certificates:
        names = "、".join(m.name for m in case.from_certificates)
        story.append(para(f"经电子证照库核验，免于提交：{names}。", "body"))
    if case.missing:
        names = "、".join(m.name for m in case.missing)
        story.append(para(f"尚缺材料：{names}（详见一次性告知书）。", "body"))
    return story


def acceptance_story(case: PrintableCase, width: float) -> list:
    basis = ("根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，"
             if case.is_licence else "根据有关规定，")
    if case.concluded_at:
        promise = f"本事项为即办件，已于{chinese_datetime(case.concluded_at)}当场办结。"
    elif case.promised_date:
        promise = f"本中心承诺于{chinese_date(case.promised_date)}前办结"
        if case.promise_limit:
            promise += f"（承诺办结时限{case.promise_limit}，自受理之日起计算，不含特别程序时间）"
        if case.promised_date_uncertain:
            promise += "；该日期所在年度的法定节假日安排尚未公布，如遇调整以实际工作日为准"
        promise += "。"
    else:
        promise = "本事项为即办件，当场办结。"
    accepted = case.accepted_at or case.received_at
    return [
        para(addressee(case), "salutation"),
        para(f"你（单位）于{chinese_datetime(case.received_at)}提出的{item_line(case)}申请，"
             f"经审查，申请材料齐全、符合法定形式。{basis}本中心决定予以受理，"
             f"受理时间为{chinese_datetime(accepted)}。", "body"),
        para(promise, "body"),
        para("办理过程中如需补充材料或进行现场核查，承办部门将另行通知；"
             f"办理结果由{case.dept_name or '承办部门'}作出。"
             + (f"办结后请凭本通知书到{case.transact_addr.rstrip('。')}领取办理结果。"
                if case.transact_addr else ""), "body"),
        Spacer(1, 2 * mm),
        received_table(case.materials, width),
    ]


def completion_story(case: PrintableCase, width: float) -> list:
    basis = ("根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，"
             if case.is_licence else "根据有关规定，")
    days = case.completion_days_allowed
    return [
        para(addressee(case), "salutation"),
        para(f"你（单位）于{chinese_datetime(case.received_at)}提出的{item_line(case)}申请，"
             f"经审查，申请材料不齐全或者不符合法定形式。{basis}"
             f"现一次性告知你（单位）需要补正的全部内容（共{len(case.missing)}项）如下：",
             "body"),
        Spacer(1, 3 * mm),
        missing_table(case.missing, width),
        Spacer(1, 3 * mm),
        para(f"请自收到本告知书之日起{days}个工作日内，携带本告知书及上述全部材料到"
             f"{case.station.centre_name}{case.station.window_name}补正；"
             "补正时本办件编号不变。逾期未补正的，视为放弃本次申请，已提交的材料可凭本告知书领回。",
             "body"),
        para("材料补正齐全、符合法定形式的，本中心将予以受理。", "body"),
    ]


def rejection_story(case: PrintableCase, width: float) -> list:
    reason = case.decision_reason or "不属于本机关职权范围"
    basis = case.decision_basis or "有关法律、法规"
    reconsider = case.station.reconsideration_body or "本级人民政府"
    court = case.station.litigation_body or "人民法院"
    return [
        para(addressee(case), "salutation"),
        para(f"你（单位）于{chinese_datetime(case.received_at)}提出的{item_line(case)}申请，"
             f"经审查，{reason.rstrip('。')}。依据{basis.rstrip('。')}，本中心决定不予受理。",
             "body"),
        para("如对本决定不服，可以自收到本通知书之日起六十日内向"
             f"{reconsider}申请行政复议，或者自收到本通知书之日起六个月内依法向"
             f"{court}提起行政诉讼。", "body"),
        para("你（单位）提交的申请材料已全部退回。", "body"),
    ]


def deficiency_story(case: PrintableCase, width: float) -> list:
    promise_day = case.deficiency_promise_date or case.promised_date
    by = chinese_date(promise_day) if promise_day else "双方约定的期限"
    rows = [["序号", "容缺材料", "份数与形式要求", "承诺补齐日期"]]
    for n, material in enumerate(case.deficient, 1):
        rows.append([n, material.name, material.wanted or "—", by])
    table = _table(rows, [12 * mm, width * 0.40, width * 0.28, width * 0.32 - 12 * mm])
    return [
        para(f"{case.station.centre_name}：", "salutation"),
        para(f"本人（本单位）{addressee(case).rstrip('：')}申请办理{item_line(case)}，"
             "主要申请材料齐全，下列次要材料暂时无法提供，申请容缺受理，并郑重承诺：", "body"),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 2 * mm),
        para(f"一、于{by}前补齐上列全部容缺材料，补齐前不领取办理结果；", "body"),
        para("二、所提交的全部申请材料真实、合法、有效，如有虚假，愿承担相应法律责任；", "body"),
        para("三、逾期未补齐的，同意按撤回申请处理，并承担由此产生的一切后果。", "body"),
        Spacer(1, 5 * mm),
        para("承诺人（签字或盖章）：＿＿＿＿＿＿＿＿＿＿　　＿＿＿＿年＿＿月＿＿日", "plain"),
    ]


STORIES = {
    RECEIPT: receipt_story,
    ACCEPTANCE: acceptance_story,
    COMPLETION: completion_story,
    REJECTION: rejection_story,
    DEFICIENCY: deficiency_story,
}


def case_story(case: PrintableCase, kind: str, width: float) -> list:
    story = STORIES[kind](case, width)
    # The applicant signs the deficiency promise; the centre only acknowledges it.
    space = 2 * mm if kind == DEFICIENCY else 3 * mm
    signature = _signature(case)
    # Break before the signature only when the block itself does not fit: a
    # fixed 45 mm sent an acceptance notice's two-line signature (no seal image)
    # to a second sheet of its own.
    needed = signature.wrap(width, 297 * mm)[1]
    story += [Spacer(1, space), CondPageBreak(needed + space), signature]
    return story
