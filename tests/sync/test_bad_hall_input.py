"""Bad answers from "the hall" (gateways, portals, broken TLS): a clear state on the
entry, the queue intact, and everything delivered once the real hall answers."""

from __future__ import annotations

import http.server
import threading

import pytest

from local_store.db import integrity_check
from local_store.models import OutboxEntry
from sync import outbox
from sync.credentials import HallToken
from sync.lanes import OFFLINE, LaneTimings, SyncLanes
from tests.support.producers import create_case
from tests.support.sync_trials import drain, sign_in_token

TIMINGS = LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05, upload_idle_s=0.2)


class BadHall(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status, ctype, body, declared = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(declared or len(body)))
        self.end_headers()
        self.wfile.write(body)
        if declared:
            self.close_connection = True

    do_GET = do_PUT = do_PATCH = do_HEAD = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def bad_hall():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BadHall)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def lanes_for(store, url, token, ca_bundle="") -> SyncLanes:
    return SyncLanes(store, url, ca_bundle=ca_bundle, timeout_s=3, timings=TIMINGS,
                     token_source=lambda: token, catalog_sync=lambda s, u: None)


GATEWAY_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
PORTAL_PAGE = "<html><body>请先登录无线网络</body></html>".encode()

CASES = {
    "html_error_page": ((502, "text/html", GATEWAY_PAGE, 0), "网页"),
    "portal_page_200": ((200, "text/html; charset=utf-8", PORTAL_PAGE, 0), "网页"),
    "truncated_json": ((201, "application/json", b'{"uuid": "x", "numb', 0), "不完整"),
    "cut_body": ((201, "application/json", b'{"uuid": "x"', 500), "不完整"),
    "wrong_content_type": ((201, "text/plain", b'{"uuid": "x"}', 0), "数据类型不对"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_answer_leaves_a_clear_state_and_the_queue_intact(name, store, bad_hall,
                                                              shared_hall):
    answer, words = CASES[name]
    bad_hall.answer = answer
    case = create_case(store)
    before = OutboxEntry.get(OutboxEntry.case == case)
    token = HallToken("t", "350205001", "clerk01", "2099-01-01T00:00:00+00:00")
    lanes = lanes_for(store, f"http://127.0.0.1:{bad_hall.server_address[1]}", token)
    lanes.lanes["upload"].run_once()
    lanes.stop()
    entry = OutboxEntry.get_by_id(before.id)
    assert entry.state == outbox.QUEUED, entry.state
    assert words in entry.last_error, entry.last_error
    assert entry.attempts == 1
    assert entry.manifest == before.manifest and entry.idempotency_key == before.idempotency_key
    assert lanes.snapshot()["upload"].status == OFFLINE
    assert integrity_check(store.case_db) == "ok"

    # The real hall answers again: the very same entry is delivered.
    real = lanes_for(store, shared_hall.url, sign_in_token(shared_hall))
    drain(real, deadline_s=20)
    real.stop()
    assert OutboxEntry.get_by_id(before.id).state == outbox.ACKNOWLEDGED


def test_tls_certificate_that_does_not_verify(store, hall_factory):
    hall = hall_factory(tls=True)
    token = sign_in_token(hall)
    case = create_case(store, attachments=[b"scan"])
    lanes = lanes_for(store, hall.url, token)  # no CA configured: must not trust it
    lanes.lanes["upload"].run_once()
    lanes.stop()
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert entry.state == outbox.QUEUED and "证书" in entry.last_error
    assert "证书" in lanes.snapshot()["upload"].message
    trusted = lanes_for(store, hall.url, token, ca_bundle=str(hall.ca_cert_path))
    drain(trusted, deadline_s=20)
    trusted.stop()
    assert OutboxEntry.get_by_id(entry.id).state == outbox.ACKNOWLEDGED
