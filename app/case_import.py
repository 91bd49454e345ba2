"""Batch entry (补录) of cases taken during an outage: ``onewindow-cases/1``.

Each record becomes a draft and goes through the same ``IntakeService``
commit as the window, so the same rules apply.  Records are independent:
a bad record is reported with every field at fault (``applicant.id_number``,
``materials[2].files[0]`` …) and the good ones are imported anyway.  A record
whose ``ref`` was imported before is reported as already imported (with its
case number) and never imported twice: ``Case.import_ref`` is unique.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.applicants import ApplicantInfo, PersonInfo
from app.catalog.item_key import ItemKey
from app.input_files import CASE_BATCH_LIMIT_MB, MB, InputFileRefused, read_regular_file
from app.intake import Decision, DraftState, DuplicateImport, FieldError, IntakeError
from app.intake.draft import CHANNELS, CONDITIONAL, DEFICIENCY, MISSING, NOT_APPLICABLE
from app.intake.validation import DECISIONS
from app.plain_text import (
    ADDRESS_LIMIT,
    CODE_LIMIT,
    NAME_LIMIT,
    ORGANISATION_NAME_LIMIT,
    PHONE_LIMIT,
    TEXT_LIMIT,
    text_problem,
    visible,
)
from app.scanning.file_import import FileImporter
from app.scanning.interface import PdfPage
from app.scanning.pages import store_page
from app.scanning.validation import FileRefused
from app.signatures import SignatureStatus, SignatureVerdict, station_trust_roots, verify_pdf
from local_store.instants import as_stored, from_station_wall
from local_store.models import Case
from local_store.writer import root_cause

FORMAT = "onewindow-cases/1"
RECEIVED_VALUES = ("original", "copy", "electronic", "scanned", "missing", "deficiency")


@dataclass
class ImportedFiles:
    pages: list[dict] = field(default_factory=list)  # Page.to_json(), to assemble
    digest: str | None = None  # a single PDF, stored byte for byte
    size: int = 0
    signature: SignatureVerdict | None = None


class ImportFormatError(ValueError):
    """The file as a whole is not a ``onewindow-cases/1`` document."""


@dataclass
class RecordResult:
    ref: str
    ok: bool
    case_number: str | None = None
    deadline: str | None = None
    deadline_uncertain: bool = False
    state: str | None = None
    already_imported: bool = False
    errors: list[FieldError] = field(default_factory=list)

    def to_json(self) -> dict:
        if not self.ok:
            return {"ref": self.ref, "ok": False, "errors": [e.to_json() for e in self.errors]}
        data = {
            "ref": self.ref,
            "ok": True,
            "case_number": self.case_number,
            "deadline": self.deadline,
            "deadline_uncertain": self.deadline_uncertain,
            "state": self.state,
        }
        if self.already_imported:
            data["already_imported"] = True
        return data


def read_document(path: Path) -> list:
    """The records of a batch file: a regular file of at most ``CASE_BATCH_LIMIT_MB``,
    refused before it is read otherwise."""
    try:
        raw = read_regular_file(path, CASE_BATCH_LIMIT_MB * MB, "补录文件")
        document = json.loads(raw.decode("utf-8"))
    except InputFileRefused as exc:
        raise ImportFormatError(exc.reason) from exc
    except RecursionError as exc:  # [[[[…]]]] nested deeper than any record is
        raise ImportFormatError(f"{Path(path).name} 嵌套层数过深，不是补录文件") from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{Path(path).name} 不是 UTF-8 编码的 JSON 文件") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{Path(path).name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）"
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFormatError(f"文件格式应为 {FORMAT}（缺少或不符的 format 字段）")
    cases = document.get("cases")
    if not isinstance(cases, list):
        raise ImportFormatError("cases 应为数组")
    return cases


def _json_type(value) -> str:
    return {bool: "true/false", int: "数字", float: "数字", list: "数组",
            dict: "对象"}.get(type(value), type(value).__name__)


# 补录 records cases of an outage: a receipt before this year is a typing error
# (it was once blamed on the applicant's ID number: "born after today").
EARLIEST_RECEIVED_YEAR = 2000
MAX_COUNT = 999  # originals or copies of one material


class _RecordReader:
    """Turns one record into a draft and a decision, collecting every error."""

    def __init__(self, service, base_dir: Path, now: dt.datetime,
                 allow_outside: bool = False):
        self.service = service
        self.base_dir = base_dir
        self.now = now
        self.allow_outside = allow_outside
        self.errors: list[FieldError] = []

    def trust_roots(self) -> list:
        return station_trust_roots(self.service.settings)

    def fail(self, where: str, message: str) -> None:
        self.errors.append(FieldError(where, message))

    def text(self, data: dict, key: str, where: str, label: str,
             limit: int = CODE_LIMIT, multiline: bool = False) -> str:
        """A string field (absent = ""); a number, object or hidden character is an
        error of this field, never a crash or a silent str()."""
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            hint = "（请加引号：数字会丢掉前导零和末位 X）" if key in ("id_number", "uscc") else ""
            self.fail(where, f"{label}应为字符串，文件中是{_json_type(value)}{hint}")
            return ""
        problem = text_problem(value.strip(), label, limit, multiline)
        if problem:
            self.fail(where, problem)
            return ""
        return value.strip()

    def received_at(self, record: dict) -> str | None:
        text = self.text(record, "received_at", "received_at", "收件时间")
        if not text:
            if not any(error.field == "received_at" for error in self.errors):
                self.fail("received_at", "缺少收件时间 received_at")
            return None
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail("received_at", f"收件时间格式无效：{text}（应为 ISO 8601，带时区）")
            return None
        if value.tzinfo is None:
            self.fail("received_at", f"收件时间须带时区，如 {text}+08:00")
            return None
        if value.year < EARLIEST_RECEIVED_YEAR:
            self.fail("received_at", f"收件时间 {text} 早于 {EARLIEST_RECEIVED_YEAR} 年，请核对")
            return None
        now = from_station_wall(self.now, self.service.settings.zone)
        if as_stored(value) > now:
            self.fail("received_at", f"收件时间 {text} 晚于当前时间")
            return None
        return text

    def person(self, data, where: str, role: str) -> PersonInfo | None:
        if not isinstance(data, dict):
            self.fail(where, f"缺少{role}信息")
            return None
        return PersonInfo(
            name=self.text(data, "name", f"{where}.name", f"{role}姓名", NAME_LIMIT),
            id_type=self.text(data, "id_type", f"{where}.id_type", f"{role}证件类型") or "111",
            id_number=self.text(data, "id_number", f"{where}.id_number", f"{role}证件号码"),
            phone=self.text(data, "phone", f"{where}.phone", f"{role}电话", PHONE_LIMIT),
        )

    def applicant(self, data) -> ApplicantInfo:
        if not isinstance(data, dict):
            self.fail("applicant", "缺少申请人信息")
            return ApplicantInfo()
        kind = data.get("kind")
        common = dict(
            phone=self.text(data, "phone", "applicant.phone", "联系电话", PHONE_LIMIT),
            address=self.text(data, "address", "applicant.address", "地址", ADDRESS_LIMIT),
        )
        if kind == "person":
            return ApplicantInfo(
                kind="person",
                name=self.text(data, "name", "applicant.name", "申请人姓名", NAME_LIMIT),
                id_type=self.text(data, "id_type", "applicant.id_type", "证件类型"),
                id_number=self.text(data, "id_number", "applicant.id_number", "证件号码"),
                **common,
            )
        if kind == "organisation":
            return ApplicantInfo(
                kind="organisation",
                name=self.text(data, "name", "applicant.name", "申请单位名称",
                               ORGANISATION_NAME_LIMIT),
                id_type="001",
                id_number=self.text(data, "uscc", "applicant.id_number", "统一社会信用代码"),
                legal_rep=self.person(data.get("legal_rep"), "applicant.legal_rep", "法定代表人"),
                **common,
            )
        self.fail("applicant.kind", "申请人类型应为 person 或 organisation")
        return ApplicantInfo()

    def attachment_path(self, raw, where: str) -> Path | None:
        """``raw`` resolved against the batch file's folder; None (and an error) for
        a path that is not text or that leads outside the folder (``../``, an
        absolute path, a symbolic link out) unless the operator allowed it."""
        if not isinstance(raw, str) or not raw.strip():
            self.fail(where, "文件路径应为非空字符串")
            return None
        problem = text_problem(raw, "文件路径", 4096)
        if problem:
            self.fail(where, problem)
            return None
        path = Path(raw)
        resolved = (path if path.is_absolute() else self.base_dir / path).resolve()
        if not self.allow_outside and not resolved.is_relative_to(self.base_dir):
            self.fail(where, f"文件 {raw} 不在补录文件所在的文件夹 {self.base_dir} 内，未读取；"
                             "确需导入请加 --allow-outside")
            return None
        return resolved

    def files(self, paths, where: str) -> ImportedFiles:
        """A material's files: one PDF kept as it is, or pages to assemble."""
        if paths is None:
            return ImportedFiles()
        if not isinstance(paths, list):
            self.fail(where, "files 应为路径数组")
            return ImportedFiles()
        blobs = self.service.store.blobs
        importer = FileImporter(self.service.settings.import_file_limit_mb)
        pages: list[dict] = []
        for index, raw in enumerate(paths):
            path = self.attachment_path(raw, f"{where}[{index}]")
            if path is None:
                continue
            try:
                source_pages = importer.read(path)
            except FileRefused as refusal:
                self.fail(f"{where}[{index}]", refusal.args[0] if refusal.args else str(refusal))
                continue
            if len(paths) == 1 and isinstance(source_pages[0], PdfPage):
                # One PDF on its own is kept byte for byte (its signature stays valid).
                document = source_pages[0].document
                return ImportedFiles(
                    digest=blobs.put_bytes(document),
                    size=len(document),
                    signature=verify_pdf(document, self.trust_roots()),
                )
            pages += [store_page(blobs, page).to_json() for page in source_pages]
        return ImportedFiles(pages=pages)

    def materials(self, draft: DraftState, entries) -> None:
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            self.fail("materials", "materials 应为数组")
            return
        by_id = {entry.material_id: entry for entry in draft.materials}
        for index, data in enumerate(entries):
            where = f"materials[{index}]"
            if not isinstance(data, dict):
                self.fail(where, "材料应为 JSON 对象")
                continue
            material_id = self.text(data, "material_id", f"{where}.material_id", "材料编号")
            entry = by_id.get(material_id)
            if entry is None:
                if material_id or data.get("material_id") is None:
                    self.fail(f"{where}.material_id", f"事项清单中没有材料 {material_id!r}")
                continue
            received = data.get("received")
            if received not in RECEIVED_VALUES:
                self.fail(
                    f"{where}.received",
                    f"「{entry.name}」收取方式应为 {'/'.join(RECEIVED_VALUES)} 之一",
                )
                continue
            count = data.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
                self.fail(f"{where}.count", f"「{entry.name}」份数应为 0–{MAX_COUNT} 的整数")
                continue
            entry.received_form = received
            if entry.requirement == CONDITIONAL:
                entry.condition_applies = True
            if received == "original":
                entry.originals = count
            elif received == "copy":
                entry.copies = count
            files = self.files(data.get("files"), f"{where}.files")
            if received in (MISSING, DEFICIENCY, NOT_APPLICABLE):
                continue
            entry.pages, entry.file_digest, entry.file_size = files.pages, files.digest, files.size
            entry.override_reason = self.text(data, "override_reason",
                                              f"{where}.override_reason", "说明", TEXT_LIMIT,
                                              multiline=True)
            signature = files.signature
            if signature is not None and signature.status is not SignatureStatus.UNSIGNED:
                entry.signature_status = str(signature.status)
                entry.signature_detail = signature.message

    def decision(self, data) -> Decision | None:
        if not isinstance(data, dict):
            self.fail("decision", "缺少受理决定 decision")
            return None
        action = data.get("action")
        if not isinstance(action, str) or action not in DECISIONS:
            self.fail("decision.action", f"受理决定应为 {'/'.join(DECISIONS)} 之一")
            return None
        promised = None
        promised_text = self.text(data, "promised_date", "decision.promised_date", "承诺补交日期")
        if promised_text:
            try:
                promised = dt.date.fromisoformat(promised_text)
            except ValueError:
                self.fail("decision.promised_date", "承诺补交日期格式应为 YYYY-MM-DD")
        return Decision(
            action=action,
            reason=self.text(data, "reason", "decision.reason", "理由", TEXT_LIMIT, True),
            basis=self.text(data, "basis", "decision.basis", "法律依据", TEXT_LIMIT, True),
            promised_date=promised,
        )


