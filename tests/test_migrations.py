"""The shipped migration steps: an old database upgrades, and the models never
drift from what the steps build."""

from __future__ import annotations

import datetime as dt
import sqlite3

from local_store import db as dbmod
from local_store.migrations import LATEST_VERSION, STEPS, backup_path, current_version, migrate
from local_store.models import CASE_MODELS


def schema_of(path) -> tuple[dict[str, list[str]], set[str]]:
    connection = sqlite3.connect(path)
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    columns = {t: sorted(row[1] for row in connection.execute(f'PRAGMA table_info("{t}")'))
               for t in tables}
    indexes = {name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
    connection.close()
    return columns, indexes


def test_migrated_schema_matches_the_models(tmp_path):
    migrated = tmp_path / "migrated.sqlite"
    db = dbmod.open_case_db(migrated)
    migrate(db, migrated)
    db.close()
    fresh = tmp_path / "fresh.sqlite"
    db = dbmod.open_case_db(fresh)
    db.create_tables(CASE_MODELS)
    db.close()
    # A model change without a migration step in local_store/schema fails here.
    assert schema_of(migrated) == schema_of(fresh)


def test_a_version_one_database_upgrades_and_keeps_its_cases(tmp_path):
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    assert migrate(db, path, steps=STEPS[:1]) == 1
    db.execute_sql(
        "INSERT INTO applicant (kind, name, id_type, id_number, phone, address, created_at,"
        " updated_at) VALUES ('person', '张𠇔', '111', '350205199003071239', '', '',"
        " '2026-01-05', '2026-01-05')")
    db.execute_sql(
        'INSERT INTO "case" (uuid, number, task_code, catalog_code, item_name, item_version,'
        " project_type, dept_name, dept_code, channel, state, applicant_id,"
        " applicant_snapshot, contact_phone, station, clerk, received_at,"
        " deadline_uncertain, decision_reason, decision_basis, hall_status, created_at,"
        " updated_at) VALUES ('u-1', 'N1', 'T', 'C', '结婚登记', 1, '1', '', '', 'window',"
        " 'concluded', 1, '{}', '', '350205001', 'clerk', '2026-01-05 09:00', 0, '', '', '',"
        " '2026-01-05', '2026-01-05')")
    db.close()

    db = dbmod.open_case_db(path)
    assert migrate(db, path) == LATEST_VERSION
    assert current_version(db) == LATEST_VERSION
    assert db.execute_sql('SELECT item_name FROM "case"').fetchone() == ("结婚登记",)
    assert db.execute_sql("SELECT name FROM applicant").fetchone() == ("张𠇔",)
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    backup = backup_path(path, 1)
    assert backup.exists()
    assert sqlite3.connect(backup).execute("SELECT MAX(version) FROM schema_version"
                                           ).fetchone() == (1,)


def test_a_failing_step_leaves_the_database_at_its_old_version(tmp_path):
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path, steps=STEPS[:1])

    def broken(database):
        database.execute_sql("CREATE TABLE half_done (id INTEGER)")
        database.execute_sql("THIS IS NOT SQL")

    try:
        migrate(db, path, steps=STEPS[:1] + [broken])
    except Exception:  # noqa: BLE001 - any failure must roll back
        pass
    assert current_version(db) == 1
    assert "half_done" not in db.get_tables()
    db.close()


def test_0005_case_pages_written_before_it_read_as_unrotated_images(tmp_path):
    """Before 0005 a case page was a digest only; every such page was a scanned image
    the clerk had not turned (rotation was not kept), and the step says so."""
    from local_store.models import CasePage

    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    before = [step for step in STEPS if step.version < 5]
    assert migrate(db, path, steps=before) == max(step.version for step in before)
    db.execute_sql("PRAGMA foreign_keys=OFF")  # the page alone matters here, not its case
    db.execute_sql(
        "INSERT INTO case_material (case_id, material_id, name, requirement, received_form,"
        " originals, copies, page_count, blob_size, signature_status, signature_detail,"
        " override_reason, note) VALUES (1, 'M01', '申请书', 'required', 'scanned', 0, 0, 1,"
        " 0, '', '', '', '')")
    db.execute_sql("INSERT INTO case_page (material_id, position, blob_digest)"
                   " VALUES (1, 1, 'ab12')")
    assert migrate(db, path) == LATEST_VERSION
    page = CasePage.get()
    assert (page.blob_digest, page.kind, page.rotation, page.pdf_index) == ("ab12", "image", 0, 0)
    db.close()


