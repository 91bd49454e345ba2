"""Case intake at the window: drafts, checklist, validation, the atomic commit.

The UI builds the intake screen on ``IntakeService``; ``onewindow case import``
uses the same service, so batch entry and the window follow the same rules.
"""

from app.intake.draft import DraftState, MaterialEntry
from app.intake.service import CommitResult, DuplicateImport, IntakeService
from app.intake.validation import Decision, FieldError, IntakeError, ValidationReport

__all__ = [
    "CommitResult",
    "Decision",
    "DraftState",
    "DuplicateImport",
    "FieldError",
    "IntakeError",
    "IntakeService",
    "MaterialEntry",
    "ValidationReport",
]
