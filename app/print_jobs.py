"""The print use case — render → archive → print → record the outcome — once, for
the window's print adapter (ui/print_dispatch.py) and ``onewindow print`` alike.

Every document is rendered and archived (blob store + PrintLog) before any printer
is touched, so a jammed or missing printer never loses the PDF; the outcome the
printer gave is recorded on the same PrintLog row afterwards.  How the pages reach
a non-CUPS printer (QPrinter) is the window's business and stays in ui/.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import documents
from app.documents import ArchivedDocument
from printing.cups import PrintFailed, is_cups_queue, job_title, submit_pdf
from printing.fonts import FontError, warm_up
from printing.model import A4, BLANK_FORM, CASE_DOCUMENTS, LAYOUTS

__all__ = [
    "A4",
    "BLANK_FORM",
    "CASE_DOCUMENTS",
    "LAYOUTS",
    "FontError",
    "PrintFailed",
    "PreparedDocument",
    "is_cups_queue",
    "job_title",
    "prepare",
    "queue_job_title",
    "print_to_queue",
    "record_outcome",
    "submit_to_queue",
    "warm_up",
]


@dataclass(frozen=True)
class PreparedDocument:
    """A rendered document already in the archive, ready for a printer."""

    kind: str
    case_number: str | None  # None for a blank form (``target`` is the item code)
    layout: str
    pdf: bytes
    archived: ArchivedDocument
    original: bool  # a reprint handing over the archived original


def render(store, settings, kind: str, target: str, layout: str = A4, *,
           reprint: bool = False, material: str | None = None) -> tuple[bytes, bool]:
    """(pdf, is_archived_original) for a case document, a blank form (``target`` is
    the item code) or a fee notice (``target`` is the case number)."""
    if kind == BLANK_FORM:
        return documents.render_blank_form(target, material, settings=settings), False
    if kind == documents.FEE_NOTICE:
        from app.fees import render_notice  # the fee module is not on the start-up path

        return render_notice(target, settings), False
    return documents.issue(store, target, kind, layout, reprint=reprint, settings=settings)


def prepare(store, settings, kind: str, target: str, layout: str = A4, *,
            reprint: bool = False, material: str | None = None, copies: int = 1,
            printer: str = "") -> PreparedDocument:
    """Render and archive: after this the PDF survives whatever the printer does."""
    pdf, original = render(store, settings, kind, target, layout, reprint=reprint,
                           material=material)
    case_number = None if kind == BLANK_FORM else target
    archived = documents.archive_and_log(store, case_number, kind, pdf,
                                         clerk=settings.clerk_name, layout=layout,
                                         printer=printer, copies=copies, outcome="archived")
    return PreparedDocument(kind, case_number, layout, pdf, archived, original)


def queue_job_title(prepared: PreparedDocument, target: str) -> str:
    return job_title(target, prepared.kind, prepared.archived.log_id)


def submit_to_queue(prepared: PreparedDocument, queue: str, copies: int, title: str) -> str:
    """Hand the PDF itself to a CUPS queue (its filters rasterise at the device's
    resolution); returns the job id, raises PrintFailed."""
    return submit_pdf(prepared.pdf, queue, copies, title, roll=prepared.layout == "roll")


def record_outcome(store, prepared: PreparedDocument, ok: bool, printer: str = "",
                   error: str = "", copies: int | None = None) -> None:
    """The printer's answer on the document's PrintLog row: printed, or failed and why."""
    documents.record_print_outcome(store, prepared.archived.log_id,
                                   "printed" if ok else "failed", printer,
                                   "" if ok else error, copies)


def print_to_queue(store, prepared: PreparedDocument, target: str, queue: str,
                   copies: int) -> str:
    """Submit to a CUPS queue and record what happened; raises PrintFailed (recorded)."""
    try:
        job = submit_to_queue(prepared, queue, copies, queue_job_title(prepared, target))
    except PrintFailed as exc:
        record_outcome(store, prepared, False, queue, str(exc))
        raise
    record_outcome(store, prepared, True, queue)
    return job
