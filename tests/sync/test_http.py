"""Failure classification and backoff, against real HTTP servers on loopback."""

from __future__ import annotations

import datetime as dt
import http.server
import random
import threading

import pytest

from sync.http import Backoff, HallClient, HallFailure, LinkBackoff, parse_retry_after


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with the (status, headers, body) set on the server."""

    def _answer(self):
        status, headers, body = self.server.script
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if not headers.get("X-Lie") else
                                              len(body) + 100))
        self.end_headers()
        self.wfile.write(body)
        if headers.get("X-Lie"):
            self.wfile.flush()
            self.connection.close()

    do_GET = do_PUT = do_POST = do_HEAD = do_PATCH = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = HallClient(f"http://127.0.0.1:{server.server_address[1]}", timeout_s=2)
    yield server, client
    client.close()
    server.shutdown()
    server.server_close()


JSON = {"Content-Type": "application/json"}


def failure_for(scripted, status, headers, body) -> HallFailure:
    server, client = scripted
    server.script = (status, headers, body)
    with pytest.raises(HallFailure) as info:
        client.get_json("/health")
    return info.value


def test_success_returns_the_json_object(scripted):
    server, client = scripted
    server.script = (200, JSON, b'{"status": "ok"}')
    assert client.health() == {"status": "ok"}


@pytest.mark.parametrize("status", [408, 409, 425, 500, 502, 503])
def test_transient_statuses_are_retryable(scripted, status):
    failure = failure_for(scripted, status, JSON, b'{"error": "x"}')
    assert failure.retryable and failure.status == status


@pytest.mark.parametrize("status,code,words", [
    (400, "purpose_required", "HTTP 400"),
    (403, "", "HTTP 403"),
    (404, "", "HTTP 404"),
    (422, "number_conflict", "编号冲突"),
    (422, "idempotency_key_reused", "人工核对"),
])
def test_other_4xx_park_with_a_plain_reason(scripted, status, code, words):
    body = f'{{"error": "{code}"}}'.encode() if code else b"{}"
    failure = failure_for(scripted, status, JSON, body)
    assert not failure.retryable
    assert words in failure.message
    assert failure.code == code


def test_401_asks_for_a_new_sign_in(scripted):
    failure = failure_for(scripted, 401, JSON, b'{"error": "unauthorized"}')
    assert failure.needs_sign_in and not failure.retryable
    assert "重新登录" in failure.message


def test_429_honours_retry_after(scripted):
    failure = failure_for(scripted, 429, {**JSON, "Retry-After": "7"}, b'{"error":"rate_limited"}')
    assert failure.retryable and failure.retry_after_s == 7
    assert Backoff(rng=random.Random(1)).delay(1, failure.retry_after_s) >= 7


def test_html_error_page_from_a_gateway(scripted):
    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
    failure = failure_for(scripted, 502, {"Content-Type": "text/html"}, page)
    assert failure.kind == "html_page" and failure.retryable and failure.link_down
    assert "网页" in failure.message


def test_html_page_with_200_is_not_taken_for_data(scripted):
    failure = failure_for(scripted, 200, {"Content-Type": "text/html; charset=utf-8"},
                          "<html><body>请登录 Wi-Fi</body></html>".encode())
    assert failure.kind == "html_page" and failure.retryable


def test_wrong_content_type(scripted):
    failure = failure_for(scripted, 200, {"Content-Type": "text/plain"}, b'{"status": "ok"}')
    assert failure.kind == "content_type" and "JSON" in failure.message


def test_truncated_json(scripted):
    failure = failure_for(scripted, 200, JSON, b'{"status": "o')
    assert failure.kind == "truncated" and failure.retryable


def test_body_cut_before_content_length(scripted):
    failure = failure_for(scripted, 200, {**JSON, "X-Lie": "1"}, b'{"status": "ok"')
    assert failure.kind == "truncated" and failure.retryable


def test_connection_refused_is_a_link_failure():
    client = HallClient("http://127.0.0.1:9", timeout_s=1)
    with pytest.raises(HallFailure) as info:
        client.health()
    assert info.value.kind == "connection" and info.value.link_down
    assert "无法连接大厅" in info.value.message


def test_tls_failure_without_the_ca(hall_factory, tmp_path):
    hall = hall_factory(tls=True)
    client = HallClient(hall.url, timeout_s=5)
    with pytest.raises(HallFailure) as info:
        client.health()
    assert info.value.kind == "tls" and "证书" in info.value.message
    trusted = HallClient(hall.url, ca_bundle=str(hall.ca_cert_path), timeout_s=5)
    assert trusted.health()["status"] == "ok"
    assert trusted.session.verify == str(hall.ca_cert_path)


def test_verify_is_never_switched_off():
    assert HallClient("https://hall.example").session.verify is True


def test_retry_after_as_http_date():
    now = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_grows_with_jitter_caps_and_resets():
    backoff = Backoff(rng=random.Random(7))
    delays = [backoff.delay(n) for n in range(1, 16)]
    assert 0.5 <= delays[0] <= 1.0
    assert all(backoff.ceiling(n) / 2 <= d <= backoff.ceiling(n) for n, d in
               zip(range(1, 16), delays, strict=True))
    assert max(delays) <= 600 and delays[-1] >= 300
    assert len({round(d, 6) for d in delays[-5:]}) == 5  # jittered, not identical
    link = LinkBackoff(backoff)
    for _ in range(10):
        link.failed()
    link.succeeded()
    assert link.failed() <= 1.0