def test_a_step_that_lands_after_a_later_numbered_one_still_runs(tmp_path):
    """Steps are numbered in advance and written in parallel: a database that already
    has 0005 gets 0003 when it ships, and its number is 3 on every station."""
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    without_0003 = [step for step in STEPS if step.version != 3]
    assert migrate(db, path, steps=without_0003) == LATEST_VERSION
    assert "handle_item_name" not in _case_columns(db)
    assert migrate(db, path) == LATEST_VERSION
    assert "handle_item_name" in _case_columns(db)
    assert sorted(r[0] for r in db.execute_sql("SELECT version FROM schema_version")) == sorted(
        step.version for step in STEPS)
    assert migrate(db, path) == LATEST_VERSION  # nothing runs twice
    db.close()


def _case_columns(db) -> set[str]:
    return {row[1] for row in db.execute_sql('PRAGMA table_info("case")')}


def _insert_case(db, number: str, task_code: str, handle_item_code, item_name: str) -> None:
    db.execute_sql(
        'INSERT INTO "case" (uuid, number, task_code, catalog_code, handle_item_code, item_name,'
        " item_version, project_type, dept_name, dept_code, channel, state, applicant_id,"
        " applicant_snapshot, contact_phone, station, clerk, received_at, deadline_uncertain,"
        " decision_reason, decision_basis, hall_status, created_at, updated_at) VALUES"
        " (?, ?, ?, 'C', ?, ?, 1, '2', '', '', 'window', 'accepted', NULL, '{}', '',"
        " '350205001', 'clerk', '2026-11-20 09:00', 0, '', '', '', '2026-11-20', '2026-11-20')",
        (f"u-{number}", number, task_code, handle_item_code, item_name))


def test_0003_keys_cases_by_task_and_handle_item_code_and_keeps_them(tmp_path):
    """A station's database as every release before 0003 left it: cases of an item
    without 办理项 (some written with '' instead of NULL) and of one 办理项."""
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    before = [step for step in STEPS if step.version < 3]
    assert migrate(db, path, steps=before) == 2
    _insert_case(db, "N1", "T-FOOD", "T-FOOD001", "食品经营许可（新办）")
    _insert_case(db, "N2", "T-MARRIAGE", None, "结婚登记")
    _insert_case(db, "N3", "T-MARRIAGE", "", "结婚登记")
    db.close()

    db = dbmod.open_case_db(path)
    assert migrate(db, path) == LATEST_VERSION
    rows = db.execute_sql('SELECT number, task_code, handle_item_code, item_name,'
                          ' handle_item_name FROM "case" ORDER BY number').fetchall()
    assert rows == [("N1", "T-FOOD", "T-FOOD001", "食品经营许可（新办）", None),
                    ("N2", "T-MARRIAGE", None, "结婚登记", None),
                    ("N3", "T-MARRIAGE", None, "结婚登记", None)]
    plan = " ".join(str(row) for row in db.execute_sql(
        'EXPLAIN QUERY PLAN SELECT count(*) FROM "case" WHERE task_code = ? AND'
        " handle_item_code IS NULL", ("T-MARRIAGE",)))
    assert "case_task_code_handle_item_code" in plan
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    assert backup_path(path, 2).exists()


