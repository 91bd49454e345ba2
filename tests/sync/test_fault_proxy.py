"""The fault proxy itself: latency, bandwidth cap, resets, cuts, stalls, bounded."""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from tests.support.fault_proxy import DOWN, UP, Fault, FaultProxy


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture
def echo_proxy():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    made = []

    def make(**options) -> FaultProxy:
        proxy = FaultProxy("127.0.0.1", server.server_address[1], **options)
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.stop()
    server.shutdown()
    server.server_close()


def echo(proxy: FaultProxy, payload: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=timeout) as sock:
        sender = threading.Thread(target=sock.sendall, args=(payload,), daemon=True)
        sender.start()
        received = bytearray()
        while len(received) < len(payload):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return bytes(received)


def test_latency_and_bandwidth(echo_proxy):
    proxy = echo_proxy(rtt_s=0.2, rate_bps=512 * 1024)
    started = time.monotonic()
    assert echo(proxy, b"ping") == b"ping"
    assert time.monotonic() - started >= 0.2  # there and back: one round trip
    payload = bytes(256 * 1024)
    started = time.monotonic()
    assert echo(proxy, payload) == payload
    assert time.monotonic() - started >= 0.5  # 256 KiB at 512 KiB/s, each way


def test_reset_after_n_bytes(echo_proxy):
    proxy = echo_proxy()
    proxy.arm(Fault("reset", UP, after_bytes=1000))
    with pytest.raises(ConnectionResetError):
        echo(proxy, bytes(5000))
    assert proxy.faults_fired


def test_cut_in_the_answer(echo_proxy):
    proxy = echo_proxy()
    proxy.arm(Fault("cut", DOWN, after_bytes=10))
    assert echo(proxy, b"x" * 100) == b"x" * 10


def test_stall_then_continue(echo_proxy):
    proxy = echo_proxy()
    proxy.arm(Fault("stall", DOWN, after_bytes=3, stall_s=0.5))
    started = time.monotonic()
    assert echo(proxy, b"abcdef") == b"abcdef"
    assert time.monotonic() - started >= 0.5


def test_offline_and_connections_are_released(echo_proxy):
    proxy = echo_proxy(max_connections=8)
    for _ in range(40):  # far more than max_connections, one after another
        assert echo(proxy, b"hi") == b"hi"
    deadline = time.monotonic() + 5
    while proxy._connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not proxy._connections
    proxy.set_offline(True)
    with pytest.raises(OSError):
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=2) as sock:
            sock.sendall(b"hi")
            if not sock.recv(10):
                raise ConnectionResetError("closed")


def test_stops_itself(echo_proxy):
    proxy = echo_proxy(max_lifetime_s=0.3)
    deadline = time.monotonic() + 5
    while not proxy._stopped.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proxy._stopped.is_set()