def _ref_problem(ref) -> str | None:
    if ref is None or ref == "":
        return "缺少记录标识 ref"
    if not isinstance(ref, str):
        return f"记录标识 ref 应为字符串，文件中是{_json_type(ref)}"
    return text_problem(ref.strip(), "记录标识 ref", CODE_LIMIT) or (
        None if ref.strip() else "缺少记录标识 ref")


def import_record(service, record, base_dir: Path, now: dt.datetime,
                  allow_outside: bool = False) -> RecordResult:
    """One record's result, whatever the record holds: a record that makes the
    import itself fail (a full disk, a bug) is reported as that record's error,
    and the records after it still get theirs."""
    if not isinstance(record, dict):
        return RecordResult("", False, errors=[FieldError("", "记录应为 JSON 对象")])
    problem = _ref_problem(record.get("ref"))
    if problem:
        # The ref is unusable as a key; shown escaped, never acted on by a terminal.
        shown = visible(record["ref"]) if isinstance(record.get("ref"), str) else ""
        return RecordResult(shown, False, errors=[FieldError("ref", problem)])
    ref = record["ref"].strip()
    try:
        return _import_record(service, record, ref, base_dir, now, allow_outside)
    except Exception as exc:  # noqa: BLE001 - reported as this record's result
        return RecordResult(ref, False, errors=[FieldError("", unexpected_failure(exc))])


