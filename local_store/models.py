"""Case database tables (peewee), bound through ``local_store.db.case_db``.

The catalog cache has its own file and its own models
(``local_store.catalog_models``).  Enumerated values are stored as their
meaning (``'accepted'``, ``'original'``), never as bare numbers; code tables
that the province may change live in ``app/data``.
"""

from __future__ import annotations

import uuid

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from local_store.db import case_db

# Every time column holds naive UTC (see local_store.instants for the convention).
from local_store.instants import UTCDateTimeField as DateTimeField
from local_store.instants import utcnow


class JSONField(TextField):
    """JSON text; keeps non-ASCII (names, item titles) readable in the file."""

    def db_value(self, value):
        import json

        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        import json

        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = case_db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=utcnow)


class Applicant(BaseModel):
    """A person or organisation seen at the window; found again by ID number."""

    kind = CharField(max_length=16)  # 'person' | 'organisation'
    name = CharField(max_length=200)
    id_type = CharField(max_length=8)  # GA/T 2000.156 code, '001' for USCC
    id_number = CharField(max_length=64)
    phone = CharField(max_length=40, default="")
    address = CharField(max_length=400, default="")
    legal_rep = JSONField(null=True)  # {"name", "id_type", "id_number"}
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        # A search knows the name or the number, not the id_type (0015).
        indexes = ((("id_type", "id_number"), True), (("name",), False),
                   (("id_number",), False))


class CaseNumberSequence(BaseModel):
    """Per-station daily counter; committed with the case, never reused."""

    station = CharField(max_length=16)
    day = CharField(max_length=8)  # yyyymmdd
    last_seq = IntegerField(default=0)

    class Meta:
        indexes = ((("station", "day"), True),)


class Case(BaseModel):
    uuid = CharField(max_length=36, unique=True, default=lambda: str(uuid.uuid4()))
    number = CharField(max_length=40, unique=True)
    # The catalog item is (task_code, handle_item_code); handle_item_code is
    # None for an item without 业务办理项 (see app.catalog.item_key).
    task_code = CharField(max_length=50)
    catalog_code = CharField(max_length=50, default="")
    handle_item_code = CharField(max_length=50, null=True)
    item_name = CharField(max_length=400)  # the item's name (事项名称)
    handle_item_name = CharField(max_length=400, null=True)  # the 办理项's own name
    item_version = IntegerField(default=1)
    project_type = CharField(max_length=4)  # A.6: '1' 即办件, '2' 承诺件
    dept_name = CharField(max_length=200, default="")
    dept_code = CharField(max_length=50, default="")
    channel = CharField(max_length=16, default="window")  # window|online|mail
    state = CharField(max_length=24, index=True)
    applicant = ForeignKeyField(Applicant, backref="cases", null=True)
    # What the applicant looked like when the case was taken (names change).
    applicant_snapshot = JSONField()
    agent = JSONField(null=True)
    contact_phone = CharField(max_length=40, default="")
    station = CharField(max_length=16)
    clerk = CharField(max_length=64)
    received_at = DateTimeField(index=True)  # UTC, like every time column
    accepted_at = DateTimeField(null=True)
    decided_at = DateTimeField(null=True)
    concluded_at = DateTimeField(null=True)
    deadline = DateField(null=True)
    deadline_uncertain = BooleanField(default=False)  # calendar data missing
    decision_reason = TextField(default="")
    decision_basis = TextField(default="")
    deficiency_promise_date = DateField(null=True)
    import_ref = CharField(max_length=200, null=True, unique=True)
    hall_status = CharField(max_length=40, default="")
    hall_status_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    # Retention (app.retention): when the personal data and scans left this
    # workstation (NULL = the case is whole here).  archived_digests is the JSON
    # list of file digests the hall acknowledged, kept as plain text on purpose:
    # the blob sweep reads JSON fields and *digest* columns, and must not keep
    # the purged files alive for it.
    purged_at = DateTimeField(null=True)
    archived_digests = TextField(null=True)

    class Meta:
        # Overdue counts scan unfinished states by deadline; station makes the
        # index covering, so counting never touches the table.  With the hall's
        # status second, cases the hall concluded are skipped by seeks (0016).
        indexes = (
            (("state", "deadline", "station"), False),
            (("state", "hall_status", "deadline", "station"), False),
            (("task_code", "handle_item_code"), False),
            (("state", "purged_at"), False),
        )


