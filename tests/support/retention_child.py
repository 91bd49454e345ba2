"""Child process for the retention SIGKILL test: purges what is due, one case
per writer unit, then sweeps the blobs — to be killed somewhere in between.

    python -m tests.support.retention_child HOME BATCH_SIZE
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from app.retention import run_retention
from app.settings import Settings
from local_store.store import Store


def main(home: Path, batch_size: int) -> None:
    store = Store.open(home)
    try:
        # Due at once: the cases were acknowledged moments ago.
        run_retention(store, Settings(retention_days=0), batch_size=batch_size,
                      account="sigkill-test", sweep_grace=dt.timedelta(0))
    finally:
        store.close()


if __name__ == "__main__":
    from tests.support.station_keys import hold_key_from_stdin

    hold_key_from_stdin()  # the station's key from the parent, by pipe
    main(Path(sys.argv[1]), int(sys.argv[2]))
