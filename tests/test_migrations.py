"""The shipped migration steps: an old database upgrades, and the models never
drift from what the steps build."""

from __future__ import annotations

import sqlite3

from local_store import db as dbmod
from local_store.migrations import STEPS, backup_path, current_version, migrate
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
    assert migrate(db, path) == len(STEPS)
    assert current_version(db) == len(STEPS)
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
