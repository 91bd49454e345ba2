"""``onewindow enroll`` and ``onewindow sync run|status|retry`` — the hall link.

The password is read from standard input (a terminal prompt without echo, or
one line from a pipe), never from an argument, so it stays out of shell
history and process lists.  The token goes to the keyring only.
"""

from __future__ import annotations

import getpass
import logging
import os
import queue
import signal
import sys
import time

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json
from app.settings import data_dir, save_settings
from app.sync_commands import STOP, SYNC_NOW, PipeLines, read_commands, standard_input_lines
from sync.control import ControlListener, write_state

log = logging.getLogger(__name__)


def read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("密码 / password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("未读到密码（请从标准输入提供）/ no password on standard input")
    return password


def _enroll(args) -> int:
    from app.certificates.hall_key import HallKeyError, pin_enrolled_hall_key, read_hall_key_file
    from sync.credentials import CredentialError, enroll

    settings = current_settings()
    expected_key = None
    if args.hall_key:
        try:  # a bad key file is refused before anything is sent to the hall
            expected_key = read_hall_key_file(args.hall_key)
        except HallKeyError as exc:
            raise CommandError(str(exc)) from exc
    from sync.http import transport_problem

    insecure = transport_problem(args.hall)
    if insecure:  # before the password is even read
        raise CommandError(insecure)
    password = read_password()
    try:
        token = enroll(settings, args.hall, args.station, args.user, password)
    except CredentialError as exc:
        raise CommandError(str(exc)) from exc
    print(f"已登记：工位 {token.station}，用户 {token.user}，大厅 {settings.hall_url}"
          f"（令牌保存在系统密钥环，有效期至 {token.expires_at}）")
    try:
        pinned = pin_enrolled_hall_key(settings, expected_key, save=False)
    except HallKeyError as exc:
        save_settings(settings, data_dir())  # the enrolment itself stands
        raise CommandError(f"{exc}；电子证照暂无法验签，核实后运行 onewindow cert pin-key "
                           "[--hall-key FILE]") from exc
    save_settings(settings, data_dir())
    print_pinned_key(pinned)
    return 0


def print_pinned_key(pinned) -> None:
    source = "公钥文件" if pinned.source == "file" else "大厅"
    print(f"已固定大厅验签公钥（来自{source}），指纹 {pinned.fingerprint}")
    print("请与大厅管理员公布的指纹逐位核对 / compare with the fingerprint the hall publishes")
    if pinned.replaced_fingerprint:
        print(f"注意：替换了先前固定的公钥（指纹 {pinned.replaced_fingerprint}）")


def _lanes(store, settings, events=None):
    import app.catalog  # noqa: F401 - registers the catalog importer for the catalog lane
    from app.evaluation import hall_rating_applier
    from app.fees import payment_applier
    from app.housekeeping import tidy_station
    from app.prereview import due_rule
    from sync.lanes import SyncLanes

    if not settings.effective_hall_url:
        raise CommandError("未配置大厅地址，请先运行 onewindow enroll / no hall configured")
    options = {}
    if events is not None:  # the window hears what each catalog sync brought
        from app.sync_events import announcing_catalog_sync

        options["catalog_sync"] = announcing_catalog_sync(events)
    return SyncLanes.from_settings(
        store, settings, housekeeping=lambda: tidy_station(store, settings),
        prereview_due=due_rule(settings), rating_apply=hall_rating_applier(settings),
        payment_apply=payment_applier(settings), **options,
    )


def _summary(settings) -> dict:
    from sync.summary import queue_summary

    return queue_summary(settings.unsent_warning_hours, settings.unsent_alarm_hours).as_dict()


def _print_lanes(states) -> None:
    for state in states.values():
        line = f"{state.title}（{state.name}）：{state.label}"
        print(line + (f" — {state.message}" if state.message else ""))


def _run(args) -> int:
    from sync.lanes import IDLE

    settings = current_settings()
    if hasattr(signal, "SIGPIPE"):
        # A link reset mid-upload must be an error we retry, not the death of the
        # process (some native libraries, e.g. SANE's, reset SIGPIPE to default).
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    if args.background and hasattr(os, "nice"):
        os.nice(10)  # background work: the clerk's window comes first on a two-core PC
    stdin_lines = (standard_input_lines() if args.key_from_stdin or args.until_stdin_closes
                   else None)
    if args.key_from_stdin:
        _key_from_stdin(stdin_lines)
    with open_store() as store:
        from sync.parked import requeue_after_upgrade

        # A release that fixed a contract defect sends again what the old one parked.
        requeued = store.writer.call(requeue_after_upgrade)
        if requeued:
            print(f"接口约定已更新：重新上报 {requeued} 条此前被拒收的办件")
        events = None
        if args.events_on_stdout:
            from app.sync_events import EventWriter

            events = EventWriter.on_standard_output()
        lanes = _lanes(store, settings, events)
        if args.once:
            states = lanes.run_once()
            lanes.stop()
            _print_lanes(states)
            summary = _summary(settings)
            print(f"待上报 {summary['unsent']}（搁置 {summary['parked']}），"
                  f"已确认 {summary['acknowledged']}")
            return 0 if states["upload"].status == IDLE else 3
        service = _ServiceLoop(lanes, data_dir(), events, settings, args)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: service.tell(STOP))
        if args.until_stdin_closes and stdin_lines is not None:
            read_commands(stdin_lines, service.tell)
        service.run()
        _print_lanes(lanes.snapshot())
        summary = _summary(settings)
        print(f"待上报 {summary['unsent']}（搁置 {summary['parked']}），"
              f"已确认 {summary['acknowledged']}")
        return 0 if summary["unsent"] - summary["parked"] == 0 or not args.until_drained else 3


