"""Zygote for the intake crash test: imports everything once, forks committers.

Started as a clean subprocess (no Qt, no threads), it reads commands on
stdin.  ``fork SEED LOG`` forks a child that opens the real Store and commits
intake cases through the real writer in a loop, appending each committed
case number to LOG once ``commit`` has returned (and ``begin`` before it
starts); the zygote answers with the
child's pid, and the test SIGKILLs that pid at a random moment.  Children
are reaped automatically (SIGCHLD ignored), so a killed pid disappears.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path

from app.identity import preload_area_table
from app.intake import Decision, IntakeService
from app.settings import Settings
from local_store.store import Store
from tests.support.intake import fill_person, page_png, receive_all_originals
from tests.support.station_keys import hold_key_from_stdin

PERSON_IDS = ["350205199003071239", "35020519880715107X", "110101199003077766"]


def commit_forever(home: Path, seed: int, log_path: Path, task_code: str) -> None:
    rng = random.Random(seed)
    store = Store.open(home)
    service = IntakeService(store, Settings(clerk_name="崩溃测试"))
    with open(log_path, "a", encoding="utf-8") as log:
        while True:
            draft = service.new_draft(task_code)
            fill_person(draft, name="崩溃·测试𠇔", id_number=rng.choice(PERSON_IDS))
            receive_all_originals(draft)
            scanned = draft.material("M01")
            scanned.received_form = "scanned"
            # A new page image now and then, so blob writes happen mid-loop too.
            page = store.blobs.put_bytes(page_png(rng.randrange(1, 30)))
            scanned.pages = [{"digest": page, "kind": "image", "rotation": 0, "pdf_index": 0}]
            if rng.random() < 0.5:
                service.autosave(draft).result()
            log.write("begin\n")  # lets the test tell a kill inside a commit
            log.flush()
            result = service.commit(draft, Decision("accept"))
            log.write(result.case_number + "\n")
            log.flush()


def main() -> None:
    home = Path(sys.argv[1])
    task_code = sys.argv[2]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # auto-reap killed children
    preload_area_table()  # once here, not in every forked committer
    hold_key_from_stdin()  # the first line: the station's key, by pipe
    for line in sys.stdin:
        command, seed, log_path = line.split()
        if command != "fork":
            continue
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                commit_forever(home, int(seed), Path(log_path), task_code)
            except BaseException:  # noqa: BLE001 - reported by exit status only
                status = 1
            os._exit(status)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
