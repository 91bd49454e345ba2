"""Which notices a committed case may be handed, by its state — one rule for the
window's print buttons and for anything else that offers documents.

Light on purpose (no renderer imported): the case view loads it at start-up.
``app.documents`` refuses, at rendering time, a document that would say something
untrue about the case; this table decides what is offered in the first place.
"""

from __future__ import annotations

# Documents offered per case state, first = the main notice (Ctrl+P in the window).
DOCUMENTS_BY_STATE: dict[str, tuple[str, ...]] = {
    "accepted": ("acceptance", "receipt"),
    "in_process": ("acceptance", "receipt"),
    "needs_completion": ("completion", "receipt"),
    "rejected": ("rejection", "receipt"),
    "concluded": ("receipt",),
    "delivered": ("receipt",),
    "received": ("receipt",),
}


def documents_for(state: str, has_deficiencies: bool = False) -> tuple[str, ...]:
    """The notices for a case in ``state``; an accepted case with 容缺 materials
    also gets the deficiency undertaking."""
    kinds = DOCUMENTS_BY_STATE.get(state, ())
    return (*kinds, "deficiency") if has_deficiencies and state == "accepted" else kinds
