"""After a SANE scan the workstation still survives a write to a reset connection.

libsane leaves SIGPIPE at its default action (process death) behind Python's
back; the scanner restores "ignore".  Checked in a fresh process, as a clerk's
workstation would meet it: scan a page on a worker thread, then write to a pipe
whose reader is gone.
"""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, sys, threading
    from app.scanning.interface import ScanOptions
    from app.scanning.sane_scanner import SaneScanner

    DEVICE = sys.argv[1]

    def scan():
        job = SaneScanner().scan(DEVICE, ScanOptions(dpi=50))
        next(job)
        job.close()

    worker = threading.Thread(target=scan)
    worker.start()
    worker.join()
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        os.write(write_end, b"x")
    except BrokenPipeError:
        print("survived")
""")


def test_broken_pipe_after_a_scan_raises_instead_of_killing(sane_test_device):
    result = subprocess.run([sys.executable, "-c", SCRIPT, sane_test_device],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "survived"
