"""What a read sends to SQLite, and how SQLite plans it — for the plan tests that
keep reads on their indexes at five years of cases (tests/test_case_search_plan.py,
tests/sync/test_queue_rows_plan.py, tests/prereview/test_prereview_queue_plan.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")
Statement = tuple[str, tuple | list | None]


def record_statements(database, monkeypatch, read: Callable[[], Result]
                      ) -> tuple[Result, list[Statement]]:
    """``read()``'s result and every statement (SQL, parameters) it sent to ``database``."""
    sent: list[Statement] = []
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        sent.append((sql, params))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", recording)
    try:
        result = read()
    finally:
        monkeypatch.undo()
    return result, sent


def plan_lines(database, statement: Statement) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of one recorded statement, one detail text per line."""
    sql, params = statement
    return [row[-1] for row in
            database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()]