def test_0007_adds_the_prereview_queue_to_a_station_with_cases(tmp_path):
    """A station that has cases gets the pre-review tables; its cases stay."""
    from local_store.models import PrereviewApplication

    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path, steps=[step for step in STEPS if step.version < 7])
    assert "prereview_application" not in db.get_tables()
    db.execute_sql(
        "INSERT INTO applicant (kind, name, id_type, id_number, phone, address, created_at,"
        " updated_at) VALUES ('person', '张𠇔', '111', '350205199003071239', '', '',"
        " '2026-01-05', '2026-01-05')")
    assert migrate(db, path) == LATEST_VERSION
    assert 7 in {r[0] for r in db.execute_sql("SELECT version FROM schema_version")}
    PrereviewApplication.create(
        hall_id="YS20261120000001", task_code="T", item_name="公共场所卫生许可",
        applicant={"name": "张𠇔"}, materials=[], hall_state="pending", state="pending",
        submitted_at="2026-11-20 08:30:00", round_submitted_at="2026-11-20 08:30:00",
        due_date="2026-11-24")
    assert PrereviewApplication.get().applicant == {"name": "张𠇔"}
    assert db.execute_sql("SELECT name FROM applicant").fetchone() == ("张𠇔",)
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)


def test_times_written_in_local_time_move_to_utc(tmp_path):
    """Step 0004: a station of the last release (schema 2, Asia/Shanghai
    computer) wrote the case's times and its intake events in local wall time,
    hall updates and bookkeeping in UTC.  After the upgrade every column is UTC
    and the app shows the times the clerk saw."""
    from app.cases import case_detail
    from app.reports.summary import DAILY, summarise

    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    assert migrate(db, path, steps=[step for step in STEPS if step.version <= 2]) == 2
    # Rows exactly as the schema-2 release wrote them: peewee's text for naive values.
    db.execute_sql(
        "INSERT INTO applicant (kind, name, id_type, id_number, phone, address, created_at,"
        " updated_at) VALUES ('person', '张三', '111', '350205199003071239', '', '',"
        " '2026-11-29 16:00:00.250000', '2026-11-29 16:00:00.250000')")
    db.execute_sql(
        'INSERT INTO "case" (uuid, number, task_code, catalog_code, item_name, item_version,'
        " project_type, dept_name, dept_code, channel, state, applicant_id,"
        " applicant_snapshot, contact_phone, station, clerk, received_at, accepted_at,"
        " decided_at, concluded_at, deadline, deadline_uncertain, decision_reason,"
        " decision_basis, hall_status, hall_status_at, created_at, updated_at) VALUES"
        " ('u-1', '3502050012026113000001X', 'T', 'C', '个体工商户设立登记', 1, '2', '', '',"
        " 'window', 'accepted', 1, '{\"name\": \"张三\"}', '', '350205001', 'clerk',"
        " '2026-11-30 00:30:00', '2026-11-30 00:30:00', '2026-11-30 00:30:00.5', NULL,"
        " '2026-12-01', 0, '', '', 'in_process', '2026-11-29 16:45:00.123456',"
        " '2026-11-29 16:30:00.100000', '2026-11-29 16:45:00.200000')")
    for kind, at in (("received", "2026-11-30 00:30:00"), ("accepted", "2026-11-30 00:30:00"),
                     ("hall_status", "2026-11-29 16:40:00.123456"),
                     ("special_procedure", "2026-11-29 17:00:00.000001")):
        db.execute_sql("INSERT INTO case_event (case_id, at, kind, clerk) VALUES (1, ?, ?, '')",
                       (at, kind))
    manifest = ('{"event": "accept", "apply_time": "2026-11-30T00:30:00",'
                ' "accept_time": "2026-11-30T00:30:00", "decided_at": "2026-11-30T00:30:00",'
                ' "promised_date": "2026-12-01"}')
    for key, state, attempts in (("k-sent", "acknowledged", 1), ("k-waiting", "queued", 0),
                                 ("k-tried", "queued", 2)):
        db.execute_sql(
            "INSERT INTO outbox_entry (case_id, idempotency_key, state, attempts, last_error,"
            " next_attempt_at, enqueued_at, manifest) VALUES (1, ?, ?, ?, '',"
            " '2026-11-29 16:30:00', '2026-11-29 16:30:00', ?)", (key, state, attempts, manifest))
    db.close()

    db = dbmod.open_case_db(path)
    assert migrate(db, path) == LATEST_VERSION
    row = db.execute_sql('SELECT received_at, accepted_at, decided_at, concluded_at,'
                         ' hall_status_at, created_at FROM "case"').fetchone()
    assert row == ("2026-11-29 16:30:00", "2026-11-29 16:30:00", "2026-11-29 16:30:00.5", None,
                   "2026-11-29 16:45:00.123456", "2026-11-29 16:30:00.100000")
    events = dict(db.execute_sql("SELECT kind, at FROM case_event").fetchall())
    assert events == {"received": "2026-11-29 16:30:00", "accepted": "2026-11-29 16:30:00",
                      "hall_status": "2026-11-29 16:40:00.123456",
                      "special_procedure": "2026-11-29 17:00:00.000001"}
    manifests = dict(db.execute_sql(
        "SELECT idempotency_key, json_extract(manifest, '$.apply_time') FROM outbox_entry"))
    # Never sent: gets its offset.  Sent or tried: keeps its bytes (idempotency key).
    assert manifests == {"k-sent": "2026-11-30T00:30:00",
                         "k-waiting": "2026-11-30T00:30:00+08:00",
                         "k-tried": "2026-11-30T00:30:00"}
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)

    # The app reads the upgraded rows as the clerk saw them, in order, on the right day.
    detail = case_detail("3502050012026113000001X")
    assert detail["received_at"] == "2026-11-30T00:30:00+08:00"
    assert [e["kind"] for e in detail["events"]] == [
        "received", "accepted", "hall_status", "special_procedure"]
    assert summarise(DAILY, dt.date(2026, 11, 30)).received == 1
    assert summarise(DAILY, dt.date(2026, 11, 29)).received == 0
    db.close()


