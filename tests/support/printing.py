"""Printing fixtures: committed cases taken in through the real IntakeService,
and readers for the PDFs (pdftotext, pdftoppm + zbarimg) as a person would."""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.applicants import ApplicantInfo, PersonInfo
from app.catalog.importer import import_catalog_document, import_catalog_file
from app.catalog.item_key import display_name
from app.certificates import satisfy_with
from app.certificates.verification import verify_certificate
from app.intake import Decision, IntakeService
from app.settings import Settings
from local_store.models import Case
from tests.support.catalog import item_ref
from tests.support.certificates import TEST_PUBLIC_KEY, make_certificate

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
SOLE_TRADER = "个体工商户设立登记"
RARE_NAME = "王\U000201d4明"  # 𠇔 is CJK Extension B
FULL_ID = "350205199003071239"  # a valid resident ID (check digit right); never printed in full
# Friday 27 Nov 2026 09:30 at the station (Beijing wall time).
RECEIVED_AT = dt.datetime(2026, 11, 27, 9, 30)
CLERK = "李窗口"
# What each test state is, as the decision the clerk takes at the window.
DECISIONS = {"accepted": "accept", "needs_completion": "notify", "rejected": "reject",
             "received": "receive", "concluded": "conclude"}


def demo_item(name: str = SOLE_TRADER) -> dict:
    items = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["items"]
    return next(item for item in items if display_name(item) == name)


def load_demo_item(store, name: str = SOLE_TRADER, catalog: dict | None = None) -> dict:
    """Import the demo catalog (or ``catalog``, a catalog document) into the store's
    cache with the real importer → the item called ``name``."""
    if catalog is None:
        import_catalog_file(DEMO_CATALOG, store)
        return demo_item(name)
    import_catalog_document(catalog, store)
    return next(item for item in catalog["items"] if display_name(item) == name)


def _receive_as_ecert(draft, entry, holder: str) -> None:
    """The clerk's F7 look-up found a valid certificate of the holder for this material
    (verified with the library's key, as the certificate service does)."""
    raw = make_certificate(holder, entry.cert_type_code)
    satisfy_with(draft, entry.material_id,
                 verify_certificate(raw, TEST_PUBLIC_KEY, holder, "person"))


def make_case(store, *, state: str = "accepted", received_forms: dict[str, str] | None = None,
              applicant_name: str = RARE_NAME, id_number: str = FULL_ID,
              agent: dict | None = None, item_name: str = SOLE_TRADER,
              received_at: dt.datetime = RECEIVED_AT, reason: str = "", basis: str = "",
              promised_date: dt.date | None = None, catalog: dict | None = None,
              station_code: str = "001") -> Case:
    """A case taken in at the window through ``IntakeService.commit``.

    ``state`` names the decision (accepted, needs_completion, rejected, received,
    concluded); ``received_forms`` maps catalog material id → how it came in
    ("ecert" = from the certificate library); every other needed material is a
    paper original.  ``agent`` ({name, id_type, id_number}) makes the agent's
    materials needed; ``received_at`` is the station's wall clock at the window;
    ``catalog`` a catalog document to import instead of the demo catalog;
    ``station_code`` the window's station within the district.
    """
    item = load_demo_item(store, item_name, catalog)
    forms = received_forms or {}
    settings = Settings(clerk_name=CLERK, station_code=station_code)
    service = IntakeService(store, settings, clock=lambda: received_at)
    draft = service.new_draft(item_ref(item))
    draft.applicant = ApplicantInfo(kind="person", name=applicant_name, id_type="111",
                                    id_number=id_number, phone="13800000000")
    if agent:
        draft.agent = PersonInfo(phone="13900000000", **agent)
    for entry in draft.materials:
        if agent and entry.requirement == "conditional":
            entry.apply_condition(True)
        form = forms.get(entry.material_id, "original" if entry.needed else None)
        if form == "ecert":
            _receive_as_ecert(draft, entry, id_number)
        elif form is not None:
            entry.receive_as(form)
    decision = Decision(DECISIONS[state], reason=reason, basis=basis,
                        promised_date=promised_date)
    result = service.commit(draft, decision)
    return Case.get(Case.uuid == result.uuid)


