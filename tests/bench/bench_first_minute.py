"""The first minute: local reads while the hall starts (issue 17, item 5).

The station of ``bench_startup`` (20,000 items, 100,000 cases) starts as a
clerk's does with no hall configured: the window opens, the catalog index
loads, then the reference hall is started here, the station signs in, the
sync service is launched and the catalog is synced — all in the background.
From the moment the window is usable, the clerk opens an item's guide and a
case's detail every 0.4 s for ``WATCH_S`` seconds; each row is the slowest
of those opens, from the request to the content on screen.  A local read
must never queue behind the hall's start-up (budget 300 ms).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

WATCH_S = 8.0
EVERY_MS = 400
BUDGET_MS = 300.0


def _pick_targets(home: Path):
    """An item's key and a case number from the bench station."""
    from app.catalog.item_key import ItemKey
    from app.catalog.storage import ITEM_TABLE
    from local_store.models import Case
    from local_store.store import Store

    store = Store.open(home)
    try:
        number = Case.select(Case.number).order_by(Case.id.desc()).get().number
        task_code, handle = store.catalog_db.execute_sql(
            f"SELECT task_code, handle_item_code FROM {ITEM_TABLE} ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    return ItemKey(task_code, handle or None), number


def _measure(home: Path) -> dict[str, list[float]]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.settings import Settings
    from ui.application import GuiSession
    from ui.case_detail import CaseDetailDialog

    item_key, number = _pick_targets(home)
    app = QApplication.instance() or QApplication([])
    session = GuiSession(Settings())  # no hall configured: the reference hall starts here
    timings: dict[str, list[float]] = {"guide": [], "case": []}
    loop = QEventLoop()
    state = {"until": 0.0, "n": 0}

    def open_guide() -> None:
        browser = session.window.areas["intake"].browser
        started = time.perf_counter()

        def opened(key) -> None:
            browser.item_opened.disconnect(opened)
            timings["guide"].append((time.perf_counter() - started) * 1000)
            assert key == item_key

        browser.item_opened.connect(opened)
        browser.open_item(item_key)

    def open_case() -> None:
        started = time.perf_counter()
        dialog = CaseDetailDialog(session.workstation, number, session.window)

        def loaded() -> None:
            timings["case"].append((time.perf_counter() - started) * 1000)
            dialog.deleteLater()

        dialog.loaded.connect(loaded)

    def tick() -> None:
        if time.perf_counter() > state["until"]:
            timer.stop()
            QTimer.singleShot(1_000, loop.quit)  # let the last opens land
            return
        (open_guide if state["n"] % 2 == 0 else open_case)()
        state["n"] += 1

    timer = QTimer(interval=EVERY_MS)
    timer.timeout.connect(tick)

    def ready() -> None:
        state["until"] = time.perf_counter() + WATCH_S
        tick()
        timer.start()

    session.ready.connect(ready)
    session.failed.connect(lambda message: (print(message), loop.quit()))
    session.start()
    loop.exec()
    hall_started = session.hall is not None
    if session.window is not None:
        session.window.close()
    session.shutdown()
    app.processEvents()
    if not hall_started:
        raise RuntimeError("the reference hall did not start during the watch")
    return timings


def run() -> list[dict]:
    from tests.bench.bench_startup import _cached_home, _compile_sources

    _compile_sources()
    cached = _cached_home()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        shutil.copytree(cached, home)
        os.environ["ONEWINDOW_HOME"] = str(home)
        os.environ.pop("ONEWINDOW_HALL_URL", None)
        timings = _measure(home)
    rows = []
    for key, name in (("guide", "item guide opens during start-up (hall starting), slowest"),
                      ("case", "case detail opens during start-up (hall starting), slowest")):
        values = timings[key]
        if not values:
            raise RuntimeError(f"no {key} open completed during the watch")
        rows.append({"name": name, "value": max(values), "unit": "ms",
                     "budget": f"≤ {BUDGET_MS:.0f} ms", "ok": max(values) <= BUDGET_MS,
                     "median_ms": statistics.median(values), "opens": len(values)})
    return rows
