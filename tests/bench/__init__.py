"""Benchmarks (``python -m tests.bench [name]``).

The case database is encrypted (issue 12): a benchmark's station is unlocked
as after a sign-in.  Importing this package holds a fixed bench data key in
the process (the bench's own children that import a bench module get it
too); a window started by a bench takes it from a key agent, as the product's
window takes it from a signed-in command-line session (``bench_station_agent``).
The key is fixed so that the homes benches cache between runs stay readable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from local_store.keys import StationKeys, hold

BENCH_KEYS = StationKeys(hashlib.sha256(b"onewindow bench station, not a real key").digest())
hold(BENCH_KEYS)


def bench_station_agent(home: Path, idle_s: float = 600.0):
    """Start the real key agent for ``home`` holding the bench key and record it
    where the window looks (the command line's session file).  Returns its address;
    stop it with ``app.security.agent.stop_agent``."""
    from app.security.agent import start_agent
    from app.staff.session import save_cli_session

    agent = start_agent(home, BENCH_KEYS, idle_s)
    save_cli_session(home, "bench-no-session", "bench", agent.as_dict())
    return agent
