"""Typed workstation settings, declared once.

Settings live in ``settings.json`` inside the data directory.  The data
directory comes from platformdirs, overridden by ``ONEWINDOW_HOME`` so that
tests and several stations on one machine stay apart.  Secrets never live
here: credentials go to the OS keyring (see ``sync.credentials``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs

from local_store.instants import DEFAULT_ZONE, UnknownTimeZone, set_station_zone, zone_named

APP_NAME = "OneWindow"
HOME_ENV = "ONEWINDOW_HOME"
HALL_URL_ENV = "ONEWINDOW_HALL_URL"
SETTINGS_FILE = "settings.json"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    if not path.exists():
        from local_store.file_modes import make_private_dir

        make_private_dir(path)  # the station home: only its own account may enter
    return path


@dataclass
class Settings:
    # Where this workstation sits.  region(6) + station(3) make case numbers
    # unique across the province without asking the hall.
    region_code: str = "350205"
    station_code: str = "001"
    centre_name: str = "厦门市海沧区行政服务中心"
    window_name: str = "综合受理1号窗口"
    # The signed-in staff account acting for this process, set by
    # ``app.staff.session.act_as`` at sign-in; whatever a settings file holds
    # here is ignored.  The command line refuses to act without a sign-in; the
    # window still records the generic name until it opens on its sign-in dialog.
    clerk_name: str = "窗口人员"
    # Case number layout; fields: region, station, date (yyyymmdd), seq.
    case_number_pattern: str = "{region}{station}{date}{seq:05d}"

    # The online service hall.  Empty = start the local reference hall (demo).
    hall_url: str = ""
    ca_bundle: str = ""
    hall_public_key: str = ""
    http_timeout_s: float = 15.0
    cert_lookup_timeout_s: float = 5.0
    cert_cache_days: int = 3
    status_query_url: str = "https://zwfw.example.gov.cn/query?no="

    # Intake.
    material_size_limit_mb: float = 5.0
    scan_dpi: int = 200
    scan_colour: bool = False
    watch_folder: str = ""
    scan_device: str = ""  # SANE device name; empty = the first one found
    import_file_limit_mb: float = 50.0  # larger files are refused before reading
    # PEM bundle of roots trusted for e-signed PDFs (e.g. the province's e-seal CA).
    signature_trust_roots: str = ""
    autosave_interval_s: float = 3.0

    # Printing.
    printer_name: str = ""
    silent_receipt_printing: bool = False
    # "a4" or "roll" (80 mm thermal receipt printer) for the 收件回执.
    receipt_layout: str = "a4"
    seal_image: str = ""
    consultation_phone: str = "0592-6051000"
    complaint_phone: str = "12345"
    # 一次性告知书: working days the applicant has to supply what is missing.
    completion_days_allowed: int = 20
    # 不予受理通知书 remedies: where to ask for reconsideration / to sue.
    reconsideration_body: str = "厦门市海沧区人民政府"
    litigation_body: str = "人民法院"

    # Sync timeliness thresholds (the plan demands reporting within 12 hours).
    unsent_warning_hours: float = 8.0
    unsent_alarm_hours: float = 12.0
    # Retry schedule of the sync lanes (exponential with jitter, reset on success).
    sync_backoff_start_s: float = 1.0
    sync_backoff_cap_s: float = 600.0

    # Staff sign-in (GB/T 22239-2019 level 3: login failures, idle timeout).
    # After one sign-in the hall confirmed, the station accepts the same
    # password offline for this many days.
    offline_sign_in_days: float = 7.0
    sign_in_max_failures: int = 5
    sign_in_lockout_minutes: float = 30.0
    idle_lock_minutes: float = 15.0
    idle_warning_seconds: float = 60.0  # warn this long before the idle lock
    # argon2id cost of a new staff key slot (app.security.keys): RFC 9106's
    # low-memory profile.  Tests lower it; a station should not.
    key_slot_kdf_time_cost: int = 3
    key_slot_kdf_memory_kib: int = 65_536
    key_slot_kdf_parallelism: int = 4
    # IANA zone of the station: every time shown or printed, every day boundary
    # (case-number date, deadlines, reports) — whatever the computer's zone is.
    time_zone: str = DEFAULT_ZONE

    # 好差评: working days the supervisor has to verify and rectify a bad rating
    # and answer the applicant (15 in several provinces' rules; some use 5).
    rectification_working_days: int = 15

    # Retention of personal data (PIPL art. 19; app.retention): a concluded or
    # rejected case loses its names, ID numbers, phones, addresses and scans on
    # this workstation this many days after the hall acknowledged its last
    # decision — the hall is the record.  Changed by an administrator only
    # (``onewindow retention set``); off keeps everything (the old behaviour).
    retention_enabled: bool = True
    retention_days: int = 90

    language: str = "zh_CN"
    extra: dict = field(default_factory=dict)

    @property
    def effective_hall_url(self) -> str:
        return os.environ.get(HALL_URL_ENV) or self.hall_url

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.time_zone)

    @property
    def material_size_limit_bytes(self) -> int:
        return int(self.material_size_limit_mb * 1024 * 1024)


def _known_fields() -> set[str]:
    return {f.name for f in dataclasses.fields(Settings)}


def load_settings(directory: Path | None = None) -> Settings:
    """Read settings, ignoring unknown keys so older files keep loading.

    Also makes the settings' time zone the station zone of this process.
    """
    path = (directory or data_dir()) / SETTINGS_FILE
    settings = Settings()
    if path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SettingsError(f"设置文件无法读取: {path}: {exc}") from exc
        known = _known_fields() - {"clerk_name"}  # who is at the window comes from sign-in
        settings = Settings(**{k: v for k, v in raw.items() if k in known})
    try:
        # Code below app/ (sync, printing) reads the station's zone from there.
        set_station_zone(settings.time_zone)
    except UnknownTimeZone as exc:
        raise SettingsError(f"设置文件 {path}: {exc}") from exc
    return settings


def save_settings(settings: Settings, directory: Path | None = None) -> Path:
    """Write atomically: a torn settings file must never stop the station."""
    directory = directory or data_dir()
    path = directory / SETTINGS_FILE
    payload = json.dumps(dataclasses.asdict(settings), ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".settings-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


class SettingsError(Exception):
    pass
