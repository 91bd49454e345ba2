"""Read-only fetch-back of a case the hall holds (``GET /cases/{uuid}``).

The hall answers only for cases of the token's own station.  Nothing fetched
here is written to the workstation: a case purged by retention stays purged,
and its personal data is shown once, from the hall's record.
"""

from __future__ import annotations

from sync.http import HallClient, HallFailure, json_body


def fetch_held_case(client: HallClient, case_uuid: str) -> dict:
    """The hall's record of ``case_uuid`` (its latest manifest and attachments)."""
    held = json_body(client.request("GET", f"/cases/{case_uuid}"))
    if not isinstance(held.get("manifest"), dict) or held.get("uuid") != case_uuid:
        raise HallFailure("content_type", "大厅返回的办件记录不完整或不是所查办件", False)
    return held
