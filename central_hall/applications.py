"""Applications submitted online (网上申报) and their pre-review (网上预审).

An applicant (or a script: ``python -m central_hall submit``) submits an
application for a catalog item with files for its materials.  The hall routes
it to the stations that serve the item — by default every station of the
district the item's department belongs to — and those stations pull it
(``GET /applications?since=``), download its files and post one decision per
round:

    pending (待预审) ─► passed (预审通过: a case number follows from the station)
                     ├► returned (预审退回 / 补正: every material to supply, at once)
                     └► rejected (不予受理: reason and legal basis)

A returned application resubmitted by the same applicant for the same item
keeps its id and its original submission time; its round counts up and the
two working days start again from the resubmission.  While an application is
pending, a second one of the same applicant for the same item is refused.

Everything here is one ``HallDatabase`` unit of work per call; the change feed
is the ``seq`` column (a hall-wide counter bumped on every change).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field

import contracts
import contracts.signed
from central_hall import signing
from central_hall.blobstore import DIGEST
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, lock_sequence, utc_now

FORMAT = "onewindow-application/1"
PENDING, PASSED, RETURNED, REJECTED = "pending", "passed", "returned", "rejected"
STATE_LABELS = {PENDING: "待预审", PASSED: "预审通过", RETURNED: "预审退回（请补正）",
                REJECTED: "不予受理"}
# Decision codes of the provincial exchange (1 通过, 2 不受理, 3 补交补正).
DECISIONS = {"pass": (PASSED, "1"), "reject": (REJECTED, "2"), "return": (RETURNED, "3")}
# What an applicant may attach: the formats the workstation's file import reads.
FILE_SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg",
                   b"\x89PNG\r\n\x1a\n": "image/png"}
MAX_FILES_PER_APPLICATION = 60
_CURSOR = re.compile(r"^a(\d+)$")
_ID_CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# --- checks (the hall's own: it shares no code with the workstation) ----------


def _blank(value) -> bool:
    return not isinstance(value, str) or not value.strip()


def citizen_id_ok(number: str) -> bool:
    """GB 11643: 17 digits + ISO 7064 MOD 11-2 check character, a real birth date."""
    number = number.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_CHECK_WEIGHTS, strict=True))
    if "10X98765432"[total % 11] != number[17]:
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return True


def uscc_ok(code: str) -> bool:
    """GB 32100: 18 characters of its alphabet with the MOD 31 check character."""
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        return False
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS,
                                                            strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


@dataclass
class Problems:
    """Every field at fault, so one answer shows the applicant everything."""

    errors: list[dict] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.errors.append({"field": where, "message": message})


def _person(data, where: str, role: str, problems: Problems, id_required=True) -> dict | None:
    if not isinstance(data, dict):
        problems.add(where, f"请填写{role}信息")
        return None
    person = {key: str(data.get(key) or "").strip()
              for key in ("name", "id_type", "id_number", "phone")}
    person["id_type"] = person["id_type"] or "111"
    person["id_number"] = person["id_number"].upper()
    if not person["name"]:
        problems.add(f"{where}.name", f"请填写{role}姓名")
    if person["id_type"] not in code_names("person_id_type"):
        problems.add(f"{where}.id_type", f"{role}证件类型无效（应为"
                     f"{'、'.join(code_names('person_id_type').values())}之一）")
    elif id_required and person["id_type"] == "111" and not citizen_id_ok(person["id_number"]):
        problems.add(f"{where}.id_number", f"{role}身份证号码无效")
    elif id_required and not person["id_number"]:
        problems.add(f"{where}.id_number", f"请填写{role}证件号码")
    return person


def code_names(table: str) -> dict[str, str]:
    """A code table of the contracts (common.v1.json ``$defs``): code → name, in order."""
    definition = contracts.schema("common")["$defs"][table]
    return {code: definition["x-labels"][code] for code in definition["enum"]}


def applicant_codes() -> dict:
    """The code tables the applicant page offers (kinds of applicant, kinds of ID)."""
    return {table: [{"code": code, "name": name} for code, name in code_names(table).items()]
            for table in ("applicant_kind", "person_id_type")}


def check_applicant(data, problems: Problems) -> dict | None:
    if not isinstance(data, dict):
        problems.add("applicant", "缺少申请人信息")
        return None
    kind = data.get("kind")
    if kind == "person":
        person = _person(data, "applicant", "申请人", problems)
        if person is None:
            return None
        return {"kind": "person", **person, "address": str(data.get("address") or "").strip()}
    if kind == "organisation":
        uscc = str(data.get("uscc") or data.get("id_number") or "").strip().upper()
        if _blank(data.get("name")):
            problems.add("applicant.name", "请填写单位名称")
        if not uscc:
            problems.add("applicant.uscc", "请填写统一社会信用代码")
        elif not uscc_ok(uscc):
            problems.add("applicant.uscc", "统一社会信用代码无效：应为 18 位数字或大写字母"
                         "（不含 I、O、Z、S、V），末位校验码须相符")
        legal_rep = _person(data.get("legal_rep"), "applicant.legal_rep", "法定代表人", problems)
        return {"kind": "organisation", "name": str(data.get("name") or "").strip(),
                "id_type": "001", "id_number": uscc, "uscc": uscc,
                "phone": str(data.get("phone") or "").strip(),
                "address": str(data.get("address") or "").strip(), "legal_rep": legal_rep}
    problems.add("applicant.kind", "申请人类型应为 person（个人）或 organisation（单位）")
    return None


def media_type_of(content: bytes) -> str | None:
    for signature, media_type in FILE_SIGNATURES.items():
        if content.startswith(signature):
            return media_type
    return None


@dataclass(frozen=True)
class SubmittedFile:
    """One attached file as the applicant sent it (bytes already read)."""

    name: str
    content: bytes


def _catalog_item(conn, task_code: str, handle_item_code: str | None) -> dict | None:
    rows = conn.execute(
        "SELECT item_json FROM catalog_items WHERE task_code = ? AND removed = 0", (task_code,)
    ).fetchall()
    for row in rows:
        item = json.loads(row["item_json"])
        if (item.get("handle_item_code") or None) == (handle_item_code or None):
            return item
    return None


def district_of(item: dict) -> str:
    """The 行政区划 of the item's department: characters 3–8 of its USCC."""
    dept_code = str(item.get("dept_code") or item.get("task_code") or "")
    return dept_code[2:8] if len(dept_code) >= 8 else ""