# Case search (app.cases.search_cases) by the applicant as the case recorded
# them: indexes on expressions, which peewee's field tuples cannot say (0015).
for _name, _path in (("case_applicant_name", "$.name"),
                     ("case_applicant_id_number", "$.id_number")):
    Case.add_index(SQL(f'CREATE INDEX "{_name}" ON "case" '
                       f"(json_extract(\"applicant_snapshot\", '{_path}'))"))


class CaseMaterial(BaseModel):
    case = ForeignKeyField(Case, backref="materials", on_delete="CASCADE")
    material_id = CharField(max_length=64)
    name = CharField(max_length=400)
    requirement = CharField(max_length=16)  # required|optional|conditional
    # original|copy|electronic|scanned|ecert|missing|deficiency|not_applicable
    received_form = CharField(max_length=16)
    originals = IntegerField(default=0)
    copies = IntegerField(default=0)
    page_count = IntegerField(default=0)
    blob_digest = CharField(max_length=64, null=True)  # the material's PDF
    blob_size = IntegerField(default=0)
    signature_status = CharField(max_length=16, default="")  # valid|invalid|unknown
    signature_detail = TextField(default="")
    cert_ref = JSONField(null=True)  # e-certificate used (identifier, issuer…)
    override_reason = TextField(default="")
    note = TextField(default="")

    class Meta:
        indexes = ((("case", "material_id"), True),)


class CasePage(BaseModel):
    material = ForeignKeyField(CaseMaterial, backref="pages", on_delete="CASCADE")
    position = IntegerField()
    blob_digest = CharField(max_length=64)
    # What app.scanning.pages.Page says of it: an image blob, or page ``pdf_index``
    # of an imported PDF blob; turned ``rotation`` degrees clockwise by the clerk.
    kind = CharField(max_length=8, default="image")
    rotation = IntegerField(default=0)
    pdf_index = IntegerField(default=0)


class CaseEvent(BaseModel):
    """Append-only history of a case (received, notified, accepted…)."""

    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    kind = CharField(max_length=32)
    clerk = CharField(max_length=64, default="")
    detail = JSONField(null=True)

    class Meta:
        # Supervisors' summaries count events by kind over a time range.
        indexes = ((("at", "kind"), False),)


class Draft(BaseModel):
    """Autosaved intake form; offered for resumption after a crash."""

    uuid = CharField(max_length=36, unique=True)
    task_code = CharField(max_length=50, default="")
    case_number = CharField(max_length=40, null=True)  # set when continuing a 补正
    payload = JSONField()
    clerk = CharField(max_length=64, default="")
    updated_at = DateTimeField(default=utcnow)


class OutboxEntry(BaseModel):
    """One case waiting to reach the hall (at-least-once, idempotent hall)."""

    case = ForeignKeyField(Case, backref="outbox", on_delete="CASCADE")
    # Each decision re-sends the case manifest; the key makes replays harmless.
    idempotency_key = CharField(max_length=80, unique=True)
    state = CharField(max_length=16, index=True)  # queued|uploading|sent|acknowledged|parked
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_attempt_at = DateTimeField(default=utcnow, index=True)
    enqueued_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    acknowledged_at = DateTimeField(null=True)
    manifest = JSONField()
    # The decision the manifest reports (its ``decided_at``), kept as a column so
    # the 12-hour rule of 及时率 (app.reports.timeliness) counts in SQL.
    decided_at = DateTimeField(null=True)


class SyncCursor(BaseModel):
    lane = CharField(max_length=32, unique=True)
    cursor = TextField(default="")
    updated_at = DateTimeField(default=utcnow)


class PrintLog(BaseModel):
    case = ForeignKeyField(Case, backref="prints", null=True, on_delete="SET NULL")
    document = CharField(max_length=32)  # receipt|acceptance|completion|rejection|…
    layout = CharField(max_length=8, default="a4")  # a4|roll
    blob_digest = CharField(max_length=64)
    printed_at = DateTimeField(default=utcnow)
    clerk = CharField(max_length=64)
    printer = CharField(max_length=200, default="")
    copies = IntegerField(default=1)
    reprint = IntegerField(default=0)  # 0 = first print
    outcome = CharField(max_length=16, default="printed")  # printed|archived|failed
    error = TextField(default="")


