"""The key agent of the command line (like ssh-agent): the data key in memory only.

``onewindow user login`` unwraps the signed-in account's key slot and hands
the data key to a small background process through its standard input
(never a file, never the command line or the environment).  The agent
listens on a fresh ``multiprocessing.connection`` address — a Unix socket in
a private (0700) temporary directory, a named pipe on Windows — and answers
only clients that prove the random *authkey* (HMAC challenge).  The address
and authkey are kept in the CLI's ``session.json`` (0600, station home);
neither is the key, and both are worthless once the agent has ended.

Later commands (``case import``, ``case show``, ``print`` …) ask the agent
for the key, open the encrypted database with it and forget it when they
end.  The agent ends at ``onewindow user logout``, after ``idle_lock_minutes``
without a request (the CLI session's idle limit), or when its station home
disappears; the key goes with it.  Someone who can act as the station's
operating-system account while the agent runs can ask it for the key — as
with ssh-agent, that is the boundary; a stolen disk or a copied home never
holds the key.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from local_store.keys import StationKeys

FAMILY = "AF_PIPE" if os.name == "nt" else "AF_UNIX"
AGENT_ARGUMENTS = ["user", "key-agent"]
SESSION_FILE = "session.json"  # app.staff.session.CLI_SESSION_FILE: where the address is kept
START_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class AgentAddress:
    address: str
    authkey: str  # hex

    def as_dict(self) -> dict:
        return {"address": self.address, "authkey": self.authkey}

    @classmethod
    def from_dict(cls, raw: dict | None) -> AgentAddress | None:
        try:
            return cls(str(raw["address"]), str(raw["authkey"]))
        except (KeyError, TypeError):
            return None


def _agent_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the PyInstaller build: the app binary itself
        return [sys.executable, *AGENT_ARGUMENTS]
    return [sys.executable, "-m", "app.cli", *AGENT_ARGUMENTS]


def start_agent(home: Path, keys: StationKeys, idle_s: float) -> AgentAddress:
    """Start an agent holding ``keys``; returns where to reach it."""
    authkey = secrets.token_hex(32)
    process = subprocess.Popen(
        _agent_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, start_new_session=os.name == "posix",
        close_fds=True, text=True)
    hello = json.dumps({"key": keys.data_key.hex(), "authkey": authkey,
                        "idle_s": float(idle_s), "home": str(home)})
    try:
        process.stdin.write(hello + "\n")
        process.stdin.close()
        line = _read_line(process, START_TIMEOUT_S)
    except OSError as exc:
        process.kill()
        raise RuntimeError(f"密钥代理未能启动：{exc}") from exc
    if not line:
        process.kill()
        raise RuntimeError("密钥代理未能启动 / the key agent did not start")
    process.stdout.close()
    return AgentAddress(json.loads(line)["address"], authkey)


def _read_line(process: subprocess.Popen, timeout_s: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()),
                              daemon=True)
    reader.start()
    reader.join(timeout_s)
    return result[0].strip() if result else ""


def _ask(agent: AgentAddress, request: str, timeout_s: float = 5.0):
    from multiprocessing.connection import Client

    connection = Client(agent.address, family=FAMILY, authkey=bytes.fromhex(agent.authkey))
    try:
        connection.send(request)
        if connection.poll(timeout_s):
            return connection.recv()
        return None
    finally:
        connection.close()


def agent_keys(agent: AgentAddress | None) -> StationKeys | None:
    """The data key the agent holds; None when it has ended (or never was)."""
    if agent is None:
        return None
    try:
        answer = _ask(agent, "key")
    except (OSError, EOFError, ValueError):
        return None
    try:
        return StationKeys(bytes.fromhex(answer)) if answer else None
    except (TypeError, ValueError):
        return None


def session_agent(home: Path) -> AgentAddress | None:
    """The agent of the command-line session recorded in the station home, if any."""
    try:
        record = json.loads((Path(home) / SESSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return AgentAddress.from_dict(record.get("agent")) if isinstance(record, dict) else None


def unlock_from_agent(home: Path) -> bool:
    """Hold the station's keys in this process, asked of the command-line session's
    key agent; False when there is none (nobody signed in, logged out, idle too long).
    True at once when this process already holds them."""
    from app.security import keys

    if keys.unlocked():
        return True
    held = agent_keys(session_agent(home))
    if held is None:
        return False
    keys.hold(held)
    return True


def stop_agent(agent: AgentAddress | None) -> bool:
    if agent is None:
        return False
    try:
        return _ask(agent, "stop") == "stopping"
    except (OSError, EOFError, ValueError):
        return False


# --- the agent process ----------------------------------------------------------

def run_agent() -> int:
    """Body of ``onewindow user key-agent``: read the hello from stdin, serve."""
    from multiprocessing.connection import Listener

    hello = json.loads(sys.stdin.readline())
    sys.stdin.close()
    data_key = bytes.fromhex(hello["key"])
    home = Path(hello["home"])
    idle_s = max(1.0, float(hello["idle_s"]))
    listener = Listener(family=FAMILY, authkey=bytes.fromhex(hello["authkey"]))
    if FAMILY == "AF_UNIX":
        os.chmod(listener.address, 0o600)
    sys.stdout.write(json.dumps({"address": listener.address}) + "\n")
    sys.stdout.flush()
    sys.stdout.close()
    last_used = [time.monotonic()]

    def watchdog() -> None:
        while True:
            time.sleep(min(5.0, idle_s / 4))
            if time.monotonic() - last_used[0] > idle_s or not home.exists():
                _end(listener)

    threading.Thread(target=watchdog, daemon=True).start()
    while True:
        try:
            connection = listener.accept()
        except Exception:  # noqa: BLE001 - a client without the authkey: ignore it
            continue
        try:
            request = connection.recv() if connection.poll(5.0) else None
            if request == "key":
                last_used[0] = time.monotonic()
                connection.send(data_key.hex())
            elif request == "stop":
                connection.send("stopping")
                connection.close()
                _end(listener)
        except (OSError, EOFError):
            pass
        finally:
            connection.close()


def _end(listener) -> None:
    try:
        address = listener.address
        listener.close()  # removes the socket file
        if FAMILY == "AF_UNIX":
            os.rmdir(os.path.dirname(address))  # its private directory, now empty
    except OSError:
        pass
    finally:
        os._exit(0)
