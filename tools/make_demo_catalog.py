"""Write ``app/data/demo_catalog.json``: the Haicang demo catalog.

Every sample item of DOMAIN.md, with the standard fields filled the way a
district's 实施清单 fills them.  Department USCCs are fictional but carry the
right check characters (GB 32100) and a valid embedded organisation code
(GB 11714); 实施编码 = USCC (18) + 行使层级 (1) + 基本编码 (12).

Run: ``.venv/bin/python tools/make_demo_catalog.py`` (the JSON is committed).
"""

from __future__ import annotations

import json
from pathlib import Path

from stdnum.cn.uscc import calc_check_digit

OUT = Path(__file__).resolve().parent.parent / "app" / "data" / "demo_catalog.json"
DISTRICT_LEVEL = "4"  # 县级: the district's departments implement these items
REGION = "350205"
CATALOG_VERSION = "demo-2026-11-01"
GENERATED_AT = "2026-11-01T08:00:00+08:00"

CENTRE_ADDR = "厦门市海沧区行政服务中心（海沧区钟林路8号）"
STREET_ADDR = "及海沧、新阳、嵩屿、东孚街道便民服务中心"
OFFICE_HOURS = "周一至周五 上午9:00—12:00，下午13:00—17:00（法定节假日除外）"
SUPERVISE = "12345政务服务便民热线；海沧区行政服务中心投诉窗口 0592-6051100；“好差评”评价器"


