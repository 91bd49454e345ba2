"""``onewindow scan``: try the scanner and file import without the GUI.

``scan devices`` lists what SANE finds; ``scan pdf OUT`` scans (or imports
files) into one material PDF exactly as the intake screen would, and says
whether it fits the per-material size limit — the quickest check that a
newly installed scanner works.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.cli import CommandError
from app.cli.common import current_settings, print_json
from app.scanning import ColourMode, ScannerError, ScanOptions, ScanSource
from app.scanning.file_import import FileImporter
from app.scanning.pages import PageSet, assemble_pdf, check_size, store_page
from local_store.blobs import BlobStore

MB = 1024 * 1024


def _devices(args) -> int:
    from app.scanning.sane_scanner import SaneScanner

    try:
        devices = SaneScanner().list_devices()
    except ScannerError as exc:
        raise CommandError(f"{exc} / SANE unavailable") from exc
    if args.json:
        print_json([{"name": d.name, "label": d.label} for d in devices])
    elif not devices:
        print("未发现扫描仪 (可导入文件或使用共享文件夹)")
    else:
        for device in devices:
            print(f"{device.name}\t{device.label}")
    return 0


def _sources(args, settings):
    """Pages to assemble: the given files, else a scan from the device."""
    if args.file:
        importer = FileImporter(settings.import_file_limit_mb)
        pages, refusals = importer.read_many(Path(name) for name in args.file)
        if refusals:
            raise CommandError("；".join(str(r) for r in refusals) + " / file refused")
        return pages
    from app.scanning.sane_scanner import SaneScanner

    scanner = SaneScanner()
    device = args.device or settings.scan_device
    if not device:
        found = scanner.list_devices()
        if not found:
            raise CommandError("未发现扫描仪：请用 --file 导入文件 / no scanner found")
        device = found[0].name
    options = ScanOptions(
        ScanSource.ADF if args.adf else ScanSource.FLATBED,
        args.dpi or settings.scan_dpi,
        ColourMode.COLOUR if args.colour else ColourMode.GREY,
    )
    return scanner.scan(device, options)


def _pdf(args) -> int:
    settings = current_settings()
    colour = args.colour or settings.scan_colour
    with tempfile.TemporaryDirectory(prefix="onewindow-scan-") as tmp:
        blobs = BlobStore(Path(tmp))
        pages = PageSet()
        problem = None
        try:
            for page in _sources(args, settings):
                pages.append(store_page(blobs, page))
        except ScannerError as exc:  # keep what was scanned before the failure
            problem = str(exc)
        if not len(pages):
            raise CommandError(f"{problem or '没有页面'} / nothing scanned")
        pdf = assemble_pdf(blobs, pages, dpi=args.dpi or settings.scan_dpi, colour=colour)
    Path(args.output).write_bytes(pdf)
    limit = settings.material_size_limit_bytes
    over = check_size(len(pdf), limit)
    result = {"output": str(args.output), "pages": len(pages), "bytes": len(pdf),
              "limit_bytes": limit, "over_limit": over, "scanner_problem": problem}
    if args.json:
        print_json(result)
    else:
        print(f"{args.output}: {len(pages)} 页，{_size(len(pdf))} (上限 {limit / MB:.1f} MB)")
        for message in (problem, over):
            if message:
                print(message)
    return 1 if (problem or over) else 0


def _size(nbytes: int) -> str:
    return f"{nbytes / MB:.2f} MB" if nbytes >= 100 * 1024 else f"{nbytes / 1024:.0f} KB"


def register(subparsers) -> None:
    group = subparsers.add_parser("scan", help="扫描仪与文件导入 / scanner and file import")
    commands = group.add_subparsers(dest="command", metavar="COMMAND", required=True)

    devices = commands.add_parser("devices", help="列出扫描仪 / list SANE scanners")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=_devices)

    pdf = commands.add_parser("pdf", help="扫描或导入为一份材料 PDF / scan or import to a PDF")
    pdf.add_argument("output", help="PDF file to write")
    pdf.add_argument("--device", help="SANE device (default: settings, else the first found)")
    pdf.add_argument("--adf", action="store_true", help="use the document feeder")
    pdf.add_argument("--dpi", type=int, help="resolution (default: settings, 200)")
    pdf.add_argument("--colour", action="store_true", help="colour instead of greyscale")
    pdf.add_argument("--file", nargs="+", metavar="FILE",
                     help="import JPEG/PNG/TIFF/PDF files instead of scanning")
    pdf.add_argument("--json", action="store_true")
    pdf.set_defaults(handler=_pdf)
