"""Who is signed in, and what their role lets them do.

Roles come from the hall account (clerk, supervisor, administrator) and are
enforced in the application services that need them, not by hiding buttons:
a clerk calling a supervisor's service is refused there, whoever calls it
(window, CLI or a script).
"""

from __future__ import annotations

from dataclasses import dataclass

CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"
ROLES = (CLERK, SUPERVISOR, ADMINISTRATOR)
ROLE_NAMES = {CLERK: "窗口人员", SUPERVISOR: "科室负责人", ADMINISTRATOR: "系统管理员"}

# Who may use a service beyond the counter's own work.
SUPERVISORS = frozenset({SUPERVISOR, ADMINISTRATOR})
ADMINISTRATORS = frozenset({ADMINISTRATOR})


# The hall's own names for them, where they differ.
HALL_ROLE_NAMES = {"admin": ADMINISTRATOR}


def known_role(role: str | None) -> str:
    """A role the station understands; anything else is the least privileged."""
    role = HALL_ROLE_NAMES.get(role or "", role)
    return role if role in ROLES else CLERK


@dataclass(frozen=True)
class StaffIdentity:
    account: str
    display_name: str
    role: str
    station: str

    @property
    def label(self) -> str:
        """How the clerk is named on screen: display name and account."""
        if self.display_name and self.display_name != self.account:
            return f"{self.display_name}（{self.account}）"
        return self.account

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


class NotSignedIn(Exception):
    """Nobody is signed in; the message says what to do (one line, Chinese)."""


class PermissionRefused(Exception):
    """The signed-in account's role does not allow this; message for the clerk."""


def require_signed_in(identity: StaffIdentity | None) -> StaffIdentity:
    if identity is None:
        raise NotSignedIn("未登录：请先登录（onewindow user login --user 用户名）/ not signed in")
    return identity


def require_role(identity: StaffIdentity | None, allowed: frozenset[str], what: str
                 ) -> StaffIdentity:
    """Refuse ``what`` unless the signed-in account has one of the ``allowed`` roles."""
    identity = require_signed_in(identity)
    if identity.role not in allowed:
        needed = "、".join(ROLE_NAMES[role] for role in ROLES if role in allowed)
        raise PermissionRefused(
            f"{identity.account}（{identity.role_name}）无权{what}，需要{needed}登录 "
            f"/ role {identity.role} may not do this")
    return identity
