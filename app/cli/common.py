"""Helpers shared by CLI command modules."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from app.settings import data_dir, load_settings
from local_store.store import Store

NOT_SIGNED_IN = ("未登录或登录已超时：请先运行 onewindow user login --user 用户名 "
                 "/ not signed in")


@contextmanager
def open_store():
    """Open the station's store for one command and close it afterwards.

    The case database is encrypted: its key comes from this process (held after
    a sign-in) or from the key agent of the command line's session; without
    either the command refuses in one line."""
    from app.cli import CommandError
    from app.security.agent import unlock_from_agent

    current_settings()  # makes the station's time zone this process's
    home = data_dir()
    if not unlock_from_agent(home):
        raise CommandError(NOT_SIGNED_IN)
    store = Store.open(home)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def open_catalog():
    """The catalog cache for a catalog command.  The catalog is public and plain:
    without a signed-in session only the catalog database opens (the case
    database stays closed, encrypted); with one, the whole store."""
    from app.security.agent import unlock_from_agent

    current_settings()
    home = data_dir()
    if unlock_from_agent(home):
        with open_store() as store:
            yield store
        return
    from local_store.store import CatalogStore

    catalog = CatalogStore.open(home)
    try:
        yield catalog
    finally:
        catalog.close()


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
        raise CommandError(NOT_SIGNED_IN)
    act_as(settings, identity)
    return identity
