"""Receipt PDF budget (≤ 100 ms): from a committed case in a real store to PDF bytes.

Warm = the window has printed before (fonts registered); cold = the first
receipt of a fresh process, fonts found and parsed — measured in a subprocess.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 100.0
WARM_RUNS = 20
ROOT = Path(__file__).resolve().parents[2]


def _committed_case(home: Path):
    from local_store.store import Store
    from tests.support.printing import make_case

    store = Store.open(home)
    return store, make_case(store)


def _one_receipt(home: str) -> dict:
    """Child process: time the first and then warm receipts."""
    from app import documents
    from app.settings import Settings

    store, case = _committed_case(Path(home))
    settings = Settings()
    started = time.perf_counter()
    documents.render(case.number, "receipt", settings=settings)
    cold = time.perf_counter() - started
    warm, cpu = [], []
    # A4 and roll alternate: load from elsewhere on the machine (a previous bench's
    # children still ending) falls on both rows alike.  Run one after the other, a
    # burst in the first second once put A4 at 32 ms (CPU too) and roll at 18.6.
    for layout in ["a4", "roll"] * WARM_RUNS:
        started, started_cpu = time.perf_counter(), time.process_time()
        documents.render(case.number, "receipt", layout, settings=settings)
        warm.append((layout, time.perf_counter() - started))
        cpu.append((layout, time.process_time() - started_cpu))
    store.close()
    return {
        "cold_ms": cold * 1000,
        "warm_a4_ms": statistics.median(t for layout, t in warm if layout == "a4") * 1000,
        "warm_roll_ms": statistics.median(t for layout, t in warm if layout == "roll") * 1000,
        # CPU time is what the render costs; wall time also shows a busy machine.
        "cpu_a4_ms": statistics.median(t for layout, t in cpu if layout == "a4") * 1000,
    }


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-receipt-") as home:
        child = subprocess.run(
            [sys.executable, "-c",
             "import json, sys; from tests.bench.bench_receipt import _one_receipt; "
             "print(json.dumps(_one_receipt(sys.argv[1])))", home],
            cwd=ROOT, capture_output=True, text=True, check=True,
            env={**os.environ, "ONEWINDOW_HOME": home},
        )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return [
        {"name": "receipt PDF A4 (warm, median)", "value": result["warm_a4_ms"], "unit": "ms",
         "budget": "≤ 100 ms", "ok": result["warm_a4_ms"] <= BUDGET_MS},
        {"name": "receipt PDF 80 mm roll (warm, median)", "value": result["warm_roll_ms"],
         "unit": "ms", "budget": "≤ 100 ms", "ok": result["warm_roll_ms"] <= BUDGET_MS},
        {"name": "receipt PDF A4 (warm, CPU time)", "value": result["cpu_a4_ms"], "unit": "ms",
         "budget": "report", "ok": True},
        {"name": "receipt PDF A4 (cold: first in process, fonts loaded)",
         "value": result["cold_ms"], "unit": "ms", "budget": "report", "ok": True},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
