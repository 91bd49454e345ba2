"""``make bench``: run every ``tests/bench/bench_*.py`` and print one table.

Each bench module exposes ``run() -> list[dict]``; a row is
``{"name", "value", "unit", "budget", "ok"}`` (budget as text, e.g. "≤ 5 ms").
Results are also written to ``tests/bench/results.json`` — by a full run only;
a run of some benches (``python -m tests.bench catalog``) writes
``results-partial.json`` so that the full table is not lost.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    only = sys.argv[1:]
    rows: list[dict] = []
    target = HERE / ("results-partial.json" if only else "results.json")
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(word in path.stem for word in only):
            continue
        module = importlib.import_module(f"tests.bench.{path.stem}")
        try:
            rows.extend(module.run())
        except Exception as exc:  # noqa: BLE001 - one broken bench must not hide the rest
            traceback.print_exc()
            rows.append({"name": path.stem, "value": None, "unit": "", "budget": "",
                         "ok": False, "error": repr(exc)})
        # After every module: a run cut short (a long bench, a closed session)
        # keeps the rows it measured.
        target.write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    width = max([len(r["name"]) for r in rows] + [10])
    print(f"{'benchmark':<{width}}  {'measured':>14}  {'budget':<14} ok")
    for r in rows:
        value = "error" if r["value"] is None else f"{r['value']:.3g} {r['unit']}"
        print(f"{r['name']:<{width}}  {value:>14}  {r['budget']:<14} {'yes' if r['ok'] else 'NO'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
