"""A fault-injecting TCP proxy on loopback, between the sync client and the hall.

It forwards bytes both ways and can make the link behave badly:

- ``rtt_s``: round-trip latency (half added in each direction);
- ``rate_bps``: a bandwidth cap shared by all connections, per direction, with
  a bounded in-flight buffer so the sender feels back-pressure like on a real
  slow link (not "sent" into an endless proxy buffer);
- armed one-shot faults counted in bytes delivered in one direction
  (``up`` = client→hall, ``down`` = hall→client): ``reset`` (RST), ``cut``
  (clean close), ``stall`` (forward nothing for ``stall_s``);
- ``offline = True``: every connection is refused/reset (the link is down).

It is bounded: at most ``max_connections`` at once, and it stops itself after
``max_lifetime_s`` so a hung test cannot leave it running.
"""

from __future__ import annotations

import collections
import socket
import struct
import threading
import time
from dataclasses import dataclass

import pytest

UP, DOWN = "up", "down"
RECV_SIZE = 64 * 1024
SEND_SLICE = 16 * 1024
SOCKET_BUFFER = 64 * 1024
# Writing to a reset peer must raise, never raise SIGPIPE (whatever its disposition).
NO_SIGNAL = getattr(socket, "MSG_NOSIGNAL", 0)


@dataclass
class Fault:
    kind: str  # reset | cut | stall
    direction: str  # up | down
    after_bytes: int
    stall_s: float = 0.0


