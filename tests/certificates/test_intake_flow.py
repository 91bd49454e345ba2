"""The look-up inside a real intake: offline it falls back within the timeout
and the case still commits on paper; online, auto-satisfied materials reach
the committed case as 电子证照 and the receipt's paper list leaves them out."""

from __future__ import annotations

import subprocess
import time

from app.certificates import (
    CertificateService,
    attach_certificate_file,
    auto_satisfy,
    default_purpose,
)
from app.documents import printable_case, render
from app.intake import Decision
from local_store.models import Case, CaseMaterial, OutboxEntry
from tests.certificates.conftest import PERSON
from tests.support.intake import fill_person

PAPER = {"纸质原件", "复印件"}


def receive_rest_on_paper(draft) -> None:
    for entry in draft.materials:
        if entry.needed and entry.received_form == "missing":
            entry.received_form = "original"
            entry.originals = max(1, entry.originals_required)


def test_offline_lookup_falls_back_in_time_and_intake_completes(store, intake, intake_catalog,
                                                                  blackhole, cert_settings):
    draft = intake.new_draft(intake_catalog["临时救助"])
    fill_person(draft, id_number=PERSON)
    cert_settings.hall_url = blackhole
    cert_settings.cert_lookup_timeout_s = 1.0
    service = CertificateService(store, cert_settings, token_source=lambda _: "t")

    started = time.monotonic()
    result = service.lookup(PERSON, "person", default_purpose(draft.item_name),
                            case_uuid=draft.uuid)
    assert time.monotonic() - started < 1.5 and result.offline
    assert auto_satisfy(draft, result) == []

    receive_rest_on_paper(draft)
    committed = intake.commit(draft, Decision(action="accept"))
    case = Case.get(Case.uuid == committed.uuid)
    assert case.number == committed.case_number and case.state == "accepted"
    assert OutboxEntry.select().where(OutboxEntry.case == case).count() == 1
    forms = {m.material_id: m.received_form for m in case.materials}
    assert forms["M02"] == "original"  # the ID card was taken on paper
    service.close()


def test_auto_satisfied_materials_leave_the_paper_receipt(store, intake, intake_catalog,
                                                           cert_service, tmp_path):
    draft = intake.new_draft(intake_catalog["残疾人证新办"])
    fill_person(draft, id_number=PERSON)
    result = cert_service.lookup(PERSON, "person", default_purpose(draft.item_name),
                                 case_uuid=draft.uuid)
    # 张三's ID card is valid; his 户口簿 is revoked and must still come on paper.
    assert auto_satisfy(draft, result) == ["M02"]
    # The certificate's PDF goes with the case as the material's file.
    digest, size = cert_service.store_file(result.usable[0], default_purpose(draft.item_name))
    attach_certificate_file(draft, "M02", digest, size)
    receive_rest_on_paper(draft)
    committed = intake.commit(draft, Decision(action="accept"))

    case = Case.get(Case.uuid == committed.uuid)
    id_card = case.materials.where(CaseMaterial.material_id == "M02").get()
    assert id_card.received_form == "ecert"
    assert id_card.cert_ref["identifier"] == result.usable[0].identifier
    assert (id_card.originals, id_card.copies) == (0, 0)
    assert (id_card.blob_digest, id_card.blob_size) == (digest, size)
    manifest = OutboxEntry.get(OutboxEntry.case == case).manifest
    sent = next(m for m in manifest["materials"] if m["material_id"] == "M02")
    assert (sent["received_form"], sent["digest"]) == ("ecert", digest)
    assert {"sha256": digest, "size": size} in manifest["attachments"]

    printable = printable_case(case, intake.settings)
    taken = [m.name for m in printable.materials]
    assert id_card.name not in taken
    assert [m.name for m in printable.from_certificates] == [id_card.name]
    assert "户口簿" in " ".join(taken)  # revoked in the library: taken on paper

    receipt = tmp_path / "receipt.pdf"  # also left in artifacts for people to read
    receipt.write_bytes(render(case.number, "receipt", settings=intake.settings))
    text = subprocess.run(["pdftotext", "-layout", str(receipt), "-"], capture_output=True,
                          text=True, check=True).stdout
    rows = [line for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert not any(id_card.name in row for row in rows)  # not in the taken-in table
    assert f"经电子证照库核验，免于提交：{id_card.name}" in text.replace("\n", "")
