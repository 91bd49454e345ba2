"""Large synthetic catalogs (20,000 items) for benchmarks and scale tests.

Names are built the way real 实施清单 names are — a subject, an action and a
variant, e.g. 道路运输经营许可（变更） — so common words (许可, 登记, 证) repeat
thousands of times, and the same item is implemented by many bodies (district
departments and street offices), just as in a province's export.  Every
department code has a valid USCC check character and every task_code is
USCC + level + catalog code, so the documents pass the importer's validation.
"""

from __future__ import annotations

import random

from stdnum.cn.uscc import calc_check_digit

from app.catalog.format import FORMAT_TAG

SUBJECTS = [
    ("营业执照", "01"), ("食品经营许可", "01"), ("食品生产许可", "01"), ("药品经营许可", "01"),
    ("医疗器械经营许可", "01"), ("道路运输经营许可", "01"), ("出租汽车经营许可", "01"),
    ("建筑工程施工许可证", "01"), ("建设工程规划许可证", "01"), ("户外广告设施设置", "01"),
    ("城市道路占用挖掘", "01"), ("临时占用城市绿地", "01"), ("砍伐城市树木", "01"),
    ("公共场所卫生许可", "01"), ("放射诊疗许可", "01"), ("医疗机构执业许可", "01"),
    ("母婴保健技术服务执业许可", "01"), ("护士执业注册", "01"), ("医师执业注册", "01"),
    ("教师资格认定", "07"), ("民办学校设立", "01"), ("民办培训机构设立", "01"),
    ("营业性演出", "01"), ("娱乐场所经营", "01"), ("互联网上网服务营业场所", "01"),
    ("旅行社设立", "01"), ("动物防疫条件合格证", "01"), ("兽药经营许可", "01"),
    ("农药经营许可", "01"), ("种子生产经营许可", "01"), ("渔业捕捞许可", "01"),
    ("水产苗种生产许可", "01"), ("取水许可", "01"), ("河道采砂许可", "01"),
    ("林木采伐许可", "01"), ("排污许可", "01"), ("危险化学品经营许可", "01"),
    ("燃气经营许可", "01"), ("特种设备使用登记", "01"), ("人防工程", "01"),
    ("个体工商户", "01"), ("农民专业合作社", "01"), ("社会团体", "07"),
    ("民办非企业单位", "07"), ("最低生活保障", "05"), ("特困人员救助供养", "05"),
    ("临时救助", "05"), ("医疗救助", "05"), ("残疾人两项补贴", "05"),
    ("高龄老人津贴", "05"), ("退役士兵自主就业一次性经济补助金", "05"),
    ("失业保险金", "05"), ("结婚", "07"), ("离婚", "07"), ("收养", "07"),
    ("户籍迁移", "20"), ("居住证", "20"), ("残疾人证", "20"), ("老年人优待证", "20"),
    ("城乡居民基本养老保险", "20"), ("城乡居民基本医疗保险", "20"), ("就业创业证", "20"),
    ("生育", "20"), ("出生医学证明", "20"), ("不动产", "07"), ("重点建设项目", "20"),
    ("长期护理保险", "20"), ("银行业务代办", "20"), ("重庆路沿街店招", "01"),
]
ACTIONS = [
    "核发", "新办", "变更", "延续", "注销", "补发", "换发", "审批", "登记", "备案", "确认",
    "给付", "认定", "申领", "参保登记", "转移接续", "信息查询", "证明开具",
]
VARIANTS = ["", "", "", "（新办）", "（变更）", "（延续）", "（注销）", "（补证）", "（个人）",
            "（企业）", "（首次申请）", "（跨省通办）"]
DEPARTMENTS = [
    "市场监督管理局", "卫生健康局", "建设与交通局", "城市管理局", "文化和旅游局",
    "农业农村局", "民政局", "残疾人联合会", "人力资源和社会保障局", "医疗保障局",
    "退役军人事务局", "教育局", "公安分局", "自然资源和规划分局", "生态环境局",
    "应急管理局", "司法局", "财政局", "税务局", "水利局",
]
DISTRICTS = [("350203", "思明区"), ("350205", "海沧区"), ("350206", "湖里区"),
             ("350211", "集美区"), ("350212", "同安区"), ("350213", "翔安区")]
