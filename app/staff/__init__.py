"""Staff at the station: sign-in, sessions, roles and the audit trail (issue 12)."""

from app.staff.roles import (
    ADMINISTRATORS,
    SUPERVISORS,
    NotSignedIn,
    PermissionRefused,
    StaffIdentity,
    require_role,
    require_signed_in,
)

__all__ = [
    "ADMINISTRATORS",
    "SUPERVISORS",
    "NotSignedIn",
    "PermissionRefused",
    "StaffIdentity",
    "require_role",
    "require_signed_in",
]