def _key_from_stdin(lines: PipeLines | None) -> None:
    """The window's sync service hands its child the data key as the first line
    of the stdin pipe (``app.sync_child``): held in memory, never written.  Read
    through the same ``PipeLines`` as the commands behind it, so none is lost."""
    from app.security import keys

    line = lines.readline().strip() if lines is not None else b""
    try:
        keys.hold(keys.StationKeys(bytes.fromhex(line.decode("ascii"))))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CommandError("同步服务未收到工位密钥 / no station key on stdin") from exc


# What the service loop hears besides the commands (SYNC_NOW, STOP): a lane's state changed.
_LANES_CHANGED = "lanes_changed"
# Lane states go out (state file, window pipe) at most this often: a burst of
# uploads changes the upload lane many times a second.
_PUBLISH_EVERY_S = 0.2


class _ServiceLoop:
    """The main thread of ``sync run``: asleep until told something — a command
    (the window's pipe, ``onewindow sync now``), a signal, a lane's change — then
    acting on it.  Nothing is polled: the only timeouts are the run's ``--timeout``
    and the short pause that folds a burst of lane changes into one report."""

    def __init__(self, lanes, home, events, settings, args):
        self.lanes, self.home, self.events = lanes, home, events
        self.settings, self.args = settings, args
        # SimpleQueue: its put is safe from a signal handler and from any thread.
        self._heard: queue.SimpleQueue[str] = queue.SimpleQueue()

    def tell(self, what: str) -> None:
        self._heard.put(what)

    def run(self) -> None:
        self.lanes.set_on_change(lambda: self.tell(_LANES_CHANGED))
        try:  # ``onewindow sync now`` from a terminal, whoever started this service
            control = ControlListener(self.home, self.tell)
        except OSError as exc:
            log.warning("sync now from other processes unavailable: %s", exc)
            control = None
        self.lanes.start()
        deadline = time.monotonic() + self.args.timeout if self.args.timeout else None
        published_at = -_PUBLISH_EVERY_S
        publish_due: float | None = None  # a change waiting for the end of the pause
        try:
            while True:
                wake_at = min((t for t in (deadline, publish_due) if t is not None),
                              default=None)
                try:
                    what = self._heard.get(timeout=None if wake_at is None
                                           else max(0.0, wake_at - time.monotonic()))
                except queue.Empty:
                    what = None
                now = time.monotonic()
                if what == STOP:
                    break
                if what == SYNC_NOW:
                    self.lanes.sync_now()
                elif what == _LANES_CHANGED and publish_due is None:
                    publish_due = max(now, published_at + _PUBLISH_EVERY_S)
                if publish_due is not None and publish_due <= now:
                    publish_due, published_at = None, now
                    self._publish()
                    # The queue summary is a query over every case: only when asked
                    # for, and only after a lane did something.
                    if self.args.until_drained and self._drained():
                        break
                if deadline is not None and now >= deadline:
                    break
        finally:
            if control is not None:
                control.close()
            self.lanes.stop()
            self._publish()

    def _publish(self) -> None:
        snapshot = self.lanes.snapshot()
        write_state(self.home, snapshot)
        if self.events is not None:
            self.events.lanes(snapshot)

    def _drained(self) -> bool:
        summary = _summary(self.settings)
        return summary["unsent"] - summary["parked"] == 0


