"""``onewindow user login|logout|whoami|recover|slots|revoke|recovery-key`` — staff
sessions at this station, and the administrator's care of its key slots.

``login`` reads the password from standard input (like ``enroll``); the first
sign-in of an account at this station goes to the hall, later ones work
offline (``app.staff.signin``).  The session id lands in ``session.json``
(0600) in the station home; no password, token or key is written anywhere.

The case database is encrypted (``app.security.keys``): the sign-in unwraps
the account's key slot, and the data key goes to a key agent (a background
process holding it in memory, ``app.security.agent``) that later commands
ask; ``logout`` and the idle limit end it.  ``recover`` opens the station
with the administrator's recovery key when no staff password opens it any
more, and gives the account signing in (confirmed by the hall) a new slot.
The station's very first sign-in creates its keys and prints the recovery
key once.

``slots``, ``revoke`` and ``recovery-key`` are the administrator's
(``app.staff.key_slots``, which refuses anyone else): who can open the station
with a password, revoking a staff member's slot (a clerk who left), and
reissuing the recovery key (the password again on stdin; the new key is printed
once, on standard output).
"""

from __future__ import annotations

import sys

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.cli.sync_cmd import read_password
from app.security.agent import unlock_from_agent
from app.settings import data_dir


def _sign_in(account: str, password: str, settings):
    """Sign in with the station locked (or unlocked by this process); the store opens after."""
    from app.security.keys import StationLocked, WrongKey
    from app.staff.signin import SignInError, SignInService

    service = SignInService(None, settings, home=data_dir())
    try:
        identity = service.sign_in(account, password)
    except SignInError as exc:
        raise CommandError(str(exc)) from exc
    try:
        with open_store() as store:
            service.record_in(store)
            _begin_cli_session(store, settings, identity)
    except (StationLocked, WrongKey) as exc:
        raise CommandError(str(exc)) from exc
    return identity, service.recovery_code


def _begin_cli_session(store, settings, identity) -> None:
    from app.security import keys
    from app.security.agent import AgentAddress, start_agent, stop_agent
    from app.staff.session import (
        CLI,
        act_as,
        end_session,
        load_cli_session_record,
        open_session,
        save_cli_session,
    )

    earlier = load_cli_session_record(store.home) or {}
    if earlier.get("session"):  # whoever was signed in here before is signed out now
        end_session(store, earlier["session"], "switch", settings=settings)
    stop_agent(AgentAddress.from_dict(earlier.get("agent")))
    agent = start_agent(store.home, keys.station_keys(), settings.idle_lock_minutes * 60)
    session_id = open_session(store, identity, CLI)
    save_cli_session(store.home, session_id, identity.account, agent.as_dict())
    act_as(settings, identity)


def _print_recovery_code(code: str | None) -> None:
    if not code:
        return
    print("本工位的数据密钥已生成。管理员恢复密钥（只显示这一次，请抄写或打印后妥善保管；"
          "所有工作人员密码都丢失时，用它取回未上报的办件）：\n"
          f"    {code}\n"
          "/ the station's recovery key, shown once: keep it safe", file=sys.stderr)


def _login(args) -> int:
    settings = current_settings()
    password = read_password()
    # A first sign-in of this account needs the station unlocked (its new slot wraps
    # the data key): another clerk's session at this command line unlocks it.
    unlock_from_agent(data_dir())
    identity, recovery_code = _sign_in(args.user, password, settings)
    _print_recovery_code(recovery_code)
    print(f"已登录：{identity.label}，{identity.role_name}，工位 {identity.station}"
          f"（空闲 {settings.idle_lock_minutes:g} 分钟后需重新登录）")
    return 0


def _recover(args) -> int:
    """Recovery key (first line of stdin), then the hall password of ``--user``."""
    from app.security import keys
    from app.security.keys import KeySlots, RecoveryKeyWrong

    settings = current_settings()
    if sys.stdin.isatty():
        import getpass

        code = getpass.getpass("恢复密钥 / recovery key: ")
    else:
        code = sys.stdin.readline().strip()
    try:
        recovered = KeySlots.load(data_dir()).unwrap_recovery(code)
    except RecoveryKeyWrong as exc:
        raise CommandError(str(exc)) from exc
    keys.hold(recovered)
    password = read_password()
    identity, _code = _sign_in(args.user, password, settings)
    print(f"已用恢复密钥解锁工位，并为 {identity.label} 设置了新的密钥槽；"
          f"已登录，{identity.role_name}")
    return 0


def _logout(args) -> int:
    from app.security.agent import AgentAddress, stop_agent
    from app.staff.session import end_session, forget_cli_session, load_cli_session_record

    settings = current_settings()
    home = data_dir()
    record = load_cli_session_record(home) or {}
    account = None
    if record.get("session") and unlock_from_agent(home):
        with open_store() as store:
            account = end_session(store, record["session"], "logout", settings=settings)
    stop_agent(AgentAddress.from_dict(record.get("agent")))
    forget_cli_session(home)
    print(f"已退出：{account}" if account else "当前没有登录 / nobody was signed in")
    return 0