@dataclass
class SubmitResult:
    ref: str
    ok: bool
    id: str | None = None
    round: int | None = None
    state: str | None = None
    access_key: str | None = None
    already_submitted: bool = False
    errors: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        if not self.ok:
            return {"ref": self.ref, "ok": False, "errors": self.errors}
        data = {"ref": self.ref, "ok": True, "id": self.id, "round": self.round,
                "state": self.state}
        if self.access_key:
            data["access_key"] = self.access_key
        if self.already_submitted:
            data["already_submitted"] = True
        return data


def _key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _next_seq(conn) -> int:
    lock_sequence(conn, "applications")  # stations pull applications by this cursor
    return conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM applications").fetchone()[0]


def parse_instant(text: str | None) -> str:
    if not text:
        return utc_now()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"时间格式无效：{text}（应为 ISO 8601，如 2026-11-20T09:00:00+08:00）"
                         ) from exc
    if value.tzinfo is None:
        raise ValueError(f"时间须带时区：{text}（如 {text}+08:00）")
    return value.astimezone(dt.UTC).isoformat()


def contract_problems(record, contract: str) -> list[tuple[str, str]]:
    """Where ``record`` breaks its contract: one record of ``application_batch`` (files
    as paths) or an ``application_submission`` (files inline)."""
    if contract == "application_submission":
        return contracts.violations(contract, record)
    prefix = "applications[0]."
    return [(field.removeprefix(prefix), message) for field, message in contracts.violations(
        "application_batch", {"format": FORMAT, "applications": [record]})]


