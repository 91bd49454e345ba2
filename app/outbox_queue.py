"""The outbox as the sync area and the status bar see it: read the queue, retry or
park entries, and read back the sync service's lanes.

The one place the workstation's widgets reach the outbox; the CLI's ``sync``
commands use the same ``sync`` functions underneath.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sync import outbox, parked
from sync.control import read_state
from sync.lanes import LANE_NAMES, LANE_STATUS_LABELS
from sync.summary import queue_rows, queue_summary

__all__ = [
    "park_entries",
    "queue_summary",
    "read_queue",
    "retry_entries",
    "describe_lanes",
]


def read_queue(warning_hours: float, alarm_hours: float, home: Path | None = None):
    """(rows, summary, lane states) for the sync area, in one background read.  The
    lanes (``home`` given) come from the service's state file: for a first paint
    only — after it, the service's own reports arrive by signal; None without."""
    lanes = None
    if home is not None:
        lanes = (read_state(home) or {}).get("lanes") or {}
    return queue_rows(), queue_summary(warning_hours, alarm_hours), lanes


def retry_entries(entry_ids: Iterable[int]) -> None:
    """Send these entries again; a parked entry is rebuilt from its case first.
    Runs inside the store's writer (``store.writer.call``)."""
    for entry_id in entry_ids:
        parked.retry(entry_id)


def parked_by(clerk: str) -> str:
    """The reason stored with an entry a clerk set aside.  Data, not a UI string: in
    the outbox's own language (like its state labels), whatever the window's is."""
    return f"由 {clerk} 人工搁置"


def park_entries(entry_ids: Iterable[int], clerk: str) -> None:
    """Set these entries aside for a person, noting who did.
    Runs inside the store's writer (``store.writer.call``)."""
    reason = parked_by(clerk)
    for entry_id in entry_ids:
        outbox.park(entry_id, reason)


def describe_lanes(lanes: dict) -> str:
    """'办件上报：正常 · 状态回传：大厅不可达，稍后自动重试 …' from the service's lane states."""
    parts = []
    for name, state in lanes.items():
        text = f"{LANE_NAMES.get(name, name)}：{LANE_STATUS_LABELS.get(state.get('status'), '')}"
        if state.get("message"):
            text += f"（{state['message']}）"
        parts.append(text)
    return " · ".join(parts)