def _status(args) -> int:
    settings = current_settings()
    with open_store():
        summary = _summary(settings)
    if args.json:
        print_json(summary)
        return 0
    age = summary["oldest_unsent_age_s"]
    print(f"排队 {summary['queued']}，上传中 {summary['uploading']}，待确认 {summary['sent']}，"
          f"搁置 {summary['parked']}，已确认 {summary['acknowledged']}")
    if age is not None:
        print(f"最早未上报办件已等待 {age / 3600:.1f} 小时（{summary['level']}）")
    return 0


def _now(args) -> int:
    """Wake every lane of the service that runs for this station — the window's child
    or a ``sync run`` in another terminal — as the window's "sync now" does."""
    from sync.control import NoServiceRunning, request_sync_now

    try:
        request_sync_now(data_dir())
    except NoServiceRunning as exc:
        raise CommandError("同步服务未运行或无应答（请打开工作站窗口或运行 onewindow sync run）"
                           f" / no sync service answers ({exc})") from exc
    print("已请求立即同步 / sync requested")
    return 0


def _retry(args) -> int:
    from local_store.models import Case, OutboxEntry
    from sync import parked

    with open_store() as store:
        if args.parked:
            requeued, still = store.writer.call(parked.retry_parked)
        else:
            ids = [e.id for e in OutboxEntry.select(OutboxEntry.id).join(Case).where(
                Case.number == args.case_number)]
            if not ids:
                raise CommandError(f"队列中没有办件 {args.case_number} / not in the queue")
            results = [store.writer.call(parked.retry, entry_id) for entry_id in ids]
            requeued, still = sum(results), len(results) - sum(results)
        if still:
            for entry in OutboxEntry.select().where(OutboxEntry.state == "parked"):
                print(f"仍搁置 {entry.case.number}：{entry.last_error}。"
                      f"{parked.advice(entry.last_error)}")
    print(f"已重新排队 {requeued} 条" + (f"，仍搁置 {still} 条" if still else ""))
    return 0 if not still else 4


def register(subparsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help="登记工位并登录网上办事大厅 (password from stdin)"
    )
    enroll.add_argument("--hall", required=True, help="大厅地址 / hall URL")
    enroll.add_argument("--station", required=True, help="9 位工位编号 / 9-digit station id")
    enroll.add_argument("--user", required=True, help="工作人员账号 / staff account")
    enroll.add_argument("--hall-key", metavar="FILE",
                        help="线下交付的大厅验签公钥文件（sm2_public_key.hex）"
                             " / the hall's SM2 key delivered out of band")
    enroll.set_defaults(handler=_enroll)

    sync = subparsers.add_parser("sync", help="与网上办事大厅同步 (sync with the hall)")
    commands = sync.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser("run", help="运行同步 (run the sync lanes)")
    run.add_argument("--once", action="store_true", help="每条通道运行一次后退出")
    run.add_argument("--until-drained", action="store_true",
                     help="队列（不含搁置）清空后退出 / exit when the queue is drained")
    run.add_argument("--timeout", type=float, default=0, help="最多运行秒数 / max seconds")
    run.add_argument("--background", action="store_true",
                     help="以较低优先级运行（工作站窗口使用）/ lower OS priority")
    run.add_argument("--key-from-stdin", action="store_true",
                     help="（窗口启动时）首行标准输入为工位数据密钥 / data key on stdin")
    run.add_argument("--until-stdin-closes", action="store_true",
                     help="从标准输入逐行读取命令（JSON：sync_now、stop），标准输入关闭时退出"
                          "（工作站窗口使用，窗口退出即停止）"
                          " / read commands from standard input, stop when it closes")
    run.add_argument("--events-on-stdout", action="store_true",
                     help="在标准输出逐行报告通道状态与目录同步（JSON，工作站窗口使用）"
                          " / report lane states and catalog syncs as JSON lines")
    run.set_defaults(handler=_run)
    now = commands.add_parser("now", help="让正在运行的同步服务立即同步 (sync now)")
    now.set_defaults(handler=_now)
    status = commands.add_parser("status", help="队列状态 (queue state)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    retry = commands.add_parser("retry", help="重新排队 (re-queue parked or one case)")
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("--parked", action="store_true", help="所有搁置的条目")
    target.add_argument("--case", dest="case_number", help="办件编号")
    retry.set_defaults(handler=_retry)
