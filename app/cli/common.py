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
    current_settings()  # makes the station's time zone this process's
    store = Store.open(data_dir())
    try:
        yield store
    finally:
        store.close()


def current_settings():
    return load_settings(data_dir())


def print_json(payload) -> None:
    from app.plain_text import json_text_escaped

    # json escapes C0 controls (ESC …) but writes bidi overrides and zero-width
    # characters raw; as \uXXXX escapes the JSON is the same and the terminal safe.
    text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(json_text_escaped(text) + "\n")


def signed_in_clerk(store, settings):
    """The staff account this command acts for; refuses (one line) when nobody is signed in.

    Everything the command records (cases, prints, look-ups, audit rows) is
    recorded under this account.
    """
    from app.cli import CommandError
    from app.staff.session import act_as, cli_identity

    identity = cli_identity(store, settings)
    if identity is None:
        raise CommandError("未登录或登录已超时：请先运行 onewindow user login --user 用户名 "
                           "/ not signed in")
    act_as(settings, identity)
    return identity
