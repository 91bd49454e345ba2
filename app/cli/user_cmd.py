"""``onewindow user login|logout|whoami`` — staff sessions at this station.

``login`` reads the password from standard input (like ``enroll``); the first
sign-in of an account at this station goes to the hall, later ones work
offline (``app.staff.signin``).  The session id lands in ``session.json``
(0600) in the station home; no password or token is written anywhere.
"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json
from app.cli.sync_cmd import read_password


def _login(args) -> int:
    from app.staff.session import (
        CLI,
        act_as,
        end_session,
        load_cli_session,
        open_session,
        save_cli_session,
    )
    from app.staff.signin import SignInError, SignInService

    settings = current_settings()
    password = read_password()
    with open_store() as store:
        try:
            identity = SignInService(store, settings).sign_in(args.user, password)
        except SignInError as exc:
            raise CommandError(str(exc)) from exc
        earlier = load_cli_session(store.home)
        if earlier:  # whoever was signed in here before is signed out now
            end_session(store, earlier, "switch", settings=settings)
        session_id = open_session(store, identity, CLI)
        save_cli_session(store.home, session_id, identity.account)
        act_as(settings, identity)
    print(f"已登录：{identity.label}，{identity.role_name}，工位 {identity.station}"
          f"（空闲 {settings.idle_lock_minutes:g} 分钟后需重新登录）")
    return 0


def _logout(args) -> int:
    from app.staff.session import end_session, forget_cli_session, load_cli_session

    settings = current_settings()
    with open_store() as store:
        session_id = load_cli_session(store.home)
        account = end_session(store, session_id, "logout", settings=settings) if session_id \
            else None
        forget_cli_session(store.home)
    print(f"已退出：{account}" if account else "当前没有登录 / nobody was signed in")
    return 0


def _whoami(args) -> int:
    from app.staff.session import cli_identity

    settings = current_settings()
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