def _whoami(args) -> int:
    from app.staff.session import cli_identity

    settings = current_settings()
    identity = None
    if unlock_from_agent(data_dir()):
        with open_store() as store:
            identity = cli_identity(store, settings)
    if identity is None:
        if args.json:
            print_json({"signed_in": False})
        raise CommandError("未登录 / not signed in")
    if args.json:
        print_json({"signed_in": True, "account": identity.account,
                    "display_name": identity.display_name, "role": identity.role,
                    "station": identity.station})
    else:
        print(f"{identity.label}，{identity.role_name}，工位 {identity.station}")
    return 0


def _local(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "无 / none"


def _slots(args) -> int:
    from app.staff import PermissionRefused
    from app.staff.key_slots import key_slot_overview

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            overview = key_slot_overview(store, identity)
        except PermissionRefused as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json({"recovery_issued_at": overview.recovery_issued_at,
                    "staff": [vars(entry) for entry in overview.staff]})
        return 0
    zone = settings.zone
    for entry in overview.staff:
        state = ("有密钥槽" if entry.has_slot
                 else f"已撤销（{_local(entry.revoked_at, zone)}，{entry.revoked_by}）")
        print(f"{entry.account:<16} {entry.display_name:<12} {entry.role:<14} {state}")
    print(f"恢复密钥签发于 / recovery key issued: {_local(overview.recovery_issued_at, zone)}")
    return 0


def _revoke(args) -> int:
    from app.staff import PermissionRefused
    from app.staff.key_slots import KeySlotRefused, revoke_staff_slot

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            revoked = revoke_staff_slot(store, settings, identity, args.user)
        except (PermissionRefused, KeySlotRefused) as exc:
            raise CommandError(str(exc)) from exc
    print(f"已撤销 {revoked.account} 在本工位的密钥槽：其密码不能再在本工位解锁数据，"
          "其登录会话已结束 / key slot revoked")
    return 0


def _recovery_key(args) -> int:
    from app.staff import PermissionRefused
    from app.staff.key_slots import key_slot_overview, reissue_recovery_key
    from app.staff.signin import SignInError

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            if not args.new:
                issued = key_slot_overview(store, identity).recovery_issued_at
                print(f"恢复密钥签发于 / recovery key issued: {_local(issued, settings.zone)}"
                      "（重新签发：onewindow user recovery-key --new）")
                return 0
            password = read_password()
            code = reissue_recovery_key(store, settings, identity, password)
        except (PermissionRefused, SignInError) as exc:
            raise CommandError(str(exc)) from exc
    print("已签发新的管理员恢复密钥，旧的恢复密钥已失效。新密钥只显示这一次，请抄写或打印后"
          "妥善保管 / new recovery key, shown once; the old one no longer works:",
          file=sys.stderr)
    print(code)
    return 0


def _key_agent(args) -> int:
    from app.security.agent import run_agent

    return run_agent()


def register(subparsers) -> None:
    parser = subparsers.add_parser("user", help="工作人员登录 / staff sign-in")
    commands = parser.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    login = commands.add_parser("login", help="登录（密码从标准输入读取）/ sign in")
    login.add_argument("--user", required=True)
    login.set_defaults(handler=_login)
    logout = commands.add_parser("logout", help="退出登录 / sign out")
    logout.set_defaults(handler=_logout)
    whoami = commands.add_parser("whoami", help="当前登录的工作人员 / who is signed in")
    whoami.add_argument("--json", action="store_true")
    whoami.set_defaults(handler=_whoami)
    recover = commands.add_parser(
        "recover", help="用管理员恢复密钥解锁工位并设置新的密钥槽"
                        "（恢复密钥、密码依次从标准输入读取）/ unlock with the recovery key")
    recover.add_argument("--user", required=True,
                         help="由大厅确认密码、获得新密钥槽的账户 / account to give a new slot")
    recover.set_defaults(handler=_recover)
    slots = commands.add_parser(
        "slots", help="（管理员）本工位的密钥槽：谁的密码能解锁数据 / key slots here")
    slots.add_argument("--json", action="store_true")
    slots.set_defaults(handler=_slots)
    revoke = commands.add_parser(
        "revoke", help="（管理员）撤销工作人员在本工位的密钥槽 / revoke a staff key slot")
    revoke.add_argument("--user", required=True,
                        help="要撤销密钥槽的账户（如已离职的工作人员）/ account to revoke")
    revoke.set_defaults(handler=_revoke)
    recovery = commands.add_parser(
        "recovery-key", help="（管理员）恢复密钥：签发时间；--new 重新签发（密码从标准输入读取）"
                             "/ the recovery key; --new reissues it")
    recovery.add_argument("--new", action="store_true",
                          help="签发新的恢复密钥，旧密钥失效 / issue a new one, the old stops")
    recovery.set_defaults(handler=_recovery_key)
    agent = commands.add_parser("key-agent", help="（内部）登录会话的密钥代理 / internal")
    agent.set_defaults(handler=_key_agent)