class CertificateLookup(BaseModel):
    """Audit of every e-certificate look-up, with its purpose (用证事由)."""

    at = DateTimeField(default=utcnow)
    clerk = CharField(max_length=64)
    holder_masked = CharField(max_length=64)
    holder_type = CharField(max_length=16)
    cert_type = CharField(max_length=16, default="")
    purpose = CharField(max_length=400)
    case_uuid = CharField(max_length=36, null=True)
    outcome = CharField(max_length=16)  # ok|offline|error
    result_count = IntegerField(default=0)


class CertificateCache(BaseModel):
    """Look-up results kept only for the case at hand; purged after N days."""

    case_uuid = CharField(max_length=36, index=True)
    holder = CharField(max_length=64)
    payload = JSONField()
    fetched_at = DateTimeField(default=utcnow, index=True)


class CalendarOverride(BaseModel):
    """Administrator-maintained working-day data beyond chinesecalendar."""

    day = DateField(unique=True)
    is_workday = BooleanField()
    note = CharField(max_length=200, default="")


class CoveredYear(BaseModel):
    """Years whose holiday schedule an administrator entered in full."""

    year = IntegerField(unique=True)
    note = CharField(max_length=200, default="")


class Evaluation(BaseModel):
    """好差评: the applicant's rating of one decision point of a case.

    一事一评 (GB/T 39734): a case may be rated once at each decision point —
    ``decision`` (the window's answer: accepted, 补正, rejected) and
    ``conclusion`` (办结) — so at most twice; ``round`` says whether it was the
    case's first or second rating.  The level is stored as its meaning
    (GB/T 39046 A.8 numbers it 1 非常满意 … 5 非常不满意; other interfaces
    invert it, see app.evaluation).  ``uuid`` is the hall's idempotency key;
    a rating given by QR on the hall's page arrives with the hall's uuid.
    """

    uuid = CharField(max_length=36, unique=True, default=lambda: str(uuid.uuid4()))
    case = ForeignKeyField(Case, backref="evaluations", on_delete="CASCADE")
    point = CharField(max_length=16)  # decision|conclusion
    round = IntegerField(default=1)  # 1 first, 2 second rating of the case
    level = CharField(max_length=16)  # 非常满意|满意|基本满意|不满意|非常不满意
    comment = TextField(default="")
    channel = CharField(max_length=8, default="window")  # window|qr|sms
    clerk = CharField(max_length=64, default="")  # signed-in clerk at the counter
    at = DateTimeField(default=utcnow, index=True)
    # Delivery to the hall: queued|acknowledged|parked; from_hall = the hall sent it.
    sync_state = CharField(max_length=16, default="queued", index=True)
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_attempt_at = DateTimeField(default=utcnow)
    acknowledged_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("case", "point"), True),)


class Rectification(BaseModel):
    """整改: a bad rating (不满意/非常不满意) verified, rectified and answered by the
    supervisor within a working-day limit (``due_date`` on the station calendar)."""

    evaluation = ForeignKeyField(Evaluation, backref="rectifications", unique=True,
                                 on_delete="CASCADE")
    opened_at = DateTimeField()
    due_date = DateField(index=True)
    due_uncertain = BooleanField(default=False)  # calendar data missing for a day counted
    state = CharField(max_length=8, default="open", index=True)  # open|closed
    result = TextField(default="")
    closed_by = CharField(max_length=64, default="")
    closed_at = DateTimeField(null=True)


