"""The parts every A4 document shares: masthead, document number, signature and
seal, the service-information box with the QR code, the barcode in the corner."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from printing.codes import Code128Bars, QrCode
from printing.fonts import FONTS, MAIN_FONT
from printing.model import NUMBER_MARKS, Station
from printing.styles import OFFICIAL_RED, chinese_date, chinese_datetime, styles

log = logging.getLogger(__name__)

SEAL_DIAMETER = 40 * mm
# Below the issuer's date, before the page's service box.
SIGNATURE_BOTTOM_GAP = 1.5 * mm


def para(text: str, style: str, scale: float = 1.0) -> Paragraph:
    """A paragraph of plain text, fallback fonts switched in per character run."""
    return Paragraph(FONTS.markup(text), styles(scale)[style])


def document_number(kind: str, number: str, when: dt.date) -> str:
    """文号-like reference: the kind's mark, the year, the case number."""
    return f"{NUMBER_MARKS[kind]}〔{when.year}〕{number}号"


class Heading(Flowable):
    """One centred line in heavy type, shrunk to fit.

    The embeddable CJK fonts have no bold face; official mastheads and titles
    are set in heavy 小标宋, so the glyphs are filled and stroked (render
    mode 2) to thicken them.
    """

    def __init__(self, text: str, size: float, color=(0, 0, 0), weight: float = 0.035,
                 letter_spacing: float = 0.0):
        super().__init__()
        self.text, self.size, self.color = text, size, color
        self.weight, self.letter_spacing = weight, letter_spacing

    def _text_width(self, size: float) -> float:
        spacing = self.letter_spacing * size * max(len(self.text) - 1, 0)
        return spacing + sum(stringWidth(run, name, size) for name, run in FONTS.runs(self.text))

    def wrap(self, avail_width, avail_height):
        self.avail_width = avail_width
        self.font_size = self.size
        while self._text_width(self.font_size) > avail_width and self.font_size > 8:
            self.font_size -= 0.5
        self.height = self.font_size * 1.35
        return avail_width, self.height

    def draw(self):
        canvas = self.canv
        size = self.font_size
        canvas.saveState()
        canvas.setFillColor(self.color)
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(size * self.weight)
        text = canvas.beginText((self.avail_width - self._text_width(size)) / 2, size * 0.3)
        text.setTextRenderMode(2)
        text.setCharSpace(self.letter_spacing * size)
        for name, run in FONTS.runs(self.text):
            text.setFont(name, size)
            text.textOut(run)
        canvas.drawText(text)
        canvas.restoreState()


def masthead(station: Station, kind: str, number: str, when: dt.date, title: str) -> list:
    return [
        Heading(station.centre_name, 26, OFFICIAL_RED, letter_spacing=0.08),
        Spacer(1, 4 * mm),
        para(document_number(kind, number, when), "docnumber"),
        Spacer(1, 1.5 * mm),
        HRFlowable(width="100%", thickness=1.6, color=OFFICIAL_RED, spaceAfter=1.0),
        HRFlowable(width="100%", thickness=0.5, color=OFFICIAL_RED, spaceAfter=5 * mm),
        Heading(title, 21, letter_spacing=0.1 if len(title) <= 5 else 0.0),
        Spacer(1, 5 * mm),
    ]


