"""The sync service's child process for a workstation session: how it is started,
at which priority, and how it is stopped.  No Qt: the window's ``SyncService``
(ui/sync_service.py) only schedules these calls off the GUI thread and reports.

Why a child process at all: lane workers and JSON encoding would compete with the
GUI thread for the interpreter lock, and a crash in sync cannot take the window down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from app.sync_commands import STOP, CommandWriter
from sync.thread_priority import lower_thread_priority

# The child's standard input is the window's pipe: first the station's data key
# (one line: the key of the signed-in window, never a file, an argument or the
# environment), then commands such as "sync now" (app.sync_commands); the child
# stops when it ends, which the system does however the window ends (even
# killed).  Its standard output is the other pipe: lane states and catalog syncs
# as they happen (app.sync_events).  Neither side polls a file.
ARGUMENTS = ["sync", "run", "--background", "--key-from-stdin", "--until-stdin-closes",
             "--events-on-stdout"]


def sync_command() -> tuple[str, list[str]]:
    """(program, arguments) that run ``onewindow sync run`` for this session."""
    if getattr(sys, "frozen", False):  # the PyInstaller build: the app binary itself
        return sys.executable, ARGUMENTS
    return sys.executable, ["-m", "app.cli", *ARGUMENTS]


def sync_environment(home: Path, hall_url: str = "",
                     extra_env: dict[str, str] | None = None) -> dict[str, str]:
    environment = {**os.environ, "ONEWINDOW_HOME": str(home), **(extra_env or {})}
    if hall_url:
        environment["ONEWINDOW_HALL_URL"] = hall_url
    return environment


def spawn_sync_child(program: str, arguments: list[str],
                     environment: dict[str, str]) -> subprocess.Popen:
    """Start the child from a low-priority thread, so that it inherits that priority
    from its first instruction: its start-up (imports) does not compete with the window."""
    started: list[subprocess.Popen] = []

    def spawn() -> None:
        lower_thread_priority()
        started.append(subprocess.Popen(
            [program, *arguments], env=environment,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE))

    spawner = threading.Thread(target=spawn, name="sync-service-spawn")
    spawner.start()
    spawner.join()
    if not started:
        raise RuntimeError("同步服务未能启动")
    child = started[0]
    if "--key-from-stdin" in arguments:
        hand_key_to_child(child)
    return child


def hand_key_to_child(child: subprocess.Popen) -> None:
    """Write the unlocked station's data key down the child's stdin pipe (one hex line)."""
    from app.security.keys import data_key

    try:
        child.stdin.write(data_key().hex().encode("ascii") + b"\n")
        child.stdin.flush()
    except BrokenPipeError:
        pass  # the child has already ended; its exit status says why


def command_writer(child: subprocess.Popen) -> CommandWriter:
    """Where the window sends the child its commands, once the key is handed over."""
    return CommandWriter(child.stdin)


def stop_sync_child(process: subprocess.Popen, commands: CommandWriter | None = None,
                    timeout_s: float = 20.0) -> None:
    """Ask the child to finish what it is doing and end: "stop" and the end of its
    command pipe (the same on every platform, where SIGTERM is a hard kill on
    Windows); a child that does not hear it in time is terminated, then killed."""
    if commands is not None:
        commands.send(STOP)
        commands.close()
    elif process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    if commands is None and process.stdin is not None:
        process.stdin.close()