class CaseFee(BaseModel):
    """收费: the amount the clerk confirmed at acceptance and its payment.

    GB/T 39046 payment fields: 缴款单号 (``notice_no``), 收费单位 (``payee``),
    收费人员 (``confirmed_by``), 收费金额 (``amount_fen``, in fen so sums are
    exact), 收费时间 (``paid_at``), 缴款人 (``payer``).  ``payment_code`` is the
    20-digit 缴款码 of the non-tax platform; ``confirmation_id`` the platform's
    confirmation, applied once.
    """

    case = ForeignKeyField(Case, backref="fees", unique=True, on_delete="CASCADE")
    items = JSONField()  # [{"name", "standard", "basis", "amount_fen"}]
    amount_fen = IntegerField()
    payee = CharField(max_length=200)
    payer = CharField(max_length=200)
    payment_code = CharField(max_length=20, unique=True)
    notice_no = CharField(max_length=50, unique=True)
    confirmed_by = CharField(max_length=64)
    confirmed_at = DateTimeField()
    state = CharField(max_length=12, default="unpaid", index=True)  # unpaid|paid|refunded
    paid_at = DateTimeField(null=True)
    paid_channel = CharField(max_length=32, default="")
    confirmation_id = CharField(max_length=64, null=True, unique=True)
    refunded_at = DateTimeField(null=True)
    refund_note = TextField(default="")


class StaffAccount(BaseModel):
    """A hall staff account as this station knows it (names, role, last sign-in).

    Offline sign-in and the failure count moved to the account's key slot
    (``app.security.keys``, outside the encrypted database; migration 0011
    cleared the hashes): ``password_hash`` stays NULL, ``failed_attempts`` and
    ``locked_until`` are reset at each sign-in.
    """

    account = CharField(max_length=64, unique=True)
    display_name = CharField(max_length=64, default="")
    role = CharField(max_length=16, default="clerk")  # clerk|supervisor|administrator
    password_hash = CharField(max_length=200, null=True)
    hall_verified_at = DateTimeField(null=True)  # UTC
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)  # UTC
    last_sign_in_at = DateTimeField(null=True)  # UTC


class StaffSession(BaseModel):
    """A signed-in clerk at this station (the window, or a CLI session).

    Only the SHA-256 of the session id is kept here; the id itself lives in the
    window's memory or the CLI's 0600 session file and is worthless once ended.
    """

    session_sha256 = CharField(max_length=64, unique=True)
    account = CharField(max_length=64, index=True)
    kind = CharField(max_length=8)  # window|cli
    started_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
    end_reason = CharField(max_length=16, default="")  # logout|idle|switch|closed


class AuditEvent(BaseModel):
    """Append-only, SM3 hash-chained audit trail (GB/T 22239-2019 8.1.4.3).

    ``at`` is ISO 8601 UTC text with its offset so the hashed bytes never
    depend on how a driver formats a datetime.  Triggers refuse UPDATE and
    DELETE; the chain (and the head kept beside the database) catches what
    goes around them.
    """

    at = CharField(max_length=40, index=True)
    station = CharField(max_length=16)
    account = CharField(max_length=64)
    event = CharField(max_length=32, index=True)
    object = CharField(max_length=200, default="")
    outcome = CharField(max_length=16)  # ok|refused|failed
    detail = TextField(default="")
    prev_hash = CharField(max_length=64)
    row_hash = CharField(max_length=64)


class PrereviewApplication(BaseModel):
    """An application submitted online (网上申报) routed to this station.

    Mirrors the hall's record as last pulled; ``state`` is the station's view
    (a decision taken here counts at once, before the hall hears of it).
    Times are UTC; ``due_date`` is the station's working day by which the
    current round must be pre-reviewed.
    """

    hall_id = CharField(max_length=40, unique=True)
    ref = CharField(max_length=100, default="")
    task_code = CharField(max_length=50)
    handle_item_code = CharField(max_length=50, null=True)
    item_name = CharField(max_length=200)
    dept_name = CharField(max_length=200, default="")
    dept_code = CharField(max_length=50, default="")
    applicant = JSONField()
    agent = JSONField(null=True)
    contact_phone = CharField(max_length=40, default="")
    materials = JSONField()  # [{"material_id", "name", "files": [{"name", "sha256", …}]}]
    round = IntegerField(default=1)
    hall_state = CharField(max_length=16)  # pending|passed|returned|rejected at the hall
    state = CharField(max_length=16)  # the same values, as this station sees it
    submitted_at = DateTimeField()  # first submission: kept through 补正 rounds
    round_submitted_at = DateTimeField()
    due_date = DateField()
    due_uncertain = BooleanField(default=False)
    decision = JSONField(null=True)  # the current round's decision, once taken
    case_number = CharField(max_length=40, null=True)
    files_missing = IntegerField(default=0)  # files not yet downloaded
    pulled_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("state", "due_date"), False),)


