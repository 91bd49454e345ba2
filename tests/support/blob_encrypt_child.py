"""A process that turns a station's plaintext blobs over to SM4-GCM one at a time,
for tests that SIGKILL it midway.  The key arrives on standard input (hex), as the
sync child gets it from the window: never from a file or the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from local_store.keys import StationKeys, hold
from local_store.store import Store


def main() -> None:
    hold(StationKeys(bytes.fromhex(sys.stdin.readline().strip())))
    store = Store.open(Path(sys.argv[1]))
    print("ready", flush=True)
    while not store.blobs.encrypt_plaintext(limit=1).done:
        pass
    store.close()


if __name__ == "__main__":
    main()