def pdf_text(path: Path) -> str:
    # Reading order (not -layout): a table cell that wraps stays one run of text.
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def decoded_symbols(path: Path, tmp_path: Path, dpi: int = 200) -> list[str]:
    """Render page 1 at ``dpi`` and return what zbarimg reads: 'CODE-128:…', 'QR-Code:…'."""
    prefix = tmp_path / f"{path.stem}-scan"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(path),
                    str(prefix)], check=True)
    image = next(tmp_path.glob(f"{prefix.name}*.png"))
    result = subprocess.run(["zbarimg", "--quiet", str(image)], capture_output=True, text=True,
                            check=False)
    return result.stdout.splitlines()


@pytest.fixture
def poppler_and_zbar():
    missing = [tool for tool in ("pdftotext", "pdftoppm", "zbarimg") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"PDF checks need {', '.join(missing)} (make test installs "
                    "poppler-utils and zbar-tools)")


CUPS_QUEUE = "OneWindowPDF"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


@dataclass
class CupsPdfPrinter:
    queue: str
    output_dir: Path

    def printed_files(self) -> dict[Path, tuple[int, int, int]]:
        """Each PDF in the output folder with what tells a rewrite apart: inode,
        size and modification time.  cups-pdf reuses a file name for a job title it
        has seen before (a case number printed in an earlier run), so a new job can
        arrive as a changed file rather than a new path."""
        files = {}
        if self.output_dir.is_dir():
            for path in self.output_dir.glob("*.pdf"):
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue
                files[path] = (info.st_ino, info.st_size, info.st_mtime_ns)
        return files


def _scheduler_running() -> bool:
    result = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    return "is running" in result.stdout and "not" not in result.stdout


def _cups_pdf_output_dir() -> Path:
    """cups-pdf's ``Out`` directive for jobs of the current user."""
    out = "/var/spool/cups-pdf/${USER}"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip().startswith("Out "):
                out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def _cups_pdf_model() -> list[str]:
    models = subprocess.run(["lpinfo", "-m"], capture_output=True, text=True,
                            check=False).stdout.splitlines()
    for line in models:
        if "cups-pdf" in line.lower():
            return ["-m", line.split()[0]]
    ppds = sorted(Path("/usr/share/ppd").glob("**/CUPS-PDF*.ppd"))
    if ppds:
        return ["-P", str(ppds[0])]
    pytest.skip("printer-driver-cups-pdf is not installed (make test installs it as root)")


@pytest.fixture(scope="session")
def cups_pdf_printer():
    """A real CUPS queue printing to PDF files; cupsd started if needed (as root)
    and stopped again at the end of the session if this fixture started it."""
    if not shutil.which("cupsd") or not shutil.which("lpadmin"):
        pytest.skip("CUPS is not installed (make test installs cups + printer-driver-cups-pdf)")
    scheduler = None
    if not _scheduler_running():
        if os.geteuid() != 0:
            pytest.skip("cupsd is not running and only root may start it")
        # In the foreground (-f) so this fixture owns the process and can end it.
        scheduler = subprocess.Popen(["cupsd", "-f"], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while not _scheduler_running():
            if scheduler.poll() is not None or time.monotonic() > deadline:
                scheduler.kill()
                pytest.fail("cupsd did not start: "
                            + scheduler.stderr.read().decode(errors="replace"))
            time.sleep(0.2)  # waiting for a daemon, not for the GUI
    queues = subprocess.run(["lpstat", "-e"], capture_output=True, text=True,
                            check=False).stdout.split()
    if CUPS_QUEUE not in queues:
        subprocess.run(["lpadmin", "-p", CUPS_QUEUE, "-E", "-v", "cups-pdf:/",
                        *_cups_pdf_model()], check=True, capture_output=True)
    yield CupsPdfPrinter(CUPS_QUEUE, _cups_pdf_output_dir())
    if scheduler is not None:
        scheduler.terminate()
        scheduler.wait(timeout=30)


def wait_for_printed_file(printer: CupsPdfPrinter, before: dict[Path, tuple[int, int, int]],
                          timeout_s: float = 60) -> Path:
    """The PDF cups-pdf writes for a job submitted after ``before`` was taken: a new
    file, or one rewritten since (same name as an earlier run's job)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = printer.printed_files()
        written = [path for path, signature in now.items() if before.get(path) != signature]
        complete = [path for path in written if path.stat().st_size > 0
                    and path.read_bytes().rstrip().endswith(b"%%EOF")]
        if complete:
            return complete[0]
        time.sleep(0.2)  # cups-pdf runs ghostscript in its own process
    raise AssertionError(f"no printed PDF appeared in {printer.output_dir} "
                         f"within {timeout_s:.0f} s; see /var/log/cups/error_log")