def unexpected_failure(exc: BaseException) -> str:
    """One line for a failure no field explains (the database, the disk)."""
    root = root_cause(exc)
    return f"记录未导入：{type(root).__name__}: {visible(str(root)) or '未知错误'}"


def _import_record(service, record: dict, ref: str, base_dir: Path, now: dt.datetime,
                   allow_outside: bool) -> RecordResult:
    earlier = Case.get_or_none(Case.import_ref == ref)
    if earlier is not None:
        return _already(ref, earlier)

    reader = _RecordReader(service, base_dir, now, allow_outside)
    task_code = reader.text(record, "task_code", "task_code", "实施编码")
    handle_item_code = reader.text(record, "handle_item_code", "handle_item_code", "业务办理项编码")
    if not task_code and not reader.errors:
        reader.fail("task_code", "缺少实施编码 task_code")
    if reader.errors:
        return RecordResult(ref, False, errors=reader.errors)
    try:
        # Without a 办理项 code the task_code must name the item unambiguously.
        draft = service.new_draft(ItemKey(task_code, handle_item_code) if handle_item_code
                                  else task_code)
    except IntakeError as exc:
        return RecordResult(ref, False, errors=exc.errors)
    draft.import_ref = ref
    draft.received_at = reader.received_at(record)
    channel = record.get("channel", "window")
    if not isinstance(channel, str) or channel not in CHANNELS:
        reader.fail("channel", f"申请方式应为 {'/'.join(CHANNELS)} 之一")
    else:
        draft.channel = channel
    draft.applicant = reader.applicant(record.get("applicant"))
    if record.get("agent") is not None:
        draft.agent = reader.person(record.get("agent"), "agent", "代理人")
    draft.contact_phone = reader.text(record, "contact_phone", "contact_phone", "联系电话",
                                      PHONE_LIMIT)
    reader.materials(draft, record.get("materials"))
    decision = reader.decision(record.get("decision"))
    if reader.errors or decision is None or draft.received_at is None:
        # Report the record's own field checks too, so one pass shows everything.
        report = service.check(draft, decision)
        seen = {error.field for error in reader.errors}
        extra = [error for error in report.errors if error.field not in seen]
        return RecordResult(ref, False, errors=reader.errors + extra)
    try:
        result = service.commit(draft, decision)
    except DuplicateImport:
        return _already(ref, Case.get(Case.import_ref == ref))
    except IntakeError as exc:
        return RecordResult(ref, False, errors=exc.errors)
    return RecordResult(
        ref,
        True,
        case_number=result.case_number,
        deadline=result.deadline.isoformat() if result.deadline else None,
        deadline_uncertain=result.deadline_uncertain,
        state=result.state,
    )


def _already(ref: str, case: Case) -> RecordResult:
    return RecordResult(
        ref,
        True,
        case_number=case.number,
        deadline=case.deadline.isoformat() if case.deadline else None,
        deadline_uncertain=bool(case.deadline_uncertain),
        state=case.state,
        already_imported=True,
    )


def import_cases(service, path: Path, allow_outside: bool = False) -> list[RecordResult]:
    """Import every record of ``path``.  Attachment paths are resolved against the
    folder of ``path``; one outside that folder is refused unless ``allow_outside``."""
    path = Path(path)
    records = read_document(path)
    now = service.clock()
    base_dir = path.resolve().parent
    return [import_record(service, record, base_dir, now, allow_outside) for record in records]
