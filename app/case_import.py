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
from app.intake import Decision, DraftState, DuplicateImport, FieldError, IntakeError
from app.intake.draft import CHANNELS, CONDITIONAL, DEFICIENCY, MISSING, NOT_APPLICABLE
from app.intake.validation import DECISIONS
from app.scanning.file_import import FileImporter
from app.scanning.interface import PdfPage
from app.scanning.pages import store_page
from app.scanning.validation import FileRefused
from app.signatures import SignatureStatus, SignatureVerdict, station_trust_roots, verify_pdf
from local_store.instants import as_stored, from_station_wall
from local_store.models import Case

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
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImportFormatError(f"找不到文件 {path}") from exc
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


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


class _RecordReader:
    """Turns one record into a draft and a decision, collecting every error."""

    def __init__(self, service, base_dir: Path, now: dt.datetime):
        self.service = service
        self.base_dir = base_dir
        self.now = now
        self.errors: list[FieldError] = []

    def trust_roots(self) -> list:
        return station_trust_roots(self.service.settings)

    def fail(self, where: str, message: str) -> None:
        self.errors.append(FieldError(where, message))

    def received_at(self, record: dict) -> str | None:
        text = _text(record, "received_at")
        if not text:
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
            name=data.get("name") or "",
            id_type=str(data.get("id_type") or "111"),
            id_number=str(data.get("id_number") or ""),
            phone=str(data.get("phone") or ""),
        )

    def applicant(self, data) -> ApplicantInfo:
        if not isinstance(data, dict):
            self.fail("applicant", "缺少申请人信息")
            return ApplicantInfo()
        kind = data.get("kind")
        if kind == "person":
            return ApplicantInfo(
                kind="person",
                name=data.get("name") or "",
                id_type=str(data.get("id_type") or ""),
                id_number=str(data.get("id_number") or ""),
                phone=str(data.get("phone") or ""),
                address=str(data.get("address") or ""),
            )
        if kind == "organisation":
            return ApplicantInfo(
                kind="organisation",
                name=data.get("name") or "",
                id_type="001",
                id_number=str(data.get("uscc") or ""),
                phone=str(data.get("phone") or ""),
                address=str(data.get("address") or ""),
                legal_rep=self.person(data.get("legal_rep"), "applicant.legal_rep", "法定代表人"),
            )
        self.fail("applicant.kind", "申请人类型应为 person 或 organisation")
        return ApplicantInfo()

    def files(self, paths, where: str) -> ImportedFiles:
        """A material's files: one PDF kept as it is, or pages to assemble."""
        if paths is None:
            return ImportedFiles()
        if not isinstance(paths, list):
            self.fail(where, "files 应为路径数组")
            return ImportedFiles()
        blobs = self.service.store.blobs
        importer = FileImporter()
        pages: list[dict] = []
        for index, raw in enumerate(paths):
            path = Path(str(raw))
            path = path if path.is_absolute() else self.base_dir / path
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
            material_id = str(data.get("material_id") or "")
            entry = by_id.get(material_id)
            if entry is None:
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
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                self.fail(f"{where}.count", f"「{entry.name}」份数应为非负整数")
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
            entry.override_reason = str(data.get("override_reason") or "")
            signature = files.signature
            if signature is not None and signature.status is not SignatureStatus.UNSIGNED:
                entry.signature_status = str(signature.status)
                entry.signature_detail = signature.message

    def decision(self, data) -> Decision | None:
        if not isinstance(data, dict):
            self.fail("decision", "缺少受理决定 decision")
            return None
        action = data.get("action")
        if action not in DECISIONS:
            self.fail("decision.action", f"受理决定应为 {'/'.join(DECISIONS)} 之一")
            return None
        promised = None
        if data.get("promised_date"):
            try:
                promised = dt.date.fromisoformat(str(data["promised_date"]))
            except ValueError:
                self.fail("decision.promised_date", "承诺补交日期格式应为 YYYY-MM-DD")
        return Decision(
            action=action,
            reason=str(data.get("reason") or ""),
            basis=str(data.get("basis") or ""),
            promised_date=promised,
        )


def import_record(service, record, base_dir: Path, now: dt.datetime) -> RecordResult:
    if not isinstance(record, dict):
        return RecordResult("", False, errors=[FieldError("", "记录应为 JSON 对象")])
    ref = _text(record, "ref")
    if not ref:
        return RecordResult("", False, errors=[FieldError("ref", "缺少记录标识 ref")])
    earlier = Case.get_or_none(Case.import_ref == ref)
    if earlier is not None:
        return _already(ref, earlier)

    reader = _RecordReader(service, base_dir, now)
    task_code = _text(record, "task_code")
    handle_item_code = _text(record, "handle_item_code")
    try:
        # Without a 办理项 code the task_code must name the item unambiguously.
        draft = service.new_draft(ItemKey(task_code, handle_item_code) if handle_item_code
                                  else task_code)
    except IntakeError as exc:
        return RecordResult(ref, False, errors=exc.errors)
    draft.import_ref = ref
    draft.received_at = reader.received_at(record)
    channel = record.get("channel", "window")
    if channel not in CHANNELS:
        reader.fail("channel", f"申请方式应为 {'/'.join(CHANNELS)} 之一")
    else:
        draft.channel = channel
    draft.applicant = reader.applicant(record.get("applicant"))
    if record.get("agent") is not None:
        draft.agent = reader.person(record.get("agent"), "agent", "代理人")
    draft.contact_phone = _text(record, "contact_phone")
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


def import_cases(service, path: Path) -> list[RecordResult]:
    """Import every record of ``path``; files are resolved relative to it."""
    path = Path(path)
    records = read_document(path)
    now = service.clock()
    return [import_record(service, record, path.resolve().parent, now) for record in records]
