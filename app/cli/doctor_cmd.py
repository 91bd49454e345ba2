"""``onewindow doctor``: check what this machine needs, each with how to fix it.

Every check returns a ``Finding``; the command prints them all (a problem in
one never hides another) and exits non-zero when any is an error.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict, dataclass

from app.cli.common import current_settings, print_json
from app.settings import data_dir

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass
class Finding:
    check: str
    level: str
    detail: str
    fix: str = ""


def check_sqlite() -> Finding:
    from local_store.db import SqliteTooOld, check_sqlite_version

    try:
        return Finding("sqlite", OK, f"SQLite {check_sqlite_version()}")
    except SqliteTooOld as exc:
        return Finding("sqlite", ERROR, str(exc), "升级系统 SQLite 或使用打包版本")


def check_data_dir() -> Finding:
    path = data_dir()
    probe = path / ".doctor-probe"
    try:
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Finding("data_dir", ERROR, f"数据目录不可写: {path}: {exc}",
                       "检查目录权限，或设置 ONEWINDOW_HOME 指向可写目录")
    return Finding("data_dir", OK, str(path))


def check_fonts() -> Finding:
    from printing.fonts import font_report

    report = font_report()
    if report.get("ok"):
        return Finding("fonts", OK, report.get("detail", ""))
    return Finding("fonts", ERROR, report.get("detail", "未找到中文字体"),
                   report.get("fix", "sudo apt-get install fonts-noto-cjk"))


def check_keyring() -> Finding:
    from sync.credentials import keyring_problem

    problem = keyring_problem()
    if problem is None:
        import keyring

        return Finding("keyring", OK, type(keyring.get_keyring()).__name__)
    return Finding("keyring", ERROR, problem,
                   "桌面会话中: sudo apt-get install gnome-keyring 并登录解锁；"
                   "或由管理员以 PYTHON_KEYRING_BACKEND 指定受信任的后端")


def check_scanners() -> Finding:
    if shutil.which("scanimage") is None:
        return Finding("scanner", WARNING, "未安装 SANE 工具，无法使用扫描仪",
                       "sudo apt-get install sane-utils libsane1")
    try:
        listing = subprocess.run(["scanimage", "-L"], capture_output=True, text=True,
                                 timeout=20).stdout.strip()
    except subprocess.TimeoutExpired:
        return Finding("scanner", WARNING, "扫描仪检测超时", "检查扫描仪连接与驱动")
    if "device `" not in listing:
        return Finding("scanner", WARNING, "未发现扫描仪 (仍可导入文件或使用监视文件夹)",
                       "连接扫描仪并安装驱动；测试可在 /etc/sane.d/dll.conf 启用 test")
    devices = [line.split("`")[1].split("'")[0] for line in listing.splitlines() if "`" in line]
    return Finding("scanner", OK, "SANE: " + ", ".join(devices))


def check_hall() -> Finding:
    import requests

    settings = current_settings()
    url = settings.effective_hall_url
    if not url:
        return Finding("hall", OK, "未配置办事大厅地址：使用内置本地参考大厅 (演示)")
    from urllib.parse import urlsplit

    from sync.http import INSECURE_HTTP_ENV, is_loopback_host, transport_problem

    insecure = transport_problem(url)
    if insecure:
        return Finding("hall", ERROR, insecure,
                       f"改用 https:// 大厅地址（onewindow enroll --hall https://…）；"
                       f"确需明文时由管理员设置 {INSECURE_HTTP_ENV}=1")
    parts = urlsplit(url)
    plain_remote = parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname)
    verify = settings.ca_bundle or True
    try:
        response = requests.get(f"{url.rstrip('/')}/api/v1/health", timeout=5, verify=verify)
        response.raise_for_status()
    except requests.exceptions.SSLError as exc:
        return Finding("hall", ERROR, f"TLS 证书校验失败: {exc}",
                       "配置正确的 CA 证书包 (设置 ca_bundle)")
    except requests.RequestException as exc:
        return Finding("hall", WARNING, f"办事大厅不可达 ({url}): {exc}",
                       "检查网络；离线时本机受理照常进行，恢复后自动上报")
    if plain_remote:
        return Finding("hall", WARNING,
                       f"{url} 可达，但为明文 http（管理员已设置 {INSECURE_HTTP_ENV}）："
                       "密码、令牌和办件数据以明文传输",
                       "为大厅配置 TLS 证书并改用 https:// 地址")
    return Finding("hall", OK, f"{url} 可达")


def check_time_zone() -> Finding:
    """The station's zone decides every time shown and every day boundary; the
    computer's own zone does not, but an administrator should see both."""
    import datetime as dt

    from app.settings import SettingsError

    try:
        settings = current_settings()
    except SettingsError as exc:
        return Finding("time_zone", ERROR, str(exc),
                       "在 settings.json 中把 time_zone 改为 IANA 时区名，如 Asia/Shanghai")
    station = dt.datetime.now(settings.zone)
    computer = dt.datetime.now().astimezone()
    detail = (f"本站时区 {settings.time_zone}（{station:%Y-%m-%d %H:%M %z}）；"
              f"本机系统时区 {computer.tzname()}（{computer:%z}），不影响办件时间")
    return Finding("time_zone", OK, detail)


CHECKS = [check_sqlite, check_data_dir, check_fonts, check_keyring, check_scanners, check_hall,
          check_time_zone]


def run_checks() -> list[Finding]:
    findings = []
    for check in CHECKS:
        try:
            findings.append(check())
        except Exception as exc:  # noqa: BLE001 - a broken check is itself a finding
            findings.append(Finding(check.__name__.removeprefix("check_"), ERROR, repr(exc)))
    return findings


def _doctor(args) -> int:
    findings = run_checks()
    if args.json:
        print_json([asdict(f) for f in findings])
    else:
        marks = {OK: "✓", WARNING: "!", ERROR: "✗"}
        for f in findings:
            line = f"{marks[f.level]} {f.check:<9} {f.detail}"
            print(line + (f"\n    → {f.fix}" if f.fix and f.level != OK else ""))
    return 1 if any(f.level == ERROR for f in findings) else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("doctor", help="检查本机环境 (check this machine)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_doctor)