# The pre-review queue's own index (0017): its order and every column it shows,
# the applicant's name and ID number as app.prereview.load_queue spells them.
PrereviewApplication.add_index(SQL(
    'CREATE INDEX "prereview_application_queue" ON "prereview_application" ("state", '
    '"due_date", "round_submitted_at", "hall_id", "item_name", "dept_name", '
    "json_extract(\"applicant\", '$.name'), json_extract(\"applicant\", '$.id_number'), "
    '"submitted_at", "due_uncertain", "round", "files_missing")'))


class PrereviewDecision(BaseModel):
    """A pre-review decision waiting to reach the hall (delivered once:
    ``decision_id`` is the hall's idempotency key)."""

    application = ForeignKeyField(PrereviewApplication, backref="decisions",
                                  on_delete="CASCADE")
    decision_id = CharField(max_length=64, unique=True)
    round = IntegerField()
    decision = CharField(max_length=8)  # pass|return|reject
    reason = TextField(default="")
    basis = TextField(default="")
    missing = JSONField()  # [{"material_id", "name"}]
    case_number = CharField(max_length=40, null=True)
    decided_by = CharField(max_length=64)
    decided_at = DateTimeField()
    dept_name = CharField(max_length=200, default="")  # for the reports, per department
    state = CharField(max_length=16, index=True)  # queued|acknowledged|parked
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_attempt_at = DateTimeField(default=utcnow)
    acknowledged_at = DateTimeField(null=True)
    # The station's SM2 signature (hex r‖s) over the decision's canonical bytes
    # (contracts.signed.decision_bytes), made when the clerk decided.
    signature = TextField(default="")


class StationSigningKey(BaseModel):
    """The station's SM2 key pair that signs its pre-review decisions.

    Made at the first decision and kept in the case database (which the
    encryption at rest of issue 12 covers); the hall learns the public key once
    (``PUT /stations/signing-key``) and verifies every decision against it.
    ``registered_hall`` is the hall URL that acknowledged the key ('' = none yet).
    """

    station = CharField(max_length=16, unique=True)
    private_key = TextField()
    public_key = TextField()
    created_at = DateTimeField(default=utcnow)
    registered_hall = TextField(default="")
    registered_at = DateTimeField(null=True)


class DaySignoff(BaseModel):
    """The supervisor's end-of-day sign-off of one station day (app.reports.end_of_day);
    ``figures`` is the reconciliation as it stood when signed."""

    station = CharField(max_length=16)
    day = DateField()
    signed_by = CharField(max_length=64)
    signed_at = DateTimeField(default=utcnow)
    figures = JSONField()

    class Meta:
        indexes = ((("station", "day"), True),)


class PeriodReport(BaseModel):
    """A 周报/月报, or a day's sign-off, on its way to the hall (sync.period_reports).

    ``body`` is what the contract ``period_report`` states, frozen when made: the
    hall keeps what the supervisor sent, not what the figures became later.  A
    report sent again for the same period is a new row (the hall keeps the latest)."""

    uuid = CharField(max_length=36, unique=True, default=lambda: str(uuid.uuid4()))
    kind = CharField(max_length=16)  # weekly|monthly|day_signoff
    station = CharField(max_length=16)
    period_start = DateField()
    period_end = DateField()
    body = JSONField()
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    # Delivery to the hall: queued|acknowledged|parked.
    sync_state = CharField(max_length=16, default="queued", index=True)
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_attempt_at = DateTimeField(default=utcnow)
    acknowledged_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("kind", "station", "period_start"), False),)


CASE_MODELS = [
    SchemaVersion,
    Applicant,
    CaseNumberSequence,
    Case,
    CaseMaterial,
    CasePage,
    CaseEvent,
    Draft,
    OutboxEntry,
    SyncCursor,
    PrintLog,
    CertificateLookup,
    CertificateCache,
    CalendarOverride,
    CoveredYear,
    Evaluation,
    Rectification,
    CaseFee,
    StaffAccount,
    StaffSession,
    AuditEvent,
    PrereviewApplication,
    PrereviewDecision,
    StationSigningKey,
    DaySignoff,
    PeriodReport,
]
