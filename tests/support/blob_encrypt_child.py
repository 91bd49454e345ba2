"""A process that turns a station's plaintext blobs over to SM4-GCM one at a time,
for tests that SIGKILL it midway.  The key arrives on standard input (hex), as the
sync child gets it from the window: never from a file or the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from local_store.blobs import BlobStore
from local_store.keys import StationKeys, hold
from local_store.store import BLOB_DIR, held_blob_key


def main() -> None:
    hold(StationKeys(bytes.fromhex(sys.stdin.readline().strip())))
    # The blob store of an encrypted station (Store.open: when its case database is).
    blobs = BlobStore(Path(sys.argv[1]) / BLOB_DIR, key_source=held_blob_key)
    print("ready", flush=True)
    while not blobs.encrypt_plaintext(limit=1).done:
        pass


if __name__ == "__main__":
    main()