def submit(db: HallDatabase, blobs, record, files_of, at: str | None = None,
           contract: str = "application_batch") -> SubmitResult:
    """Check and store one application; ``files_of(material_index)`` gives its files.

    ``record`` is one entry of ``onewindow-application/1`` (the applicant page
    sends the same shape, files inline: ``contract="application_submission"``).
    Returns the result for that ``ref``; the hall's own checks speak Chinese, the
    contract adds whatever they did not already name.
    """
    if not isinstance(record, dict):
        return SubmitResult("", False, errors=[{"field": "", "message": "申请应为 JSON 对象"}])
    ref = str(record.get("ref") or "").strip()
    problems = Problems()
    if not ref or len(ref) > 100:
        problems.add("ref", "缺少申请标识 ref（不超过 100 个字符）")
    task_code = str(record.get("task_code") or "").strip()
    handle_item_code = str(record.get("handle_item_code") or "").strip() or None
    with db.reading() as conn:
        item = _catalog_item(conn, task_code, handle_item_code)
        earlier_ref = conn.execute(
            "SELECT application_id, round FROM application_refs WHERE ref = ?", (ref,)
        ).fetchone() if ref else None
    if earlier_ref is not None:
        return _existing(db, ref, earlier_ref["application_id"])
    if item is None:
        problems.add("task_code", f"网上办事大厅没有事项 {task_code}"
                     + (f"（办理项 {handle_item_code}）" if handle_item_code else ""))
    elif (item.get("state") or "active") != "active":
        problems.add("task_code", f"事项「{item.get('name')}」已暂停或取消，不能申报")
    applicant = check_applicant(record.get("applicant"), problems)
    agent = None
    if record.get("agent") is not None:
        agent = _person(record.get("agent"), "agent", "代理人", problems)
    contact_phone = str(record.get("contact_phone") or "").strip()
    if applicant is not None and not (contact_phone or applicant.get("phone")
                                      or (agent or {}).get("phone")):
        problems.add("applicant.phone", "请填写联系电话")
    shape = contract_problems(record, contract)
    malformed = {where.split(".")[0].split("[")[0] for where, _ in shape}
    materials = [] if "materials" in malformed and not isinstance(
        record.get("materials"), list) else _materials(
        record.get("materials"), item, files_of, problems)
    named = {error["field"] for error in problems.errors}
    for where, message in shape:
        if not any(where == field or where.startswith((f"{field}.", f"{field}["))
                   or field.startswith((f"{where}.", f"{where}[")) for field in named):
            problems.add(where, f"不符合申请格式（{contract}）：{message}")
    try:
        submitted_at = parse_instant(at)
    except ValueError as exc:
        problems.add("at", str(exc))
    if problems.errors:
        return SubmitResult(ref, False, errors=problems.errors)
    stored = [_store_material(blobs, material) for material in materials]
    body = {"applicant": applicant, "agent": agent, "contact_phone": contact_phone,
            "materials": stored}
    applicant_key = f"{applicant['id_type']}:{applicant['id_number']}"

    def write(conn) -> SubmitResult:
        already = conn.execute(
            "SELECT application_id FROM application_refs WHERE ref = ?", (ref,)
        ).fetchone()
        if already is not None:
            return None
        open_one = conn.execute(
            "SELECT id, state, round, submitted_at FROM applications WHERE applicant_key = ? "
            "AND task_code = ? AND COALESCE(handle_item_code, '') = ? "
            "AND state IN (?, ?) ORDER BY seq DESC LIMIT 1",
            (applicant_key, task_code, handle_item_code or "", PENDING, RETURNED),
        ).fetchone()
        if open_one is not None and open_one["state"] == PENDING:
            raise HallError(409, "application_pending",
                            f"已有待预审的申请 {open_one['id']}，请等待预审结果后再提交")
        key = secrets.token_urlsafe(18)
        seq = _next_seq(conn)
        if open_one is not None:  # 补正 after 退回: same application, next round
            application_id, round_ = open_one["id"], open_one["round"] + 1
            conn.execute(
                "UPDATE applications SET ref = ?, access_key_sha256 = ?, body_json = ?, "
                "state = ?, round = ?, round_submitted_at = ?, decision_json = NULL, seq = ? "
                "WHERE id = ?",
                (ref, _key_digest(key), json.dumps(body, ensure_ascii=False), PENDING, round_,
                 submitted_at, seq, application_id),
            )
            event = "resubmitted"
        else:
            application_id, round_ = _new_id(conn, submitted_at), 1
            conn.execute(
                "INSERT INTO applications (id, ref, access_key_sha256, task_code, "
                "handle_item_code, item_name, dept_name, dept_code, applicant_key, body_json, "
                "state, round, submitted_at, round_submitted_at, seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (application_id, ref, _key_digest(key), task_code, handle_item_code,
                 item.get("name") or "", item.get("dept_name") or "",
                 item.get("dept_code") or "", applicant_key,
                 json.dumps(body, ensure_ascii=False), PENDING, 1, submitted_at, submitted_at,
                 seq),
            )
            _route(conn, application_id, item)
            event = "submitted"
        conn.execute("INSERT INTO application_refs (ref, application_id, round) VALUES (?, ?, ?)",
                     (ref, application_id, round_))
        _history(conn, application_id, round_, event, submitted_at, None, None, {"ref": ref})
        return SubmitResult(ref, True, application_id, round_, PENDING, access_key=key)

    try:
        result = db.in_shared_transaction(write)
    except HallError as refusal:
        return SubmitResult(ref, False, errors=[{"field": "", "message": refusal.detail,
                                                 "code": refusal.code}])
    return result if result is not None else _existing(db, ref, None)