def test_0009_marks_every_existing_case_whole(tmp_path):
    """Retention: a station upgraded with cases keeps them all whole (purged_at NULL)."""
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path, steps=[step for step in STEPS if step.version < 9])
    assert "purged_at" not in _case_columns(db)
    _insert_case(db, "3502050012026010500001X", "T1", None, "老年人优待证办理")
    assert migrate(db, path) == LATEST_VERSION
    assert 9 in {r[0] for r in db.execute_sql("SELECT version FROM schema_version")}
    assert {"purged_at", "archived_digests"} <= _case_columns(db)
    assert db.execute_sql('SELECT number, purged_at, archived_digests FROM "case"').fetchall() == [
        ("3502050012026010500001X", None, None)]
    indexes = {name for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type='index'")}
    assert "case_state_purged_at" in indexes
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)


def test_0008_rebuilds_evaluation_one_per_decision_point_and_keeps_a_rating(tmp_path):
    """A station at 0007 with a (never written, but possible) rating keeps it as the
    window's rating of the decision; then a second rating of the same case at its
    conclusion is allowed, a second one of the decision is not."""
    import peewee
    import pytest

    from local_store.models import Evaluation

    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path, steps=[step for step in STEPS if step.version < 8])

    def insert_filled(table: str, **values) -> int:
        # Every NOT NULL column a value of its type: what an old station's row holds.
        for _, name, kind, notnull, default, pk in db.execute_sql(
                f'PRAGMA table_info("{table}")').fetchall():
            if name not in values and notnull and default is None and not pk:
                values[name] = 0 if kind.upper().startswith("INTEGER") else (
                    "2026-11-20 01:00:00" if kind.upper() in ("DATETIME", "DATE") else "x")
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        return db.execute_sql(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',
                              list(values.values())).lastrowid

    case_id = insert_filled("case", number="35020500120261120000018", state="accepted",
                            applicant_snapshot="{}", uuid="c1d2e3f4-0000-4000-8000-000000000001")
    insert_filled("evaluation", case_id=case_id, level="基本满意", comment="还行",
                  at="2026-11-20 02:00:00")
    assert migrate(db, path) == LATEST_VERSION
    [kept] = Evaluation.select()
    assert (kept.level, kept.comment, kept.point, kept.round, kept.channel) == (
        "基本满意", "还行", "decision", 1, "window")
    assert len(kept.uuid) == 36 and kept.uuid[14] == "4"
    Evaluation.create(case=case_id, point="conclusion", round=2, level="满意")
    with pytest.raises(peewee.IntegrityError, match="UNIQUE"):
        Evaluation.create(case=case_id, point="decision", round=3, level="满意")
    assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
