"""Complete local cases for sync tests, committed through the writer like intake does."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid

from local_store.models import Applicant, Case, CaseMaterial
from sync import outbox

_serial = itertools.count(1)


def _case_number(station: str = "350205001") -> str:
    # Unique per process and per run: the hall rejects one number under two uuids.
    return f"{station}{dt.date.today():%Y%m%d}{os.getpid() % 100000:05d}{next(_serial):06d}"


def create_case(store, attachments: list[bytes] | None = None, event: str = "accept",
                station: str = "350205001", **overrides) -> Case:
    """Create a case with its materials and enqueue it in ONE writer transaction."""
    digests = [(store.blobs.put_bytes(data), len(data)) for data in (attachments or [])]

    def unit() -> Case:
        applicant, _ = Applicant.get_or_create(
            id_type="111",
            id_number="350205199001011234",
            defaults={"kind": "person", "name": "张𠇔·阿依", "phone": "13800000000"},
        )
        now = dt.datetime.now().replace(microsecond=0)
        fields = dict(
            uuid=str(uuid.uuid4()),
            number=_case_number(station),
            task_code="11350205MB0000000X400011111000",
            catalog_code="000101001000",
            item_name="个体工商户设立登记",
            item_version=1,
            project_type="2",
            dept_name="海沧区市场监督管理局",
            dept_code="11350205MB0000000X",
            channel="window",
            state="accepted",
            applicant=applicant,
            applicant_snapshot={
                "kind": "person", "name": applicant.name, "id_type": "111",
                "id_number": applicant.id_number, "phone": "13800000000", "legal_rep": None,
            },
            contact_phone="13800000000",
            station=station,
            clerk="clerk01",
            received_at=now,
            accepted_at=now,
            decided_at=now,
            deadline=dt.date.today() + dt.timedelta(days=3),
        )
        fields.update(overrides)
        case = Case.create(**fields)
        CaseMaterial.create(case=case, material_id="m1", name="登记申请书",
                            requirement="required", received_form="original", originals=1)
        for index, (digest, size) in enumerate(digests, start=2):
            CaseMaterial.create(case=case, material_id=f"m{index}", name=f"扫描件{index}",
                                requirement="required", received_form="scanned",
                                page_count=1, blob_digest=digest, blob_size=size)
        outbox.enqueue(case, event)
        return case

    return store.writer.call(unit)