def _abort(sock: socket.socket) -> None:
    """Close with RST instead of FIN.

    A thread blocked in recv() keeps the socket alive past close(); SHUT_RD
    wakes it so the final release (with zero linger) sends the RST now.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _RateGate:
    """A shared pacing clock for one direction: n bytes occupy n / rate seconds."""

    def __init__(self, rate_bps: float | None):
        self.rate = rate_bps
        self._lock = threading.Lock()
        self._free_at = 0.0

    def wait_for(self, nbytes: int) -> None:
        if not self.rate:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._free_at)
            self._free_at = start + nbytes / self.rate
            done_at = self._free_at
        delay = done_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class _Connection:
    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket):
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.closed = threading.Event()
        self._close_lock = threading.Lock()
        self._directions_done = 0

    def start(self) -> None:
        for source, target, direction in (
            (self.client, self.upstream, UP),
            (self.upstream, self.client, DOWN),
        ):
            pipe = _Pipe(self, source, target, direction)
            pipe.start()

    def direction_done(self) -> None:
        """Both directions passed their FIN on: the connection is over."""
        with self._close_lock:
            self._directions_done += 1
            finished = self._directions_done == 2
        if finished:
            self.close()

    def close(self, abort: bool = False) -> None:
        with self._close_lock:
            if self.closed.is_set():
                return
            self.closed.set()
        for sock in (self.client, self.upstream):
            (_abort if abort else _close)(sock)
        self.proxy._forget(self)


class _Pipe:
    """One direction: a reader stamps chunks with their delivery time, a writer paces them."""

    def __init__(self, conn: _Connection, source, target, direction: str):
        self.conn = conn
        self.source = source
        self.target = target
        self.direction = direction
        proxy = conn.proxy
        self.delay = proxy.rtt_s / 2
        bdp = int((proxy.rate_bps or 0) * max(proxy.rtt_s, 0.05))
        self.capacity = max(SOCKET_BUFFER, bdp) if proxy.rate_bps else 4 * 1024 * 1024
        self.queue: collections.deque = collections.deque()
        self.buffered = 0
        self.cond = threading.Condition()
        self.eof = False

    def start(self) -> None:
        name = f"proxy-{self.direction}"
        threading.Thread(target=self._read, name=name + "-r", daemon=True).start()
        threading.Thread(target=self._write, name=name + "-w", daemon=True).start()

    def _read(self) -> None:
        try:
            while not self.conn.closed.is_set():
                try:
                    data = self.source.recv(RECV_SIZE)
                except OSError:
                    data = b""
                with self.cond:
                    if not data:
                        self.eof = True
                        self.cond.notify_all()
                        return
                    while self.buffered >= self.capacity and not self.conn.closed.is_set():
                        self.cond.wait(0.2)
                    self.queue.append((time.monotonic() + self.delay, data))
                    self.buffered += len(data)
                    self.cond.notify_all()
        finally:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def _write(self) -> None:
        proxy = self.conn.proxy
        gate = proxy.gates[self.direction]
        while not self.conn.closed.is_set():
            with self.cond:
                while not self.queue and not self.eof and not self.conn.closed.is_set():
                    self.cond.wait(0.2)
                if self.conn.closed.is_set():
                    return
                if not self.queue:  # eof and drained: pass the FIN on
                    try:
                        self.target.shutdown(socket.SHUT_WR)
                    except OSError:
                        self.conn.close()
                    self.conn.direction_done()
                    return
                due, data = self.queue.popleft()
                self.buffered -= len(data)
                self.cond.notify_all()
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            offset = 0
            while offset < len(data):
                piece, action = proxy._account(self.direction, data[offset:offset + SEND_SLICE])
                if piece:
                    gate.wait_for(len(piece))
                    try:
                        self.target.sendall(piece, NO_SIGNAL)
                    except OSError:
                        self.conn.close(abort=True)
                        return
                    offset += len(piece)
                if action is None:
                    continue
                if action.kind == "stall":
                    time.sleep(action.stall_s)
                    continue
                self.conn.close(abort=action.kind == "reset")
                return


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, rtt_s: float = 0.0,
                 rate_bps: float | None = None, max_connections: int = 64,
                 max_lifetime_s: float = 600.0):
        self.upstream = (upstream_host, upstream_port)
        self.rtt_s = rtt_s
        self.rate_bps = rate_bps
        self.max_connections = max_connections
        self.gates = {UP: _RateGate(rate_bps), DOWN: _RateGate(rate_bps)}
        self.offline = False
        self.bytes = {UP: 0, DOWN: 0}
        self.faults_fired: list[Fault] = []
        self.connections_made = 0
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._connections: set[_Connection] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Small buffers: the sender must feel the slow link, not fill kernel memory.
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._deadline = time.monotonic() + max_lifetime_s
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._thread.start()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    # -- faults ------------------------------------------------------------------
    def arm(self, fault: Fault) -> None:
        """Fire ``fault`` once, after ``after_bytes`` more bytes in its direction."""
        with self._lock:
            fault.after_bytes += self.bytes[fault.direction]
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_offline(self, offline: bool) -> None:
        self.offline = offline
        if offline:
            self.drop_all()

    def drop_all(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.close(abort=True)

    def _account(self, direction: str, piece: bytes) -> tuple[bytes, Fault | None]:
        """Count bytes about to be delivered; cut the piece where an armed fault fires."""
        with self._lock:
            total = self.bytes[direction]
            for fault in self._faults:
                if fault.direction == direction and fault.after_bytes < total + len(piece):
                    keep = max(0, fault.after_bytes - total)
                    self._faults.remove(fault)
                    self.faults_fired.append(fault)
                    self.bytes[direction] += keep
                    return piece[:keep], fault
            self.bytes[direction] += len(piece)
            return piece, None

    # -- plumbing ------------------------------------------------------------------
    def _forget(self, conn: _Connection) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            if time.monotonic() > self._deadline:
                self.stop()
                return
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                crowded = len(self._connections) >= self.max_connections
            if self.offline or crowded:
                _abort(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
                upstream.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
            except OSError:
                _abort(client)
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Connection(self, client, upstream)
            with self._lock:
                self._connections.add(conn)
                self.connections_made += 1
            conn.start()

    def stop(self) -> None:
        self._stopped.set()
        try:
            self._listener.close()
        except OSError:
            pass
        self.drop_all()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def proxy_for(hall, **options) -> FaultProxy:
    """A proxy in front of a running hall (``HallHandle``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(hall.url)
    return FaultProxy(parts.hostname, parts.port, **options)


@pytest.fixture
def fault_proxy_factory():
    """``fault_proxy_factory(hall, rtt_s=..., rate_bps=...)``; all stopped at teardown."""
    made: list[FaultProxy] = []

    def factory(hall, **options) -> FaultProxy:
        proxy = proxy_for(hall, **options)
        made.append(proxy)
        return proxy

    yield factory
    for proxy in made:
        proxy.stop()
