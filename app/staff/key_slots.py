"""The administrator's use cases on the station's key slots (issue 12, item 5).

``keyslots.json`` keeps the station's data key wrapped once per staff account
that signed in here and once under the administrator's recovery key
(``app.security.keys``).  Two things an administrator needs to do with it:

- **revoke a staff member's slot** when a clerk leaves or the hall disabled the
  account: the password no longer unwraps the data key at this station, so it
  no longer signs in offline here, and the account's open sessions end (the
  command line's stops at its next command; a window where the account works
  keeps its work open, and its next unlock there is a sign-in without a slot).
  The account may come back only the way any account comes to a station: the hall
  confirms the password (an online sign-in) while the station is unlocked by
  someone who still has a slot.  An account the hall no longer accepts cannot;
  the sign-in service also revokes a slot by itself when the hall refuses a
  password that still opens it (``app.staff.signin``).
- **reissue the recovery key**: a new 48-digit key replaces the old one, which
  stops working; it is shown once.  The administrator types the password again
  first (as for the end-of-day sign-off): the key opens every case here.

Both are refused to anyone but an administrator here, in the service, whoever
calls it (window, command line, script); a refusal is audited.  Rules that keep
the station openable:

- nobody revokes their own slot (they would lose their own way back in at the
  moment they act; another administrator does it);
- the last slot that opens the station is never revoked when there is no
  recovery slot either.

The audit rows name the account and the outcome; never a password, key byte or
recovery digit.  Revoking does not re-encrypt the data: an old copy of
``keyslots.json`` (a backup) still holds the old slot, and whoever has that copy
*and* the password can unwrap the data key from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.security import keys as station_keys
from app.security.keys import KeySlots, LastSlotRefused, NoSlot, staff_slot_name
from app.staff import audit
from app.staff.roles import ADMINISTRATORS, PermissionRefused, known_role, require_role


class KeySlotRefused(Exception):
    """The administrator's request cannot be done; one line for the administrator."""


RECOVERY_OBJECT = "keyslot/recovery"


def slot_object(account: str) -> str:
    return f"keyslot/{staff_slot_name(account)}"


def _utc(text: str | None) -> dt.datetime | None:
    """A time from the slot file (some written naive, all UTC) as an aware datetime."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class StaffSlot:
    """One staff account as this station's key-slot file knows it (times aware, UTC)."""

    account: str
    display_name: str
    role: str
    has_slot: bool
    hall_verified_at: dt.datetime | None
    last_sign_in_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_by: str | None  # an administrator's account, or "hall"


@dataclass(frozen=True)
class KeySlotOverview:
    staff: list[StaffSlot]
    recovery_issued_at: dt.datetime | None

    @property
    def with_slots(self) -> list[StaffSlot]:
        return [entry for entry in self.staff if entry.has_slot]


def _require_administrator(store, identity, obj: str, action: str, what: str):
    """Administrators only; a refusal of a signed-in account is audited."""
    try:
        return require_role(identity, ADMINISTRATORS, what)
    except PermissionRefused:
        if identity is not None:
            audit.append(store, identity.station, identity.account, audit.PERMISSION_REFUSED,
                         obj, audit.REFUSED, {"action": action})
        raise


def key_slot_overview(store, identity) -> KeySlotOverview:
    """Who has a slot here (and whose was revoked), and when the recovery key was issued."""
    _require_administrator(store, identity, "keyslot", "keyslot_list", "查看工位密钥槽")
    slots = KeySlots.load(store.home)
    staff = []
    for account, entry in sorted(((slots.data or {}).get("staff") or {}).items()):
        if "slot" not in entry and not entry.get("revoked_at"):
            continue  # only failed sign-ins were counted for it: never had a slot here
        staff.append(StaffSlot(
            account=account, display_name=entry.get("display_name") or account,
            role=known_role(entry.get("role")), has_slot="slot" in entry,
            hall_verified_at=_utc(entry.get("hall_verified_at")),
            last_sign_in_at=_utc(entry.get("last_sign_in_at")),
            revoked_at=_utc(entry.get("revoked_at")), revoked_by=entry.get("revoked_by")))
    return KeySlotOverview(staff=staff, recovery_issued_at=_utc(slots.recovery_issued_at))


def revoke_staff_slot(store, settings, identity, account: str) -> StaffSlot:
    """Revoke ``account``'s key slot at this station and end its open sessions.
    Refused (``PermissionRefused``) to anyone but an administrator, and
    (``KeySlotRefused``) for one's own slot, an account without a slot here, or the
    last way into the station; every refusal is audited."""
    from app.staff.session import end_sessions_of

    account = (account or "").strip()
    obj = slot_object(account)
    admin = _require_administrator(store, identity, obj, "keyslot_revoke", "撤销工作人员密钥槽")

    def refuse(reason: str, message: str):
        audit.append(store, admin.station, admin.account, audit.KEY_SLOT_REVOKED, obj,
                     audit.REFUSED, {"reason": reason})
        raise KeySlotRefused(message)

    if not account:
        raise KeySlotRefused("请指定要撤销密钥槽的账户 / which account?")
    if account == admin.account:
        refuse("own_slot", "不能撤销自己的密钥槽（撤销后您将无法再在本工位登录）：请由另一位管理员"
                           "撤销 / you cannot revoke your own slot")
    try:
        entry = KeySlots.load(store.home).revoke_staff_slot(
            account, revoked_by=admin.account, reason="administrator")
    except NoSlot:
        refuse("no_slot", f"账户 {account} 在本工位没有密钥槽 / no key slot for {account} here")
    except LastSlotRefused as exc:
        refuse("last_slot", str(exc))
    audit.append(store, admin.station, admin.account, audit.KEY_SLOT_REVOKED, obj, audit.OK,
                 {"account": account, "by": "administrator"})
    end_sessions_of(store, settings, account, "revoked")
    return StaffSlot(account=account, display_name=entry.get("display_name") or account,
                     role=known_role(entry.get("role")), has_slot=False,
                     hall_verified_at=None, last_sign_in_at=_utc(entry.get("last_sign_in_at")),
                     revoked_at=_utc(entry.get("revoked_at")), revoked_by=admin.account)


def reissue_recovery_key(store, settings, identity, password: str, *,
                         hall_url: str | None = None, verify_with_hall=None) -> str:
    """Replace the recovery key after the administrator typed the password again; the
    new key is returned to be shown once, the old one opens nothing any more.  A
    clerk is refused (and audited) before any password is looked at; a wrong
    password is a failed sign-in (counted towards the lock, audited)."""
    from app.staff.signin import SignInService

    admin = _require_administrator(store, identity, RECOVERY_OBJECT, "recovery_key_reissue",
                                   "重新签发恢复密钥")
    confirmed = SignInService(store, settings, hall_url=hall_url,
                              verify_with_hall=verify_with_hall).sign_in(admin.account, password)
    # The hall may have confirmed it with another role than the session knew.
    confirmed = _require_administrator(store, confirmed, RECOVERY_OBJECT,
                                       "recovery_key_reissue", "重新签发恢复密钥")
    code = KeySlots.load(store.home).new_recovery_key(station_keys.station_keys())
    audit.append(store, confirmed.station, confirmed.account, audit.RECOVERY_KEY_REISSUED,
                 RECOVERY_OBJECT, audit.OK, {"reauthenticated": True})
    return code