class SignatureBlock(Flowable):
    """Issuer and date at the bottom right; the seal image laid over them.

    Kept as one flowable so the seal can never land on a different page than
    the name it authenticates.
    """

    def __init__(self, issuer: str, day: dt.date, seal_image: str = "",
                 prefix: str = ""):
        super().__init__()
        self.lines = [line for line in (prefix, issuer, chinese_date(day)) if line]
        self.seal_image = seal_image
        self.paragraphs = [para(line, "sign") for line in self.lines]
        self.block_width = 80 * mm

    def wrap(self, avail_width, avail_height):
        self.avail_width = avail_width
        self.text_height = sum(p.wrap(self.block_width, avail_height)[1]
                               for p in self.paragraphs)
        # With a seal, leave it room so it never covers the text above or below.
        body = max(self.text_height, SEAL_DIAMETER) if self.seal_image else self.text_height
        self.height = body + SIGNATURE_BOTTOM_GAP
        self.width = avail_width
        return self.width, self.height

    def draw(self):
        x = self.avail_width - self.block_width
        centre_y = (self.height - SIGNATURE_BOTTOM_GAP) / 2
        y = centre_y + self.text_height / 2
        for paragraph in self.paragraphs:
            _, h = paragraph.wrap(self.block_width, self.height)
            y -= h
            paragraph.drawOn(self.canv, x, y)
        if self.seal_image:
            # 骑年压月: the seal sits over the issuer's name and the date.
            self._draw_seal(x + (self.block_width - SEAL_DIAMETER) / 2,
                            centre_y - SEAL_DIAMETER / 2)

    def _draw_seal(self, x: float, y: float) -> None:
        if not Path(self.seal_image).is_file():
            # A missing seal file must not stop a receipt; the log says why.
            log.warning("seal image %s not found; printing without seal", self.seal_image)
            return
        self.canv.drawImage(self.seal_image, x, y, SEAL_DIAMETER, SEAL_DIAMETER,
                            mask="auto", preserveAspectRatio=True)


def service_box(station: Station, query_url: str | None, printed_at: dt.datetime,
                link_way: str = "", supervise_way: str = "", width: float = 0,
                rating_url: str = "") -> Table:
    """Window, clerk, time and the consultation/complaint channels, QR on the left;
    the rating page's QR (好差评) on the right when there is one."""
    # The item's own channels (catalog) first, then the centre's phones.
    consult = _join(link_way, _labelled("咨询电话", station.consultation_phone))
    complain = _join(supervise_way, _labelled("投诉电话", station.complaint_phone))
    lines = [
        f"办理窗口：{station.window_name}　经办人：{station.clerk}　"
        f"打印时间：{chinese_datetime(printed_at)}",
        f"咨询方式：{consult}",
        f"监督投诉：{complain}",
    ]
    if query_url:
        lines.append("办件进度：扫描左侧二维码，或凭办件编号到窗口、网上办事大厅查询。")
    if rating_url:
        lines.append("服务评价：扫描右侧二维码，对本次服务作出评价（好差评）。")
    text = [para(line, "small") for line in lines]
    qr = QrCode(query_url, 24 * mm) if query_url else Spacer(1, 1)
    qr_width = 27 * mm if query_url else 1
    row, widths = [qr, text], [qr_width, width - qr_width]
    if rating_url:
        row.append(QrCode(rating_url, 24 * mm))
        widths = [qr_width, width - 2 * qr_width, qr_width]
    table = Table([row], colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, (0.4, 0.4, 0.4)),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _join(*parts: str) -> str:
    return "；".join(part for part in parts if part) or "—"


def _labelled(label: str, value: str) -> str:
    return f"{label} {value}" if value else ""


def corner_barcode(number: str, page_width: float, page_height: float, right_margin: float):
    """onPage hook: the case number's Code 128 in the top-right corner."""
    def draw(canvas, doc):
        bars = Code128Bars(number, max_width=70 * mm, bar_height=10 * mm,
                           font_name=MAIN_FONT, font_size=8)
        bars.wrap(70 * mm, 20 * mm)
        bars.drawOn(canvas, page_width - right_margin - bars.width + 10 * bars.module,
                    page_height - 8 * mm - bars.height)
    return draw


def page_footer(number: str, page_width: float, bottom: float):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(MAIN_FONT, 8)
        canvas.setFillGray(0.35)
        canvas.drawCentredString(page_width / 2, bottom / 2,
                                 f"办件编号 {number}　第 {doc.page} 页")
        canvas.restoreState()
    return draw