def _existing(db: HallDatabase, ref: str, application_id: str | None) -> SubmitResult:
    """The same ``ref`` sent again (a lost answer, a double click): nothing new."""
    with db.reading() as conn:
        if application_id is None:
            application_id = conn.execute(
                "SELECT application_id FROM application_refs WHERE ref = ?", (ref,)
            ).fetchone()["application_id"]
        row = conn.execute("SELECT id, round, state FROM applications WHERE id = ?",
                           (application_id,)).fetchone()
    return SubmitResult(ref, True, row["id"], row["round"], row["state"],
                        already_submitted=True)


def _new_id(conn, submitted_at: str) -> str:
    """``YS`` + submission day + 6-digit daily sequence: read out over the phone."""
    day = dt.datetime.fromisoformat(submitted_at).astimezone(
        dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d")
    count = conn.execute("SELECT COUNT(*) FROM applications WHERE id LIKE ?",
                         (f"YS{day}%",)).fetchone()[0]
    return f"YS{day}{count + 1:06d}"


def _route(conn, application_id: str, item: dict) -> None:
    stations = [row["station"] for row in conn.execute(
        "SELECT station FROM item_stations WHERE task_code = ?", (item["task_code"],))]
    if not stations:
        stations = [district_of(item)]  # every station of the district
    conn.executemany("INSERT OR IGNORE INTO application_routes (application_id, station) "
                     "VALUES (?, ?)", [(application_id, s) for s in stations])


def _history(conn, application_id, round_, event, at, station, user, detail) -> None:
    conn.execute(
        "INSERT INTO application_history (application_id, round, event, at, station, user, "
        "detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (application_id, round_, event, at, station, user,
         json.dumps(detail, ensure_ascii=False)),
    )


def _materials(entries, item, files_of, problems: Problems) -> list[dict]:
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        problems.add("materials", "materials 应为数组")
        return []
    catalog = {m.get("id"): m for m in (item or {}).get("materials") or []}
    materials: list[dict] = []
    total_files = 0
    for index, entry in enumerate(entries):
        where = f"materials[{index}]"
        if not isinstance(entry, dict):
            problems.add(where, "材料应为 JSON 对象")
            continue
        material_id = str(entry.get("material_id") or "")
        if item is not None and material_id not in catalog:
            problems.add(f"{where}.material_id", f"事项材料清单中没有材料 {material_id!r}")
            continue
        try:
            files: list[SubmittedFile] = files_of(index)
        except FileProblem as problem:
            problems.add(f"{where}.files{problem.where}", problem.message)
            continue
        if not files:
            problems.add(f"{where}.files", "请上传该材料的文件")
            continue
        total_files += len(files)
        for number, submitted in enumerate(files):
            if media_type_of(submitted.content) is None:
                problems.add(f"{where}.files[{number}]",
                             f"{submitted.name} 不是 PDF、JPEG 或 PNG 文件")
        materials.append({"material_id": material_id,
                          "name": (catalog.get(material_id) or {}).get("name") or material_id,
                          "files": files})
    if total_files > MAX_FILES_PER_APPLICATION:
        problems.add("materials", f"文件过多（最多 {MAX_FILES_PER_APPLICATION} 个）")
    return materials


