"""Cases for sync and hall tests, made by the real producers only.

Every manifest a test sends to a hall comes out of ``IntakeService.commit`` (the
outbox entry it queued), never out of a hand-written dict or a hand-made
``Case`` row: a fixture cannot agree with one end of the wire only.

``CaseProducer`` takes in the case shapes the workstation produces — a person,
an organisation with its legal representative, a person with an agent, 补正
then accept, reject, and the on-the-spot conclusion of a 即办件 — optionally
with scanned pages (a real assembled PDF becomes the attachment).

Fixtures: ``case_producer`` (on the test's own ``store``) and
``module_case_producer`` (one station store for a whole module, for tests that
share one hall: case numbers keep counting up, so none is used twice).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

from app.applicants import PersonInfo
from app.catalog.importer import import_catalog_document
from app.catalog.item_key import display_name
from app.intake import Decision, IntakeService
from app.intake.electronic_file import attach_electronic_file
from app.settings import Settings
from local_store.models import Case, OutboxEntry
from local_store.store import Store
from tests.support.catalog import item_ref
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    NOW,
    SENIOR_CARD,
    VALID_AGENT_ID,
    demo_catalog_document,
    fill_organisation,
    fill_person,
    receive_all_originals,
    scan_pages,
)

SHAPES = ("person", "organisation", "agent", "notify_then_accept", "reject", "conclude")
REJECT_REASON = "申请事项不属于本机关职权范围"
REJECT_BASIS = "《中华人民共和国行政许可法》第三十二条第一款第（二）项"

# Valid ID numbers (GB 11643 check digits right) for distinct applicants.
_PERSON_IDS = itertools.cycle(["350205199003071239", "350205197808080037",
                               "350205199203150425"])


@dataclass
class Produced:
    """One case as the workstation committed and queued it."""

    uuid: str
    number: str
    manifests: list[dict]  # every queued decision, oldest first
    attachments: dict[str, bytes] = field(default_factory=dict)  # digest → bytes

    @property
    def manifest(self) -> dict:
        """The latest decision's manifest."""
        return self.manifests[-1]

    @property
    def case(self) -> Case:
        return Case.get(Case.uuid == self.uuid)


class CaseProducer:
    def __init__(self, store: Store, intake: IntakeService, catalog: dict[str, str]):
        self.store = store
        self.intake = intake
        self.catalog = catalog

    def take_in(self, shape: str = "person", scanned_pages: int = 0,
                name: str | None = None) -> Produced:
        """Commit one case of ``shape`` (see SHAPES) through the intake service."""
        if shape not in SHAPES:
            raise ValueError(f"unknown case shape {shape!r}; expected one of {SHAPES}")
        item = {"organisation": FOOD_LICENCE, "conclude": SENIOR_CARD}.get(
            shape, INDIVIDUAL_BUSINESS)
        draft = self.intake.new_draft(self.catalog[item])
        if shape == "organisation":
            fill_organisation(draft)
        else:
            fill_person(draft, name=name or "张三", id_number=next(_PERSON_IDS))
        if shape == "agent":
            draft.agent = PersonInfo(name="王五", id_type="111", id_number=VALID_AGENT_ID,
                                     phone="13900000000")
            for material_id in ("M04", "M05"):  # 委托书 and the agent's ID now needed
                draft.material(material_id).condition_applies = True
        receive_all_originals(draft)
        if scanned_pages:
            first_needed = next(entry for entry in draft.materials if entry.needed)
            scan_pages(self.store, first_needed, scanned_pages)
        if shape == "notify_then_accept":
            waiting = [entry for entry in draft.materials if entry.needed][-1]
            waiting.received_form, waiting.originals = "missing", 0
            notified = self.intake.commit(draft, Decision("notify"))
            draft = self.intake.continue_case(notified.case_number)
            returned = draft.material(waiting.material_id)
            returned.received_form, returned.originals = "original", 1
            result = self.intake.commit(draft, Decision("accept"))
        elif shape == "reject":
            result = self.intake.commit(
                draft, Decision("reject", reason=REJECT_REASON, basis=REJECT_BASIS))
        elif shape == "conclude":
            result = self.intake.commit(draft, Decision("conclude"))
        else:
            result = self.intake.commit(draft, Decision("accept"))
        return self.produced(result.uuid)

    def produced(self, case_uuid: str) -> Produced:
        case = Case.get(Case.uuid == case_uuid)
        entries = (OutboxEntry.select().where(OutboxEntry.case == case)
                   .order_by(OutboxEntry.id))
        manifests = [entry.manifest for entry in entries]
        attachments = {a["sha256"]: self.store.blobs.read(a["sha256"])
                       for manifest in manifests for a in manifest["attachments"]}
        return Produced(case.uuid, case.number, manifests, attachments)