def org_code(base8: str) -> str:
    """GB 11714 organisation code: 8 characters + check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(alphabet.index(c) * w for c, w in zip(base8, weights, strict=True))
    check = 11 - total % 11
    return base8 + {10: "X", 11: "0"}.get(check, str(check))


def uscc(authority_and_kind: str, org8: str) -> str:
    body = authority_and_kind + REGION + org_code(org8)
    return body + calc_check_digit(body)


DEPARTMENTS = {
    "市场监管": ("厦门市海沧区市场监督管理局", uscc("11", "00303712"), "0592-6892345"),
    "卫健": ("厦门市海沧区卫生健康局", uscc("11", "00303851"), "0592-6055120"),
    "建交": ("厦门市海沧区建设与交通局", uscc("11", "00303925"), "0592-6881762"),
    "城管": ("厦门市海沧区城市管理局", uscc("11", "00304016"), "0592-6886310"),
    "文旅": ("厦门市海沧区文化和旅游局", uscc("11", "00304128"), "0592-6051622"),
    "农业": ("厦门市海沧区农业农村局", uscc("11", "00304233"), "0592-6589021"),
    "民政": ("厦门市海沧区民政局", uscc("11", "00304347"), "0592-6053277"),
    "残联": ("厦门市海沧区残疾人联合会", uscc("13", "00304452"), "0592-6891205"),
    "人社": ("厦门市海沧区人力资源和社会保障局", uscc("11", "00304569"), "0592-6058311"),
    "医保": ("厦门市海沧区医疗保障局", uscc("11", "MB031874"), "0592-6072680"),
    "退役军人": ("厦门市海沧区退役军人事务局", uscc("11", "MB031928"), "0592-6081512"),
    "教育": ("厦门市海沧区教育局", uscc("11", "00304675"), "0592-6893016"),
}


def material(mid, name, *, required=True, condition="", form="paper", originals=1, copies=0,
             source="applicant", cert=None, signed=False, blank_form=None, sample=None, note=""):
    return {
        "id": mid, "name": name, "required": required, "condition": condition, "form": form,
        "originals": originals, "copies": copies, "source": source, "cert_type_code": cert,
        "accepts_signed_electronic": signed, "blank_form": blank_form, "sample": sample,
        "note": note,
    }


def wd(n: int) -> dict:
    return {"value": n, "unit": "working_day"}


def steps(*pairs) -> list[dict]:
    return [{"name": name, "limit": wd(days)} for name, days in pairs]


STANDARD_STEPS_PROMISED = ("受理", 1), ("审查", 2), ("决定", 1), ("送达", 1)
IMMEDIATE_STEPS = ("受理", 0), ("审核", 0), ("办结", 0)

ID_CARD_NOTE = "可通过电子证照库调取，免提交实体证件"


def item(*, dept, catalog_code, name, task_type, legal, promised, materials, by_law,
         accept_condition, street=False, handle_item_code=None, handle_item_name=None,
         server_type=("1",),
         star=4, visits=1, auth=2, depth=(1, 2, 3, 4, 5, 6), process=None, fees=(),
         window="", version=1, deficiency_allowed=False):
    dept_name, dept_code, phone = DEPARTMENTS[dept]
    project_type = "1" if promised == 0 else "2"
    task_code = dept_code + DISTRICT_LEVEL + catalog_code
    if handle_item_code is not None:  # 业务办理项编码: the item's code + a 3-digit serial
        handle_item_code = task_code + handle_item_code
    addr = CENTRE_ADDR + (window or "综合受理窗口")
    if street:
        addr += STREET_ADDR
    return {
        "task_code": task_code,
        "catalog_code": catalog_code,
        "handle_item_code": handle_item_code,
        "name": name,
        # 业务办理项名称: how the clerk and the applicant call this 办理项.
        "handle_item_name": handle_item_name,
        "task_type": task_type,
        "use_level": DISTRICT_LEVEL,
        "dept_name": dept_name,
        "dept_code": dept_code,
        "accept_condition": accept_condition,
        "legal_limit": wd(legal),
        "promise_limit": wd(promised),
        "project_type": project_type,
        "visits": visits,
        "online_depth": list(depth),
        "star_level": star,
        "auth_level": auth,
        "server_type": list(server_type),
        "fees": list(fees),
        "materials": materials,
        "process": process or steps(*(IMMEDIATE_STEPS if project_type == "1"
                                      else STANDARD_STEPS_PROMISED)),
        "by_law": by_law,
        "transact_addr": addr,
        "transact_time": OFFICE_HOURS,
        "link_way": f"咨询电话：{phone}；0592-6051000（中心咨询台）",
        "supervise_way": SUPERVISE,
        "version": version,
        "state": "active",
        # 容缺受理: the province lists the items that may be accepted with a
        # minor material missing, against the applicant's written promise.
        "deficiency_allowed": deficiency_allowed,
    }


M = material

# 食品经营许可: one 实施清单 item, four 业务办理项 with their own materials and limits.
FOOD_LICENCE = dict(
    dept="市场监管", catalog_code="000109018000", name="食品经营许可", task_type="01",
    legal=20, auth=3, server_type=("1", "2", "6"), window="市场监管窗口（3—6号）",
    by_law="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
)
FOOD_AGENT = M("M09", "授权委托书及代理人身份证明", required="conditional",
               condition="委托代理人办理的", blank_form="授权委托书", cert="CT001")
FOOD_BUSINESS_LICENCE = M("M02", "营业执照", form="electronic", cert="CT003",
                          note="通过电子证照库调取，强认证企业免提交")
FOOD_PERMIT = M("M08", "食品经营许可证正、副本", originals=1, cert="CT010",
                note="可通过电子证照库调取；遗失的提交遗失声明")
FOOD_LICENCE_HANDLE_ITEMS = [
    item(
        **FOOD_LICENCE, handle_item_code="001", star=4, visits=1,
        handle_item_name="食品经营许可（新办）",
        deficiency_allowed=True, promised=5,
        accept_condition="已取得营业执照等合法主体资格；具有与经营的食品品种、数量相适应的经营场所、"
                         "设备设施、食品安全管理人员和管理制度。",
        materials=[
            M("M01", "食品经营许可申请书", form="paper+electronic", signed=True,
              blank_form="食品经营许可申请书", sample="食品经营许可申请书（填写样例）"),
            FOOD_BUSINESS_LICENCE,
            M("M03", "法定代表人（负责人）身份证明", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M04", "食品安全管理制度", form="paper+electronic", signed=True),
            M("M05", "经营场所平面图", form="paper+electronic",
              note="标明经营场所面积、功能间布局"),
            M("M06", "主要设备设施布局和操作流程（工艺流程）", form="paper+electronic"),
            M("M07", "授权委托书及代理人身份证明", required="conditional",
              condition="委托代理人办理的", blank_form="授权委托书", cert="CT001"),
        ],
        process=steps(("受理", 1), ("审查", 2), ("现场核查", 1), ("决定", 1)),
    ),
    item(
        **FOOD_LICENCE, handle_item_code="002", star=4, visits=1,
        handle_item_name="食品经营许可（变更）",
        deficiency_allowed=True, promised=3,
        accept_condition="已取得食品经营许可证，许可证载明的事项（经营者名称、经营场所、"
                         "主体业态、经营项目等）发生变化。",
        materials=[
            M("M01", "食品经营许可变更申请书", form="paper+electronic", signed=True,
              blank_form="食品经营许可变更申请书"),
            FOOD_BUSINESS_LICENCE,
            FOOD_PERMIT,
            M("M10", "与变更事项有关的材料", form="paper+electronic", copies=1,
              note="如变更后的经营场所平面图、设备布局和操作流程"),
            FOOD_AGENT,
        ],
        process=steps(("受理", 1), ("审查", 1), ("决定", 1)),
    ),
    item(
        **FOOD_LICENCE, handle_item_code="003", star=4, visits=1,
        handle_item_name="食品经营许可（延续）",
        promised=5,
        accept_condition="食品经营许可证有效期届满需要继续经营的，在有效期届满30个工作日前提出申请。",
        materials=[
            M("M01", "食品经营许可延续申请书", form="paper+electronic", signed=True,
              blank_form="食品经营许可延续申请书"),
            FOOD_BUSINESS_LICENCE,
            FOOD_PERMIT,
            M("M11", "与延续食品经营许可有关的其他材料", required=False,
              form="paper+electronic"),
            FOOD_AGENT,
        ],
        process=steps(("受理", 1), ("审查", 2), ("决定", 2)),
    ),
    item(
        **FOOD_LICENCE, handle_item_code="004", handle_item_name="食品经营许可（注销）",
        promised=0, depth=(1, 2, 3, 4, 5, 6, 7), visits=0, star=5,
        accept_condition="食品经营者终止食品经营，食品经营许可被撤回、撤销或者"
                         "食品经营许可证被吊销的，申请办理注销手续。",
        materials=[
            M("M01", "食品经营许可注销申请书", form="paper+electronic", signed=True,
              blank_form="食品经营许可注销申请书"),
            FOOD_PERMIT,
            FOOD_AGENT,
        ],
    ),
]
ITEMS = [
    item(
        dept="市场监管", catalog_code="000109001000", name="个体工商户设立登记",
        task_type="01", legal=15, promised=1, star=5, visits=0, auth=3,
        depth=(1, 2, 3, 4, 5, 6, 7), window="市场监管窗口（3—6号）",
        server_type=("1",),
        accept_condition="有经营能力的自然人；经营场所符合规定；名称、经营范围符合登记管理规定。",
        by_law="《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第三条、第十六条",
        materials=[
            M("M01", "个体工商户登记（备案）申请书", form="paper+electronic", signed=True,
              blank_form="个体工商户登记（备案）申请书", sample="个体工商户登记申请书（填写样例）"),
            M("M02", "经营者身份证明", form="paper+electronic", cert="CT001", copies=1,
              note=ID_CARD_NOTE),
            M("M03", "经营场所使用证明", form="paper+electronic", cert="CT004", copies=1,
              note="自有房产提交不动产权证书（可调取电子证照）；租用的提交租赁合同及出租方产权证明"),
            M("M04", "委托代理人证明（委托书）", required="conditional",
              condition="委托代理人办理的", blank_form="授权委托书", signed=True),
            M("M05", "代理人身份证明", required="conditional", condition="委托代理人办理的",
              cert="CT001", copies=1, note=ID_CARD_NOTE),
        ],
        process=steps(("受理", 0), ("审核", 1), ("发照", 0)),
    ),
    *FOOD_LICENCE_HANDLE_ITEMS,
    item(
        dept="卫健", catalog_code="000113002000", name="公共场所卫生许可",
        deficiency_allowed=True,
        task_type="01", legal=20, promised=5, auth=3, server_type=("1", "2", "6"),
        window="卫健窗口（12号）",
        accept_condition="住宿、沐浴、美容美发、游泳等公共场所经营者；卫生设施和卫生管理制度符合要求。",
        by_law="《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》第二十二条",
        materials=[
            M("M01", "公共场所卫生许可申请书", form="paper+electronic", signed=True,
              blank_form="公共场所卫生许可申请书"),
            M("M02", "营业执照", form="electronic", cert="CT003",
              note="通过电子证照库调取，强认证企业免提交"),
            M("M03", "公共场所卫生检测（评价）报告", source="intermediary",
              note="由具备资质的检测机构出具，一年内有效"),
            M("M04", "经营场所平面图和卫生设施平面布局图", form="paper+electronic"),
            M("M05", "从业人员健康合格证明", copies=1, note="每名直接为顾客服务的从业人员一份"),
        ],
    ),
    item(
        dept="建交", catalog_code="000101005000", name="建筑工程施工许可证核发",
        task_type="01", legal=7, promised=3, auth=3, server_type=("2", "3", "6"),
        window="工程建设项目审批窗口（20—22号）",
        accept_condition="已办理用地批准手续和建设工程规划许可证；已确定施工企业；"
                         "有满足施工需要的技术资料；有保证工程质量和安全的具体措施；建设资金已落实。",
        by_law="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》第四条",
        materials=[
            M("M01", "建筑工程施工许可申请表", form="paper+electronic", signed=True,
              blank_form="建筑工程施工许可申请表"),
            M("M02", "建设工程规划许可证", form="electronic", cert="CT006",
              note="通过电子证照库调取"),
            M("M03", "施工合同", copies=1, form="paper+electronic"),
            M("M04", "中标通知书", required="conditional",
              condition="依法必须进行招标的工程", copies=1),
            M("M05", "安全施工措施资料", form="paper+electronic"),
            M("M06", "建设资金落实承诺书", form="paper+electronic", signed=True,
              blank_form="建设资金已经落实承诺书"),
        ],
        process=steps(("受理", 1), ("审查", 1), ("决定", 1)),
    ),
    item(
        dept="城管", catalog_code="000118003000", name="户外广告设施设置许可",
        task_type="01", legal=20, promised=10, star=3, visits=2, server_type=("1", "2", "6"),
        window="城管窗口（15号）",
        accept_condition="设置地点符合户外广告设施设置规划；设施结构安全；与城市景观相协调。",
        by_law="《城市市容和环境卫生管理条例》第十一条；《厦门市市容和环境卫生管理办法》",
        fees=[{
            "name": "城市道路（公共场地）占用费",
            "standard": "占用城市道路或公共场地设置的，按设置面积和期限计收",
            "amount_yuan": None,
            "basis": "《城市道路管理条例》第三十七条",
        }],
        materials=[
            M("M01", "户外广告设施设置申请表", form="paper+electronic", signed=True,
              blank_form="户外广告设施设置申请表"),
            M("M02", "营业执照", form="electronic", cert="CT003",
              note="通过电子证照库调取，强认证企业免提交"),
            M("M03", "户外广告设施设计效果图", form="paper+electronic",
              note="含位置、尺寸、材质、照明方式"),
            M("M04", "设置场地使用权证明", copies=1, note="租赁合同或场地所有人同意书"),
            M("M05", "设施结构安全证明", required="conditional", source="intermediary",
              condition="设置大型户外广告设施的", note="由专业机构出具结构安全鉴定"),
        ],
        process=steps(("受理", 1), ("审查", 4), ("现场勘察", 3), ("决定", 2)),
    ),
    item(
        dept="文旅", catalog_code="000120011000", name="营业性演出审批",
        task_type="01", legal=20, promised=5, auth=3, server_type=("2", "6"),
        window="文旅窗口（16号）",
        accept_condition="举办营业性演出的文艺表演团体、演出经纪机构；演出内容不含禁止内容；"
                         "演出场所符合安全、消防要求。",
        by_law="《营业性演出管理条例》；《营业性演出管理条例实施细则》",
        materials=[
            M("M01", "营业性演出申请书", form="paper+electronic", signed=True,
              blank_form="营业性演出申请登记表"),
            M("M02", "演出节目内容材料", form="paper+electronic",
              note="节目单、演员名单、节目视听资料"),
            M("M03", "演出场地证明", copies=1, note="场地租赁协议或场所同意证明"),
            M("M04", "营业执照", form="electronic", cert="CT003",
              note="通过电子证照库调取，强认证企业免提交"),
        ],
    ),
    item(
        dept="农业", catalog_code="000114007000", name="动物防疫条件合格证核发",
        task_type="01", legal=20, promised=10, server_type=("1", "2", "6"),
        window="农业窗口（17号）",
        accept_condition="动物饲养场、屠宰加工场所、无害化处理场所等的选址、布局、设施设备"
                         "和防疫制度符合动物防疫条件。",
        by_law="《中华人民共和国动物防疫法》；《动物防疫条件审查办法》",
        materials=[
            M("M01", "动物防疫条件审查申请表", form="paper+electronic", signed=True,
              blank_form="动物防疫条件审查申请表"),
            M("M02", "场所地理位置图、各功能区布局平面图", form="paper+electronic"),
            M("M03", "动物防疫制度文本", form="paper+electronic"),
            M("M04", "执业兽医或者动物防疫技术人员证明", copies=1),
        ],
        process=steps(("受理", 1), ("材料审查", 3), ("现场核查", 5), ("决定", 1)),
    ),
    item(
        dept="民政", catalog_code="000105001000", name="最低生活保障审批",
        task_type="05", legal=30, promised=20, street=True, star=4, visits=1, auth=2,
        server_type=("1",), window="社会救助窗口（8号）",
        accept_condition="持有本区户籍的家庭，共同生活的家庭成员人均收入低于当地最低生活保障标准，"
                         "且家庭财产状况符合规定。可向户籍所在地街道（镇）提出申请。",
        by_law="《社会救助暂行办法》第九条至第十一条；《福建省最低生活保障条例》",
        materials=[
            M("M01", "最低生活保障申请书", form="paper+electronic", signed=True,
              blank_form="最低生活保障申请书"),
            M("M02", "申请人及家庭成员居民身份证", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M03", "户口簿", cert="CT002", copies=1, note="可通过电子证照库调取"),
            M("M04", "家庭收入情况声明", signed=True, blank_form="家庭收入和财产状况声明书"),
            M("M05", "家庭经济状况核对授权承诺书", signed=True,
              blank_form="居民家庭经济状况核对授权书", note="每名家庭成员签字"),
        ],
        process=steps(("受理", 1), ("家庭经济状况调查", 10), ("审核", 5), ("审批", 4)),
    ),
    item(
        dept="民政", catalog_code="000105008000", name="临时救助",
        task_type="05", legal=10, promised=5, street=True, star=4, visits=1, auth=1,
        server_type=("1",), window="社会救助窗口（8号）",
        accept_condition="因火灾、交通事故等意外事件，或家庭成员突发重大疾病等原因，"
                         "导致基本生活暂时出现严重困难的家庭或个人。",
        by_law="《社会救助暂行办法》第九章；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        materials=[
            M("M01", "临时救助申请书", form="paper+electronic", signed=True,
              blank_form="临时救助申请书"),
            M("M02", "申请人居民身份证", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M03", "困难情况证明材料", copies=1, note="如医疗费用票据、事故证明、火灾证明等"),
        ],
        process=steps(("受理", 1), ("审核", 2), ("审批", 2)),
    ),
    item(
        dept="民政", catalog_code="000107002000", name="结婚登记",
        task_type="07", legal=0, promised=0, star=3, visits=1, auth=3, depth=(1, 2, 3, 6),
        server_type=("1",), window="婚姻登记处（海沧区民政局婚姻登记处）",
        accept_condition="男女双方完全自愿；男不早于二十二周岁、女不早于二十周岁；"
                         "双方均无配偶；无禁止结婚情形。双方须亲自到场。",
        by_law="《中华人民共和国民法典》第一千零四十六条至第一千零四十九条；《婚姻登记条例》第四条、第五条",
        materials=[
            M("M01", "户口簿（男女双方）", cert="CT002", originals=2,
              note="双方各一本，可通过电子证照库核验"),
            M("M02", "居民身份证（男女双方）", cert="CT001", originals=2,
              note="双方各一张，可通过电子证照库核验"),
            M("M03", "二寸近期半身免冠合影照片", originals=3, note="红底，3张"),
            M("M04", "申请结婚登记声明书", blank_form="申请结婚登记声明书",
              note="由双方在婚姻登记员面前签署"),
        ],
    ),
    item(
        dept="民政", catalog_code="000120301000", name="老年人优待证办理",
        task_type="20", legal=0, promised=0, street=True, star=5, visits=0, auth=2,
        depth=(1, 2, 3, 4, 5, 6, 7), server_type=("1",), window="综合受理窗口",
        accept_condition="年满60周岁的本市户籍老年人及常住本市的外地户籍老年人。",
        by_law="《中华人民共和国老年人权益保障法》第五十七条至第六十二条；《福建省老年人权益保障条例》",
        materials=[
            M("M01", "居民身份证", cert="CT001", note=ID_CARD_NOTE),
            M("M02", "近期一寸免冠彩色照片", originals=1, form="paper+electronic"),
        ],
    ),
    item(
        dept="残联", catalog_code="000120401000", name="残疾人证新办",
        task_type="20", legal=20, promised=15, street=True, star=4, visits=1, auth=2,
        server_type=("1",), window="残联窗口（9号）",
        accept_condition="本区户籍，视力、听力、言语、肢体、智力、精神等方面存在长期缺损，"
                         "经评定符合残疾标准的人员。",
        by_law="《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》第七条",
        materials=[
            M("M01", "残疾人证申请表", form="paper+electronic", signed=True,
              blank_form="中华人民共和国残疾人证申请表"),
            M("M02", "居民身份证", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M03", "户口簿", cert="CT002", copies=1, note="可通过电子证照库调取"),
            M("M04", "近期二寸免冠白底彩色照片", originals=3),
            M("M05", "残疾评定表", source="intermediary", note="由指定医疗机构评定医生出具"),
        ],
        process=steps(("受理", 1), ("残疾评定", 10), ("审核", 3), ("发证", 1)),
    ),
    item(
        dept="人社", catalog_code="000112104000", name="城乡居民基本养老保险参保登记",
        task_type="20", legal=0, promised=0, street=True, star=5, visits=0, auth=2,
        depth=(1, 2, 3, 4, 5, 6), server_type=("1",), window="社会保障窗口（10—11号）",
        accept_condition="年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于"
                         "职工基本养老保险制度覆盖范围的城乡居民。",
        by_law="《中华人民共和国社会保险法》第二十条至第二十二条；"
               "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        materials=[
            M("M01", "居民身份证", cert="CT001", note=ID_CARD_NOTE),
            M("M02", "户口簿", cert="CT002", note="可通过电子证照库调取"),
        ],
    ),
    item(
        dept="人社", catalog_code="000112201000", name="就业创业证申领",
        task_type="20", legal=0, promised=0, street=True, star=5, visits=0, auth=2,
        depth=(1, 2, 3, 4, 5, 6, 7), server_type=("1",), window="就业服务窗口（10—11号）",
        accept_condition="法定劳动年龄内、有劳动能力和就业要求的城乡劳动者。",
        by_law="《中华人民共和国就业促进法》；《就业服务与就业管理规定》第六十三条",
        materials=[
            M("M01", "居民身份证", cert="CT001", note=ID_CARD_NOTE),
            M("M02", "近期一寸免冠照片", form="paper+electronic"),
        ],
    ),
    item(
        dept="医保", catalog_code="000105601000", name="医疗救助申请",
        task_type="05", legal=20, promised=10, star=4, visits=1, auth=2,
        server_type=("1",), window="医保窗口（13号）",
        accept_condition="最低生活保障对象、特困供养人员等救助对象，及因病致贫的低收入家庭成员，"
                         "在政策范围内的自付医疗费用。",
        by_law="《社会救助暂行办法》第五章；《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》",
        materials=[
            M("M01", "医疗救助申请表", form="paper+electronic", signed=True,
              blank_form="医疗救助申请审批表"),
            M("M02", "居民身份证", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M03", "医疗费用票据", note="原件，医保结算单据"),
            M("M04", "出院小结", required="conditional", copies=1, condition="住院治疗的"),
        ],
        process=steps(("受理", 1), ("审核", 5), ("审批", 3), ("拨付", 1)),
    ),
    item(
        dept="卫健", catalog_code="000120501000", name="生育登记",
        task_type="20", legal=0, promised=0, street=True, star=5, visits=0, auth=2,
        depth=(1, 2, 3, 4, 5, 6), server_type=("1",), window="卫健窗口（12号）",
        accept_condition="夫妻双方至少一方为本区户籍或在本区居住的育龄夫妻。",
        by_law="《中华人民共和国人口与计划生育法》；《福建省人口与计划生育条例》",
        materials=[
            M("M01", "夫妻双方居民身份证", cert="CT001", originals=2, note=ID_CARD_NOTE),
            M("M02", "结婚证", cert="CT005", note="可通过电子证照库调取"),
        ],
    ),
    item(
        dept="退役军人", catalog_code="000105701000",
        name="退役士兵自主就业一次性经济补助金给付",
        task_type="05", legal=20, promised=10, star=4, visits=1, auth=2,
        server_type=("1",), window="退役军人服务窗口（14号）",
        accept_condition="由本区安置的自主就业退役士兵，在规定时限内到退役军人事务部门报到。",
        by_law="《中华人民共和国退役军人保障法》第三十六条；《退役士兵安置条例》第十九条",
        materials=[
            M("M01", "一次性经济补助金申请表", form="paper+electronic", signed=True,
              blank_form="自主就业退役士兵一次性经济补助金申请表"),
            M("M02", "退役证件", copies=1, note="退出现役证"),
            M("M03", "居民身份证", cert="CT001", copies=1, note=ID_CARD_NOTE),
            M("M04", "本人社会保障卡或银行账户信息", copies=1),
        ],
        process=steps(("受理", 1), ("审核", 5), ("审批", 3), ("发放", 1)),
    ),
    item(
        dept="教育", catalog_code="000101801000", name="民办培训机构设立审批",
        task_type="01", legal=30, promised=15, star=3, visits=2, auth=3,
        server_type=("2", "4", "6"), window="教育窗口（18号）",
        accept_condition="举办者符合条件；有规范的名称、章程、组织机构、场所、教学人员和资金；"
                         "培训内容符合规定。",
        by_law="《中华人民共和国民办教育促进法》第十二条、第十七条；《中华人民共和国民办教育促进法实施条例》",
        fees=[],
        materials=[
            M("M01", "设立申请书", form="paper+electronic", signed=True,
              blank_form="民办培训机构设立申请书"),
            M("M02", "机构章程", form="paper+electronic"),
            M("M03", "资产来源、资金数额及有效证明文件", copies=1),
            M("M04", "办学场所证明", copies=1, note="产权证明或租期不少于三年的租赁合同"),
            M("M05", "拟任负责人身份证明", cert="CT001", copies=1, note=ID_CARD_NOTE),
        ],
        process=steps(("受理", 1), ("审查", 7), ("现场考察", 5), ("决定", 2)),
    ),
]


def main() -> None:
    document = {
        "format": "onewindow-catalog/1",
        "version": CATALOG_VERSION,
        "generated_at": GENERATED_AT,
        "items": ITEMS,
        "removed": [],
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(ITEMS)} items to {OUT}")


if __name__ == "__main__":
    main()