class FileProblem(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def _store_material(blobs, material: dict) -> dict:
    stored = []
    for submitted in material["files"]:
        digest = blobs.put_bytes(submitted.content)
        stored.append({"name": submitted.name, "sha256": digest, "size": len(submitted.content),
                       "media_type": media_type_of(submitted.content)})
    return {"material_id": material["material_id"], "name": material["name"], "files": stored}


# --- stations: pull, files, decisions ------------------------------------------


def _visible_to(station: str, reads_all: bool = False) -> tuple[str, tuple]:
    """SQL condition: routed to this station or to its whole district (a district
    supervisor reads every application of the hall)."""
    if reads_all:
        return "1 = 1", ()
    return ("id IN (SELECT application_id FROM application_routes WHERE station IN (?, ?))",
            (station, station[:6]))


def _as_station_record(row) -> dict:
    body = json.loads(row["body_json"])
    return {
        "id": row["id"], "ref": row["ref"], "task_code": row["task_code"],
        "handle_item_code": row["handle_item_code"], "item_name": row["item_name"],
        "dept_name": row["dept_name"], "dept_code": row["dept_code"],
        "state": row["state"], "round": row["round"], "submitted_at": row["submitted_at"],
        "round_submitted_at": row["round_submitted_at"],
        "applicant": body["applicant"], "agent": body["agent"],
        "contact_phone": body.get("contact_phone") or "", "materials": body["materials"],
        "decision": json.loads(row["decision_json"]) if row["decision_json"] else None,
    }


def changes_since(db: HallDatabase, station: str, since: str | None, limit: int,
                  reads_all: bool = False) -> dict:
    """Applications routed to ``station`` that changed after the cursor ``a<n>``."""
    match = _CURSOR.match(since or "")
    after = int(match.group(1)) if match else 0
    condition, params = _visible_to(station, reads_all)
    with db.reading() as conn:
        newest = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM applications").fetchone()[0]
        if after > newest:  # a cursor from another (reset) hall: start over
            after = 0
        rows = conn.execute(
            f"SELECT * FROM applications WHERE seq > ? AND {condition} ORDER BY seq LIMIT ?",
            (after, *params, limit),
        ).fetchall()
    last = rows[-1]["seq"] if len(rows) == limit else max(after, newest)
    return {"cursor": f"a{last}", "applications": [_as_station_record(r) for r in rows]}


def file_for_station(db: HallDatabase, station: str, application_id: str, digest: str,
                     reads_all: bool = False) -> None:
    """Raise unless ``digest`` is a file of an application this station may see."""
    condition, params = _visible_to(station, reads_all)
    with db.reading() as conn:
        row = conn.execute(f"SELECT body_json FROM applications WHERE id = ? AND {condition}",
                           (application_id, *params)).fetchone()
    if row is None:
        raise HallError(404, "application_unknown", f"没有申请 {application_id}")
    digests = {f["sha256"] for m in json.loads(row["body_json"])["materials"] for f in m["files"]}
    if digest not in digests:
        raise HallError(404, "file_unknown", "该申请没有这个文件")


def _check_decision(body) -> dict:
    shape = contracts.violations("prereview_decision", body)
    if shape:
        raise HallError(422, "invalid_decision", f"{shape[0][0]}: {shape[0][1]}",
                        problems=[{"field": f, "message": m} for f, m in shape])
    decision = body.get("decision")
    if decision not in DECISIONS:
        raise HallError(422, "invalid_decision", "decision（应为 pass / return / reject）")
    if _blank(body.get("decision_id")) or len(body["decision_id"]) > 100:
        raise HallError(422, "invalid_decision", "decision_id")
    if not isinstance(body.get("round"), int) or isinstance(body.get("round"), bool):
        raise HallError(422, "invalid_decision", "round")
    if decision in ("return", "reject") and _blank(body.get("reason")):
        raise HallError(422, "invalid_decision", "reason（退回或不予受理须说明理由）")
    if decision == "reject" and _blank(body.get("basis")):
        raise HallError(422, "invalid_decision", "basis（不予受理须写明法律依据）")
    missing = body.get("missing") or []
    if decision == "return" and (not isinstance(missing, list) or not missing):
        raise HallError(422, "invalid_decision", "missing（退回补正须一次性列明全部材料）")
    if _blank(body.get("decided_by")) or _blank(body.get("decided_at")):
        raise HallError(422, "invalid_decision", "decided_by / decided_at")
    try:
        decided_at = parse_instant(body["decided_at"])
    except ValueError as exc:
        raise HallError(422, "invalid_decision", f"decided_at: {exc}") from exc
    return {
        "decision": decision, "code": DECISIONS[decision][1], "round": body["round"],
        "reason": str(body.get("reason") or "").strip(),
        "basis": str(body.get("basis") or "").strip(),
        "missing": [{"material_id": str(m.get("material_id") or ""),
                     "name": str(m.get("name") or "")} for m in missing if isinstance(m, dict)],
        "case_number": str(body.get("case_number") or "") or None,
        "decided_by": body["decided_by"].strip(), "decided_at": decided_at,
    }


# --- the stations' signing keys (every decision is signed by the station) ----------


def station_key(db: HallDatabase, station: str) -> str | None:
    with db.reading() as conn:
        row = conn.execute("SELECT public_key FROM station_signing_keys WHERE station = ?",
                           (station,)).fetchone()
    return row["public_key"] if row else None


def key_fingerprint(public_key: str | None) -> str:
    """What an operator reads out to compare keys: SHA-256 of the key, 16 hex digits."""
    return hashlib.sha256((public_key or "").encode("ascii")).hexdigest()[:16]


def enrol_station_key(db: HallDatabase, station: str, user: str, body) -> dict:
    """A station's public signing key (contracts/station_key.v1.json): the first one
    stands; the same again is answered as enrolled; another is refused (409)."""
    shape = contracts.violations("station_key", body)
    if shape:
        raise HallError(422, "invalid_key", f"{shape[0][0]}: {shape[0][1]}")
    public_key = body["public_key"]
    if not signing.on_curve(public_key):
        raise HallError(422, "invalid_key", "public_key: 不是 SM2 曲线上的点")

    def write(conn) -> dict:
        row = conn.execute("SELECT public_key, enrolled_at FROM station_signing_keys "
                           "WHERE station = ?", (station,)).fetchone()
        if row is not None and row["public_key"] != public_key:
            raise HallError(409, "signing_key_conflict",
                            f"工位 {station} 已登记另一把签名公钥（指纹 "
                            f"{key_fingerprint(row['public_key'])}），请大厅管理员先注销旧公钥")
        if row is None:
            now = utc_now()
            conn.execute("INSERT INTO station_signing_keys (station, public_key, enrolled_at, "
                         "enrolled_by) VALUES (?, ?, ?, ?)", (station, public_key, now, user))
            enrolled_at = now
        else:
            enrolled_at = row["enrolled_at"]
        return {"station": station, "algorithm": "SM2", "public_key": public_key,
                "fingerprint": key_fingerprint(public_key), "enrolled_at": enrolled_at}

    return db.in_shared_transaction(write)


def forget_station_key(db: HallDatabase, station: str) -> bool:
    """The operator's way out when a station lost its key (reinstalled): it enrols anew."""
    with db.transaction() as conn:
        return conn.execute("DELETE FROM station_signing_keys WHERE station = ?",
                            (station,)).rowcount > 0


def _check_signature(db: HallDatabase, station: str, application_id: str, body: dict) -> None:
    public_key = station_key(db, station)
    if public_key is None:
        raise HallError(409, "signing_key_unknown",
                        f"工位 {station} 尚未登记签名公钥（PUT /stations/signing-key）")
    if not signing.verify(public_key, body["signature"],
                          contracts.signed.decision_bytes(application_id, body)):
        raise HallError(422, "signature_invalid",
                        "预审决定的签名与本工位登记的公钥不符：决定在签名后被改动，或不是本工位所签")


def decide(db: HallDatabase, station: str, user: str, application_id: str, body) -> dict:
    """Record a station's decision on the current round — once.

    The same ``decision_id`` sent again returns the stored answer (the station
    lost the reply); any other decision on a decided round is refused.
    """
    request_hash = hashlib.sha256(
        json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    checked = _check_decision(body)
    _check_signature(db, station, application_id, body)
    checked["signature"] = {"algorithm": "SM2", "value": body["signature"], "verified": True,
                            "key_fingerprint": key_fingerprint(station_key(db, station))}
    condition, params = _visible_to(station)

    def write(conn) -> dict:
        stored = conn.execute(
            "SELECT application_id, request_sha256, response_json FROM application_decisions "
            "WHERE decision_id = ?", (body["decision_id"],)).fetchone()
        if stored is not None:
            if stored["request_sha256"] != request_hash:
                raise HallError(422, "idempotency_key_reused",
                                "this decision_id was sent with a different decision")
            return json.loads(stored["response_json"])
        row = conn.execute(f"SELECT id, state, round FROM applications WHERE id = ? "
                           f"AND {condition}", (application_id, *params)).fetchone()
        if row is None:
            raise HallError(404, "application_unknown", f"没有申请 {application_id}")
        if row["round"] != checked["round"]:
            raise HallError(409, "round_mismatch",
                            f"申请 {application_id} 现为第 {row['round']} 轮")
        if row["state"] != PENDING:
            label = STATE_LABELS[row["state"]]
            raise HallError(409, "already_decided",
                            f"申请 {application_id} 本轮已有预审结果（{label}）")
        now = utc_now()
        record = {**checked, "station": station, "recorded_at": now}
        conn.execute("UPDATE applications SET state = ?, decision_json = ?, seq = ? WHERE id = ?",
                     (DECISIONS[checked["decision"]][0], json.dumps(record, ensure_ascii=False),
                      _next_seq(conn), application_id))
        _history(conn, application_id, row["round"], f"decided:{checked['decision']}",
                 checked["decided_at"], station, user, record)
        response = {"id": application_id, "round": row["round"],
                    "state": DECISIONS[checked["decision"]][0], "recorded_at": now}
        conn.execute("INSERT INTO application_decisions (decision_id, application_id, "
                     "request_sha256, response_json) VALUES (?, ?, ?, ?)",
                     (body["decision_id"], application_id, request_hash,
                      json.dumps(response, ensure_ascii=False)))
        return response

    return db.in_shared_transaction(write)


# --- the applicant's view and the operator's list ---------------------------------


def applicant_view(db: HallDatabase, application_id: str, access_key: str) -> dict:
    """What the applicant sees: state, round and the clerk's message (no station data)."""
    with db.reading() as conn:
        row = conn.execute("SELECT * FROM applications WHERE id = ?",
                           (application_id,)).fetchone()
    if row is None or not secrets.compare_digest(row["access_key_sha256"],
                                                 _key_digest(access_key or "")):
        raise HallError(404, "application_unknown", "没有这个申请，或查询码不对")
    decision = json.loads(row["decision_json"]) if row["decision_json"] else None
    view = {"id": row["id"], "item_name": row["item_name"], "dept_name": row["dept_name"],
            "state": row["state"], "state_label": STATE_LABELS[row["state"]],
            "round": row["round"], "submitted_at": row["submitted_at"], "message": "",
            "missing": [], "basis": "", "case_number": None}
    if decision:
        signature = decision.get("signature") or {}
        view.update(message=decision["reason"], missing=decision["missing"],
                    basis=decision["basis"], case_number=decision["case_number"],
                    decided_at=decision["decided_at"], decided_by=decision["decided_by"],
                    # Verified against the station's enrolled key before it was kept.
                    signed=bool(signature.get("verified")),
                    signature_algorithm=signature.get("algorithm") or "",
                    key_fingerprint=signature.get("key_fingerprint") or "")
        if decision["decision"] == "pass" and not decision["reason"]:
            view["message"] = "预审通过" + (f"，办件编号 {decision['case_number']}"
                                          if decision["case_number"] else "")
    return view


def list_all(db: HallDatabase) -> list[dict]:
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT a.id, a.ref, a.state, a.round, a.task_code, a.item_name, a.submitted_at, "
            "a.round_submitted_at, a.decision_json, (SELECT GROUP_CONCAT(station, ',') FROM "
            "application_routes r WHERE r.application_id = a.id) AS routes "
            "FROM applications a ORDER BY a.submitted_at, a.id").fetchall()
    result = []
    for row in rows:
        decision = json.loads(row["decision_json"]) if row["decision_json"] else None
        result.append({
            "id": row["id"], "ref": row["ref"], "state": row["state"], "round": row["round"],
            "task_code": row["task_code"], "item_name": row["item_name"],
            "submitted_at": row["submitted_at"], "round_submitted_at": row["round_submitted_at"],
            "routed_to": sorted((row["routes"] or "").split(",")) if row["routes"] else [],
            "decision": decision["decision"] if decision else None,
            "reason": decision["reason"] if decision else None,
            "case_number": decision["case_number"] if decision else None,
        })
    return result


def set_item_stations(db: HallDatabase, task_code: str, stations: list[str]) -> None:
    """Which stations serve an item (none = every station of its district)."""
    for station in stations:
        if not re.fullmatch(r"[0-9]{9}", station):
            raise ValueError(f"station code must be nine digits: {station!r}")
    with db.transaction() as conn:
        conn.execute("DELETE FROM item_stations WHERE task_code = ?", (task_code,))
        conn.executemany("INSERT INTO item_stations (task_code, station) VALUES (?, ?)",
                         [(task_code, s) for s in stations])


def check_digest(digest: str) -> str:
    digest = (digest or "").lower()
    if not DIGEST.match(digest):
        raise HallError(400, "invalid_digest", "sha256 must be 64 hexadecimal characters")
    return digest