@pytest.fixture
def case_producer(store, intake, intake_catalog) -> CaseProducer:
    return CaseProducer(store, intake, intake_catalog)


@pytest.fixture(scope="module")
def module_case_producer(tmp_path_factory):
    """A station store of its own for a module's tests (they must not use ``store``)."""
    home = tmp_path_factory.mktemp("producer-home")
    store = Store.open(home)
    document = demo_catalog_document()
    import_catalog_document(document, store)
    catalog = {display_name(item): item_ref(item) for item in document["items"]}
    intake = IntakeService(store, Settings(clerk_name="窗口测试员"), clock=lambda: NOW)
    yield CaseProducer(store, intake, catalog)
    store.close()


# --- one case on a test's own store (sync tests) -------------------------------

def material_pdf(payload: bytes) -> bytes:
    """A real PDF carrying ``payload`` byte for byte (same payload, same bytes):
    what a clerk attaches as an electronic file, of a size the test chooses."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.OneWindowTestPayload = pikepdf.Stream(pdf, payload)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def material_digest(payload: bytes) -> str:
    """The digest under which ``create_case(attachments=[payload])`` sends that file."""
    return hashlib.sha256(material_pdf(payload)).hexdigest()


# Per store object (a test's home is its own directory, so no two tests share one).
_intakes: dict[tuple[Path, int], CaseProducer] = {}
_store_runs = itertools.count(1)


def station_intake(store: Store) -> CaseProducer:
    """The store's intake service with the demo catalog (imported on first use)."""
    key = (Path(store.home), id(store))
    producer = _intakes.get(key)
    if producer is None:
        document = demo_catalog_document()
        import_catalog_document(document, store)
        catalog = {display_name(item): item_ref(item) for item in document["items"]}
        # Tests of a module share one hall, which refuses one number under two case
        # uuids: each store numbers its cases with a run mark of its own (a station
        # may configure its pattern so).
        run_mark = f"R{os.getpid() % 100000:05d}{next(_store_runs) % 1000:03d}"
        settings = Settings(clerk_name="窗口测试员",
                            case_number_pattern="{region}{station}{date}" + run_mark + "{seq:04d}")
        intake = IntakeService(store, settings)
        producer = _intakes[key] = CaseProducer(store, intake, catalog)
    return producer


APPLICANTS = ("person", "organisation", "agent")


def create_case(store: Store, attachments: list[bytes] | None = None,
                event: str = "accept", applicant: str = "person") -> Case:
    """Take in one case at the window now, through IntakeService: 个体工商户设立登记
    (a 即办件 for ``conclude``) applied for by ``applicant`` — a person, an
    organisation with its legal representative, or a person through an agent —
    every material an original, and each of ``attachments`` an electronic file
    (``material_pdf``) on its own material.  ``event`` is the decision: accept,
    receive, notify, reject, conclude."""
    if applicant not in APPLICANTS:
        raise ValueError(f"unknown applicant {applicant!r}; expected one of {APPLICANTS}")
    producer = station_intake(store)
    intake = producer.intake
    item = SENIOR_CARD if event == "conclude" else INDIVIDUAL_BUSINESS
    draft = intake.new_draft(producer.catalog[item])
    if applicant == "organisation":
        fill_organisation(draft)
    else:
        fill_person(draft, id_number=next(_PERSON_IDS))
    files = list(attachments or [])
    if applicant == "agent":
        draft.agent = PersonInfo(name="王五", id_type="111", id_number=VALID_AGENT_ID,
                                 phone="13900000000")
    if (applicant == "agent" or len(files) > 3) and item == INDIVIDUAL_BUSINESS:
        for material_id in ("M04", "M05"):  # 委托书 and the agent's ID
            draft.material(material_id).condition_applies = True
    receive_all_originals(draft)
    needed = [entry for entry in draft.materials if entry.needed]
    if len(files) > len(needed):
        raise ValueError(f"at most {len(needed)} attachments per case")
    for entry, payload in zip(needed, files, strict=False):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "材料.pdf"
            path.write_bytes(material_pdf(payload))
            attached = attach_electronic_file(store.blobs, path, limit_bytes=1 << 30)
        entry.received_form = "electronic"
        entry.originals = entry.copies = 0
        entry.file_digest, entry.file_size = attached.digest, attached.size
    if event == "notify":
        waiting = needed[-1]
        waiting.received_form, waiting.originals, waiting.file_digest = "missing", 0, None
        decision = Decision("notify")
    elif event == "reject":
        decision = Decision("reject", reason=REJECT_REASON, basis=REJECT_BASIS)
    else:
        decision = Decision(event)
    result = intake.commit(draft, decision)
    return Case.get(Case.uuid == result.uuid)
