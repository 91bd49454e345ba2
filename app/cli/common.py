"""Helpers shared by CLI command modules."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from app.settings import data_dir, load_settings
from local_store.store import Store


@contextmanager
def open_store():
    """Open the station's store for one command and close it afterwards."""
    store = Store.open(data_dir())
    try:
        yield store
    finally:
        store.close()


def current_settings():
    return load_settings(data_dir())


def print_json(payload) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
