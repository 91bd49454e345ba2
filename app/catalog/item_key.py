"""The key of a catalog item: (实施编码, 业务办理项编码).

One 实施清单 item may have several 业务办理项 (食品经营许可 新办/变更/延续/注销):
they share the item's ``task_code`` and differ in ``handle_item_code``, each
with its own materials and limits.  An item without 办理项 has
``handle_item_code`` None.  Every layer (catalog cache, search, intake, case,
manifest, hall, reports) names an item by this pair, never by task_code alone.
"""

from __future__ import annotations

from typing import NamedTuple


def handle_code_of(value) -> str | None:
    """A 办理项 code as stored and sent: None for "no 办理项" ('' counts as none)."""
    return value or None


class ItemKey(NamedTuple):
    task_code: str
    handle_item_code: str | None = None

    @classmethod
    def of(cls, item: dict) -> ItemKey:
        """The key of a catalog item (or case, or manifest) dict."""
        return cls(item["task_code"], handle_code_of(item.get("handle_item_code")))

    @property
    def stored(self) -> tuple[str, str]:
        """The pair as the catalog cache keys it: '' for "no 办理项", so that
        the composite primary key holds (SQLite keeps NULLs apart in keys)."""
        return self.task_code, self.handle_item_code or ""

    def label(self) -> str:
        """For messages: the task code, and the 办理项 code when there is one."""
        if self.handle_item_code:
            return f"{self.task_code}（办理项 {self.handle_item_code}）"
        return self.task_code


def handle_item_label(item_name: str, handle_item_name: str) -> str:
    """The 办理项 part of its name, to show under the item: 食品经营许可（变更）
    under 食品经营许可 is "变更"; a name that does not extend the item's is kept."""
    text = (handle_item_name or "").strip()
    if item_name and text.startswith(item_name):
        rest = text[len(item_name):].strip()
        if rest[:1] in "（(" and rest[-1:] in "）)":
            rest = rest[1:-1].strip()
        return rest or text
    return text


def display_name(item: dict) -> str:
    """What to call an item or case on screen and paper: the 办理项's own name
    (e.g. 食品经营许可（新办）) when it has one, else the item's name."""
    return item.get("handle_item_name") or item.get("name") or item.get("item_name") or ""
