"""The item guide (办事指南) as the clerk reads it: one HTML page per item.

``item_detail_html`` is a pure function of the item JSON and the code tables,
so it is tested without a window; ``ItemDetailView`` only displays it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.catalog.item_key import ItemKey

translate = QCoreApplication.translate

# Short cells must not break a two-character word over two lines.
NOWRAP = "style='white-space: nowrap'"
TABLE = "<table border='1' cellspacing='0' width='100%'>"

STYLE = """
<style>
h2 { margin-bottom: 2px; }
h3 { margin-top: 14px; margin-bottom: 4px; color: #1f4e79; }
td, th { padding: 3px 6px; vertical-align: top; }
th { background: #e8eef5; text-align: left; }
.muted { color: #666; }
.star { color: #d08c00; }
.warn { color: #b35900; font-weight: bold; }
</style>
"""


def code_name(table: str, code) -> str:
    """The meaning of ``code`` in the code table; the code itself if unknown."""
    from app.catalog.code_tables import code_meaning  # app.catalog is not a start-up import

    return code_meaning(table, code) or str(code)


def _cert_type_name(code: str) -> str:
    from app.catalog.code_tables import cert_type_name

    return cert_type_name(code) or code


def describe_limit(limit: dict | None) -> str:
    """{"value": 20, "unit": "working_day"} → '20 个工作日'."""
    if not limit or limit.get("value") is None:
        return translate("ItemDetail", "not specified")
    unit = {
        "working_day": translate("ItemDetail", "working days"),
        "natural_day": translate("ItemDetail", "calendar days"),
    }.get(limit.get("unit", ""), escape(str(limit.get("unit", ""))))
    return f"{limit['value']} {unit}"


def describe_requirement(material: dict) -> str:
    required = material.get("required")
    if required == "conditional":
        condition = material.get("condition") or ""
        return translate("ItemDetail", "conditional") + (
            f"：{escape(condition)}" if condition else ""
        )
    return (
        translate("ItemDetail", "required")
        if required is True
        else translate("ItemDetail", "optional")
    )


def describe_form(form: str) -> str:
    return {
        "paper": translate("ItemDetail", "paper"),
        "electronic": translate("ItemDetail", "electronic"),
        "paper+electronic": translate("ItemDetail", "paper and electronic"),
    }.get(form, escape(form or ""))


def describe_source(source: str) -> str:
    return {
        "applicant": translate("ItemDetail", "applicant"),
        "government": translate("ItemDetail", "government"),
        "intermediary": translate("ItemDetail", "intermediary"),
    }.get(source, escape(source or ""))


def stars(level) -> str:
    level = int(level or 0)
    return "★" * level + "☆" * max(0, 5 - level)


def _row(label: str, value: str) -> str:
    return f"<tr><th width='22%'>{label}</th><td>{value}</td></tr>"


def _text(value) -> str:
    return (
        escape(str(value)).replace("\n", "<br>")
        if value not in (None, "")
        else (f"<span class='muted'>{translate('ItemDetail', 'not specified')}</span>")
    )


def _materials_html(materials: list[dict]) -> str:
    if not materials:
        none_listed = translate("ItemDetail", "No materials listed")
        return f"<p class='muted'>{none_listed}</p>"
    header = "".join(
        # The material's name (and its note) gets the room; the rest are short.
        f"<th width='30%'>{h}</th>" if column == 1 else f"<th>{h}</th>"
        for column, h in enumerate(
            (
                "#",
                translate("ItemDetail", "Material"),
                translate("ItemDetail", "Requirement"),
                translate("ItemDetail", "Originals / copies"),
                translate("ItemDetail", "Form"),
                translate("ItemDetail", "Source"),
                translate("ItemDetail", "E-certificate"),
                translate("ItemDetail", "Blank form"),
            )
        )
    )
    rows = []
    for number, material in enumerate(materials, 1):
        cert_code = material.get("cert_type_code")
        cert = escape(_cert_type_name(cert_code)) if cert_code else "—"
        blank = material.get("blank_form")
        note = material.get("note")
        name = escape(material.get("name", ""))
        if note:
            name += f"<br><span class='muted'>{escape(note)}</span>"
        rows.append(
            "<tr>"
            f"<td>{number}</td><td>{name}</td><td>{describe_requirement(material)}</td>"
            f"<td {NOWRAP}>{int(material.get('originals') or 0)} / "
            f"{int(material.get('copies') or 0)}</td>"
            f"<td {NOWRAP}>{describe_form(material.get('form', ''))}</td>"
            f"<td {NOWRAP}>{describe_source(material.get('source', ''))}</td>"
            f"<td>{cert}</td><td>{escape(blank) if blank else '—'}</td>"
            "</tr>"
        )
    return f"{TABLE}<tr>{header}</tr>{''.join(rows)}</table>"


def _process_html(process: list[dict]) -> str:
    if not process:
        return f"<p class='muted'>{translate('ItemDetail', 'not specified')}</p>"
    steps = "".join(
        f"<li>{escape(step.get('name', ''))}"
        f"<span class='muted'>（{describe_limit(step.get('limit'))}）</span></li>"
        for step in process
    )
    return f"<ol>{steps}</ol>"


def _fees_html(fees: list[dict]) -> str:
    if not fees:
        return translate("ItemDetail", "Free of charge")
    rows = "".join(
        f"<tr><td>{escape(fee.get('name', ''))}</td><td>{escape(str(fee.get('standard', '')))}</td>"
        f"<td>{escape(str(fee.get('amount_yuan', '')))}</td>"
        f"<td>{escape(fee.get('basis', '') or '')}</td></tr>"
        for fee in fees
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            translate("ItemDetail", "Fee"),
            translate("ItemDetail", "Standard"),
            translate("ItemDetail", "Amount (yuan)"),
            translate("ItemDetail", "Basis"),
        )
    )
    return f"{TABLE}<tr>{head}</tr>{rows}</table>"


def item_detail_html(item: dict) -> str:
    """Render the complete guide of one catalog item."""
    state = item.get("state", "active")
    not_active = translate("ItemDetail", "This item is not active")
    state_note = f"<p class='warn'>{not_active}: {escape(state)}</p>" if state != "active" else ""
    project_type = str(item.get("project_type", ""))
    project = {
        "1": translate("ItemDetail", "immediate case"),
        "2": translate("ItemDetail", "promised case"),
    }.get(project_type, escape(project_type))
    online_depth = "、".join(code_name("online_depth", d) for d in item.get("online_depth") or [])
    server_types = "、".join(code_name("server_type", s) for s in item.get("server_type") or [])
    facts = "".join(
        [
            _row(translate("ItemDetail", "Implementing code"), escape(item.get("task_code", ""))),
            *(
                [
                    _row(translate("ItemDetail", "Handle item"),
                         escape(item.get("handle_item_name") or "")),
                    _row(translate("ItemDetail", "Handle item code"),
                         escape(item["handle_item_code"])),
                ]
                if item.get("handle_item_code")
                else []
            ),
            _row(translate("ItemDetail", "Catalog code"), escape(item.get("catalog_code", ""))),
            _row(translate("ItemDetail", "Department"), escape(item.get("dept_name", ""))),
            _row(
                translate("ItemDetail", "Item type"),
                escape(code_name("task_type", item.get("task_type", ""))),
            ),
            _row(translate("ItemDetail", "Case type"), project),
            _row(
                translate("ItemDetail", "Legal time limit"), describe_limit(item.get("legal_limit"))
            ),
            _row(
                translate("ItemDetail", "Promised time limit"),
                describe_limit(item.get("promise_limit")),
            ),
            _row(
                translate("ItemDetail", "Star level"),
                f"<span class='star'>{stars(item.get('star_level'))}</span> "
                f"({int(item.get('star_level') or 0)})",
            ),
            _row(
                translate("ItemDetail", "Authentication level"),
                escape(str(item.get("auth_level", ""))),
            ),
            _row(
                translate("ItemDetail", "Visits to the centre"), escape(str(item.get("visits", "")))
            ),
            _row(translate("ItemDetail", "Online depth"), online_depth or "—"),
            _row(translate("ItemDetail", "Served"), server_types or "—"),
            _row(translate("ItemDetail", "Version"), escape(str(item.get("version", "")))),
        ]
    )
    guide = "".join(
        [
            _row(translate("ItemDetail", "Legal basis"), _text(item.get("by_law"))),
            _row(translate("ItemDetail", "Address"), _text(item.get("transact_addr"))),
            _row(translate("ItemDetail", "Office hours"), _text(item.get("transact_time"))),
            _row(translate("ItemDetail", "Contact"), _text(item.get("link_way"))),
            _row(translate("ItemDetail", "Complaints"), _text(item.get("supervise_way"))),
        ]
    )
    sections = [
        (translate("ItemDetail", "Conditions"), f"<p>{_text(item.get('accept_condition'))}</p>"),
        (translate("ItemDetail", "Materials"), _materials_html(item.get("materials") or [])),
        (translate("ItemDetail", "Process"), _process_html(item.get("process") or [])),
        (translate("ItemDetail", "Fees"), _fees_html(item.get("fees") or [])),
        (translate("ItemDetail", "Where and how"), f"{TABLE}{guide}</table>"),
    ]
    return (
        f"{STYLE}<h2>{escape(item.get('name', ''))}</h2>{state_note}{TABLE}{facts}</table>"
        + "".join(f"<h3>{title}</h3>{body}" for title, body in sections)
    )


class ItemDetailView(QTextBrowser):
    """Read-only guide of the open item; Tab moves on, arrows scroll."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setObjectName("itemDetail")
        self.task_code: str | None = None
        self.item_key: ItemKey | None = None  # the item, or one of its 办理项
        self.item: dict | None = None
        self.show_hint()

    def show_hint(self) -> None:
        self.task_code = None
        self.item_key = None
        self.item = None
        hint = translate(
            "ItemDetail",
            "Type in the search box (Ctrl+F), choose an item with the arrow keys and press Enter.",
        )
        self.setHtml(f"<p style='color:#666'>{hint}</p>")

    def show_item(self, item: dict) -> None:
        self.task_code = item.get("task_code")
        self.item_key = ItemKey.of(item)
        self.item = item
        self.setHtml(item_detail_html(item))
