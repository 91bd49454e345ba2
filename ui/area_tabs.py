"""The main window's tabs, one per area, each built the first time it is shown.

Start-up only pays for the first area: the others (and the libraries they
pull in) are imported when the clerk first opens them.  ``AreaTabs`` is also
a read-only mapping ``key → area widget`` (``areas["cases"]``, ``in``,
iteration over keys); looking an area up builds it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # English source, translated in the "MainWindow" context
    widget: str  # "package.module:ClassName", constructed with (workstation, parent)


def load_class(path: str) -> type:
    module_name, _, class_name = path.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


class AreaTabs(QTabWidget):
    def __init__(self, areas: list[Area], workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("areas")
        self.setDocumentMode(True)
        self._workstation = workstation
        self._specs = {area.key: area for area in areas}
        self._pages: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        for area in areas:
            page = QWidget()
            page.setObjectName(f"page_{area.key}")
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 0, 0, 0)
            self._pages[area.key] = page
            self.addTab(page, QCoreApplication.translate("MainWindow", area.title))
        self.currentChanged.connect(lambda index: self._build(self._key_at(index)))
        if areas:
            self._build(areas[0].key)

    # -- read-only mapping (not collections.abc.Mapping: its metaclass clashes) ---
    def __getitem__(self, key: str) -> QWidget:
        if key not in self._specs:
            raise KeyError(key)
        return self._build(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def keys(self) -> list[str]:
        return list(self._specs)

    def built(self) -> list[QWidget]:
        """Areas constructed so far, in tab order."""
        return [self._built[key] for key in self._specs if key in self._built]

    # -- tabs ---------------------------------------------------------------------
    def show_area(self, key: str) -> QWidget:
        widget = self[key]
        self.setCurrentWidget(self._pages[key])
        return widget

    def current_area(self) -> QWidget | None:
        return self._built.get(self._key_at(self.currentIndex()))

    def current_key(self) -> str | None:
        return self._key_at(self.currentIndex())

    def _key_at(self, index: int) -> str | None:
        page = self.widget(index)
        return next((key for key, p in self._pages.items() if p is page), None)

    def _build(self, key: str | None) -> QWidget | None:
        if key is None:
            return None
        if key not in self._built:
            spec = self._specs[key]
            widget = load_class(spec.widget)(self._workstation, self._pages[key])
            widget.setObjectName(f"area_{key}")
            self._pages[key].layout().addWidget(widget)
            self._built[key] = widget
        return self._built[key]
