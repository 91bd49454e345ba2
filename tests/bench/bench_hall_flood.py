"""Body flood without a token: 50 clients each send an 80 MB JSON body to the
case route of a real hall subprocess, none with a token.

The hall's gate answers 401 before reading a byte of the body and uvicorn
discards what still arrives, so the hall's memory must stay flat (budget: peak
resident ≤ 300 MB, whole process life) and every client must hear its refusal
within 1 s of connecting, while the others are still sending.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
import uuid as uuidlib
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.hall import start_hall

CLIENTS = 50
BODY_BYTES = 80 * 1024 * 1024
PIECE = b"[" + b"0," * (512 * 1024 - 1)  # 1 MiB of a JSON array that never ends


def _proc_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _flood_one(host: str, port: int, refusals: list, statuses: list, sent_bytes: list) -> None:
    head = (f"PUT /api/v1/cases/{uuidlib.uuid4()} HTTP/1.1\r\nHost: hall\r\n"
            f"Content-Type: application/json\r\nIdempotency-Key: flood\r\n"
            f"Content-Length: {BODY_BYTES}\r\n\r\n").encode()
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=30) as sock:
        answered = threading.Event()

        def listen() -> None:
            try:
                reply = sock.recv(4096)
            except OSError:
                reply = b""
            refusals.append(time.monotonic() - started)
            statuses.append(int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0)
            answered.set()

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        sock.sendall(head)
        sent = 0
        try:
            while sent < BODY_BYTES:  # an attacker keeps sending after the answer
                sock.sendall(PIECE)
                sent += len(PIECE)
        except OSError:
            pass  # the hall closed the connection: the attacker is done
        sent_bytes.append(sent)
        answered.wait(30)


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as tmp:
        hall = start_hall(Path(tmp) / "hall")
        try:
            parts = urlsplit(hall.url)
            pid = hall.process.pid
            before = _proc_kib(pid, "VmRSS")
            refusals: list[float] = []
            statuses: list[int] = []
            sent_bytes: list[int] = []
            sampled = [before]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    sampled.append(_proc_kib(pid, "VmRSS"))
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.monotonic()
            clients = [threading.Thread(target=_flood_one,
                                        args=(parts.hostname, parts.port, refusals, statuses,
                                              sent_bytes))
                       for _ in range(CLIENTS)]
            for client in clients:
                client.start()
            for client in clients:
                client.join(120)
            elapsed = time.monotonic() - started
            done.set()
            sampler.join()
            peak_mb = _proc_kib(pid, "VmHWM") / 1024
            healthy = hall.process.poll() is None
        finally:
            hall.stop()
    slowest = max(refusals) if refusals else float("inf")
    all_refused = len(statuses) == CLIENTS and set(statuses) == {401}
    print(f"flood: {CLIENTS} clients sent {sum(sent_bytes) / 2**20:.0f} MB of "
          f"{CLIENTS * BODY_BYTES / 2**20:.0f} MB in {elapsed:.1f} s; statuses "
          f"{sorted(set(statuses))}; hall RSS {before / 1024:.0f} → max sampled "
          f"{max(sampled) / 1024:.0f} MB, VmHWM {peak_mb:.0f} MB")
    return [
        {"name": "hall: body flood 50 × 80 MB without token, peak memory", "value": peak_mb,
         "unit": "MB", "budget": "≤ 300 MB", "ok": peak_mb <= 300 and healthy},
        {"name": "hall: body flood, slowest 401 after connect", "value": slowest * 1000,
         "unit": "ms", "budget": "≤ 1000 ms", "ok": slowest <= 1.0 and all_refused},
    ]