STREETS = ["海沧街道", "新阳街道", "嵩屿街道", "东孚街道", "中华街道", "鼓浪屿街道",
           "湖里街道", "金山街道", "集美街道", "杏林街道", "大同街道", "新店街道"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(rng: random.Random, region: str) -> str:
    body = "11" + region + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + calc_check_digit(body)


def _bodies(rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, USCC, use_level) of every implementing body."""
    bodies = []
    for region, district in DISTRICTS:
        for dept in DEPARTMENTS:
            bodies.append((f"厦门市{district}{dept}", _uscc(rng, region), "4"))
    for street in STREETS:
        bodies.append((f"{street}办事处", _uscc(rng, "350205"), "5"))
    return bodies


def _material(rng: random.Random, index: int, subject: str) -> dict:
    kinds = [
        (f"{subject}申请表", None, True), ("居民身份证", "CT001", True),
        ("营业执照", "CT003", True), ("户口簿", "CT002", True),
        ("经营场所使用证明", "CT004", True), ("授权委托书", None, "conditional"),
        ("法定代表人身份证明", "CT001", True), ("相关证明材料", None, False),
    ]
    name, cert, required = kinds[index % len(kinds)] if index else kinds[0]
    return {
        "id": f"M{index + 1:02d}", "name": name, "required": required,
        "condition": "委托代理人办理的" if required == "conditional" else "",
        "form": rng.choice(["paper", "electronic", "paper+electronic"]),
        "originals": 1, "copies": rng.choice([0, 1]), "source": "applicant",
        "cert_type_code": cert, "accepts_signed_electronic": rng.random() < 0.5,
        "blank_form": f"{subject}申请表" if index == 0 else None, "sample": None, "note": "",
    }


def make_item(rng: random.Random, body: tuple[str, str, str], serial: int,
              version: int = 1) -> dict:
    subject, task_type = SUBJECTS[serial % len(SUBJECTS)]
    action = ACTIONS[(serial // len(SUBJECTS)) % len(ACTIONS)]
    variant = rng.choice(VARIANTS)
    dept_name, dept_code, level = body
    catalog_code = f"{serial:012d}"
    promised = rng.choice([0, 1, 3, 5, 10, 15, 20])
    return {
        "task_code": dept_code + level + catalog_code,
        "catalog_code": catalog_code,
        "handle_item_code": None,
        "name": f"{subject}{action}{variant}",
        "task_type": task_type, "use_level": level,
        "dept_name": dept_name, "dept_code": dept_code,
        "accept_condition": f"符合{subject}{action}条件的申请人。",
        "legal_limit": {"value": max(promised, 20), "unit": "working_day"},
        "promise_limit": {"value": promised, "unit": "working_day"},
        "project_type": "1" if promised == 0 else "2",
        "visits": rng.choice([0, 1, 2]), "online_depth": [1, 2, 3, 4],
        "star_level": rng.choice([3, 4, 5]), "auth_level": rng.choice([1, 2, 3]),
        "server_type": ["1"], "fees": [],
        "materials": [_material(rng, i, subject) for i in range(rng.randint(2, 6))],
        "process": [{"name": "受理", "limit": {"value": 1, "unit": "working_day"}},
                    {"name": "决定", "limit": {"value": promised, "unit": "working_day"}}],
        "by_law": f"《{subject}管理办法》", "transact_addr": f"{dept_name}政务服务窗口",
        "transact_time": "周一至周五 9:00—17:00", "link_way": "0592-12345",
        "supervise_way": "12345", "version": version, "state": "active",
    }


def make_catalog(n: int = 20000, seed: int = 7, version: str = "synthetic-1",
                 generated_at: str = "2026-11-01T00:00:00+08:00") -> dict:
    """An interchange document of ``n`` items, the same for the same seed."""
    rng = random.Random(seed)
    bodies = _bodies(rng)
    serials_per_body = -(-n // len(bodies))
    items = []
    for body_index, body in enumerate(bodies):
        for k in range(serials_per_body):
            if len(items) == n:
                break
            # Each body implements a different slice of the national items, and
            # neighbouring bodies overlap, as district departments and streets do.
            serial = 100000 + (body_index * 37 + k) % (serials_per_body * 3)
            items.append(make_item(rng, body, serial))
    return {"format": FORMAT_TAG, "version": version, "generated_at": generated_at,
            "items": items, "removed": []}


HANDLE_ITEM_VARIANTS = ("新办", "变更", "延续", "注销")


def with_handle_items(document: dict, every: int = 10) -> dict:
    """The same catalog where every ``every``-th item is split into its 业务办理项
    (新办/变更/延续/注销: one task_code, own codes and names), as provinces export
    licences; the document keeps its number of entries."""
    items: list[dict] = []
    for position, item in enumerate(document["items"]):
        if position % every:
            items.append(item)
            continue
        for serial, variant in enumerate(HANDLE_ITEM_VARIANTS, start=1):
            items.append(dict(item, handle_item_code=f"{item['task_code']}{serial:03d}",
                              handle_item_name=f"{item['name']}（{variant}）"))
    return {**document, "items": items[:len(document["items"])]}
