"""What the client makes of odd answers from a (real, local) HTTP server:
anything but a well-formed 200 means "go on with paper", never a crash."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.certificates import (
    CertificateClient,
    CertificateRequestRefused,
    CertificateServiceUnavailable,
    PurposeRequired,
)


class ScriptedHall(BaseHTTPRequestHandler):
    answer: tuple[int, str, bytes] = (200, "application/json", b"{}")
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        ScriptedHall.seen.append(self.path)
        status, content_type, body = ScriptedHall.answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHall)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ScriptedHall.seen = []
    client = CertificateClient(f"http://127.0.0.1:{server.server_address[1]}",
                               token=lambda _: "t", timeout_s=2.0)
    yield client
    client.close()
    server.shutdown()
    server.server_close()


def answer(status: int, body, content_type: str = "application/json") -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    ScriptedHall.answer = (status, content_type, raw)


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (503, {"error": "unavailable"}, "application/json"),
        (500, b"<html>Internal error</html>", "text/html"),
        (429, {"error": "rate_limited"}, "application/json"),
        (200, b"<html>captive portal login</html>", "text/html"),
        (200, {"certificates": "none"}, "application/json"),
        (200, {"certificates": ["not an object"]}, "application/json"),
        (200, [1, 2], "application/json"),
    ],
)
def test_unusable_answers_mean_unavailable(scripted, status, body, content_type):
    answer(status, body, content_type)
    with pytest.raises(CertificateServiceUnavailable):
        scripted.lookup("350205199003071239", "person", "办理临时救助")


def test_refusal_keeps_the_halls_code(scripted):
    answer(401, {"error": "unauthorized", "detail": "token expired"})
    with pytest.raises(CertificateRequestRefused) as refused:
        scripted.lookup("350205199003071239", "person", "办理临时救助")
    assert (refused.value.status, refused.value.code) == (401, "unauthorized")


def test_request_carries_holder_type_purpose_and_token(scripted):
    answer(200, {"certificates": []})
    assert scripted.lookup("91350205MA31ABCD2U", "organisation", "办理 营业执照", "CT003") == []
    (path,) = ScriptedHall.seen
    assert path.startswith("/api/v1/certificates?")
    assert "holder_type=organisation" in path and "type=CT003" in path
    assert "purpose=%E5%8A%9E%E7%90%86+%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7" in path


def test_purpose_and_holder_type_checked_before_sending(scripted):
    with pytest.raises(PurposeRequired):
        scripted.lookup("350205199003071239", "person", "")
    with pytest.raises(ValueError, match="holder_type"):
        scripted.lookup("350205199003071239", "company", "办理")
    assert ScriptedHall.seen == []


def test_no_hall_configured_is_unavailable():
    with pytest.raises(CertificateServiceUnavailable, match="未配置"):
        CertificateClient("")
