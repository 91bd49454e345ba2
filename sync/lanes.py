"""Sync lanes: catalog, upload, status and housekeeping (expired look-ups, unused files).

Each lane is its own worker thread with its own HTTP session and its own
backoff, so a lane that fails (the catalog endpoint down, a 429 on uploads)
never holds up another.  ``sync_now()`` wakes every lane at once and makes
every waiting entry due; when the hall becomes reachable again after an
outage, the upload lane notices on its next probe (``GET /health``, spaced
by backoff) and drains the queue by itself.

No Qt here: state is offered as plain snapshots (``snapshot()``) and an
optional ``on_change`` callback (called from lane threads, at each change of
state and each step of progress); ``onewindow sync run`` reports it to the window
on a pipe (``app.sync_events``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import requests

from local_store.models import utcnow
from local_store.store import Store
from sync import outbox
from sync.credentials import CredentialError, HallToken, load_token
from sync.http import (
    Backoff,
    HallClient,
    HallFailure,
    HallSession,
    LinkBackoff,
    classify_exception,
)
from sync.status import pull_status
from sync.thread_priority import lower_thread_priority
from sync.upload import AdaptiveChunker, CaseUploader

log = logging.getLogger(__name__)

IDLE, WORKING, OFFLINE, SIGN_IN, ERROR, STOPPED = (
    "idle", "working", "offline", "needs_sign_in", "error", "stopped",
)
LANE_STATUS_LABELS = {
    IDLE: "正常",
    WORKING: "工作中",
    OFFLINE: "大厅不可达，稍后自动重试",
    SIGN_IN: "需要登录大厅",
    ERROR: "出错，稍后自动重试",
    STOPPED: "已停止",
}
LANE_NAMES = {
    "upload": "办件上报",
    "status": "状态回传",
    "catalog": "事项目录",
    "prereview": "网上预审",
    "evaluation": "好差评",
    "payment": "缴费确认",
    "audit": "审计记录",  # the station's audit rows, kept at the hall ≥ 180 days
    "reports": "周报月报与日结",
    "housekeeping": "本机清理",  # expired certificate look-ups, unreferenced files
}
NOT_SIGNED_IN = "尚未登录网上办事大厅（请运行 onewindow enroll 或在设置中登录）"


class NotSignedIn(Exception):
    pass


@dataclass(frozen=True)
class LaneState:
    name: str
    status: str = IDLE
    message: str = ""
    runs: int = 0
    last_success_at: float | None = None  # time.time()
    next_run_at: float | None = None  # time.time()

    @property
    def label(self) -> str:
        return LANE_STATUS_LABELS.get(self.status, self.status)

    @property
    def title(self) -> str:
        return LANE_NAMES.get(self.name, self.name)


@dataclass
class LaneTimings:
    """How often each lane runs when nothing wakes it (seconds)."""

    catalog_s: float = 900.0
    upload_idle_s: float = 30.0
    status_s: float = 60.0
    purge_s: float = 3600.0
    backoff_start_s: float = 1.0
    backoff_cap_s: float = 600.0
    # Entries of different cases sent side by side: on a high-latency link one
    # request at a time would leave the hall idle between round trips.
    upload_workers: int = 8
    upload_batch: int = 64


class Lane:
    """One worker thread running ``work`` repeatedly; ``work`` returns seconds to sleep."""

    def __init__(self, name: str, work: Callable[[], float | None], interval_s: float,
                 backoff: Backoff, on_change: Callable[[], None] | None,
                 on_exit: Callable[[], None] | None = None):
        self.name = name
        self.work = work
        self.interval_s = interval_s
        self.link = LinkBackoff(backoff)
        self._on_change = on_change
        self._on_exit = on_exit
        self._state = LaneState(name)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"sync-{name}", daemon=True)

    @property
    def state(self) -> LaneState:
        with self._lock:
            return self._state

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._state = replace(self._state, **changes)
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:  # noqa: BLE001 - a listener must not kill the lane
                log.exception("sync on_change listener failed")

    def progressed(self) -> None:
        """Tell the listener the lane's work moved on (a batch claimed or acknowledged)
        without a change of state: the window's queue views refresh on it."""
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:  # noqa: BLE001 - a listener must not kill the lane
                log.exception("sync on_change listener failed")

    def start(self) -> None:
        self._thread.start()

    def wake(self, reset_backoff: bool = False) -> None:
        if reset_backoff:
            self.link.succeeded()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> float:
        """Run the work once, record the outcome, return seconds until the next run."""
        self._set(status=WORKING, message="")
        try:
            wait = self.work()
        except NotSignedIn as exc:
            self._set(status=SIGN_IN, message=str(exc), runs=self._state.runs + 1)
            return self.interval_s
        except HallFailure as failure:
            status = SIGN_IN if failure.needs_sign_in else OFFLINE if failure.link_down else ERROR
            wait = self.link.failed(failure.retry_after_s)
            self._set(status=status, message=failure.message, runs=self._state.runs + 1)
            return wait
        except CredentialError as exc:
            self._set(status=SIGN_IN, message=str(exc), runs=self._state.runs + 1)
            return self.interval_s
        except requests.RequestException as exc:  # lanes given a plain session (catalog)
            failure = classify_exception(exc)
            wait = self.link.failed()
            self._set(status=OFFLINE, message=failure.message, runs=self._state.runs + 1)
            return wait
        except Exception as exc:  # noqa: BLE001 - one lane's bug must not stop the others
            log.exception("sync lane %s failed", self.name)
            wait = self.link.failed()
            self._set(status=ERROR, message=f"{type(exc).__name__}: {exc}",
                      runs=self._state.runs + 1)
            return wait
        self.link.succeeded()
        self._set(status=IDLE, message="", runs=self._state.runs + 1,
                  last_success_at=time.time())
        return self.interval_s if wait is None else wait

    def _loop(self) -> None:
        lower_thread_priority()
        try:
            while not self._stop.is_set():
                wait = max(0.0, self.run_once())
                self._set(next_run_at=time.time() + wait)
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            self._set(status=STOPPED, next_run_at=None)
            if self._on_exit is not None:
                self._on_exit()


class SyncLanes:
    """The workstation's background sync: start, wake, observe, stop."""

    def __init__(
        self,
        store: Store,
        hall_url: str,
        *,
        ca_bundle: str = "",
        timeout_s: float = 15.0,
        token_source: Callable[[], HallToken | None] | None = None,
        catalog_sync: Callable[[Any, str], Any] | None = None,
        housekeeping: Callable[[], Any] | None = None,
        prereview_due: Callable[[Any], Any] | None = None,
        rating_apply: Callable[[dict], bool] | None = None,
        payment_apply: Callable[[dict], bool] | None = None,
        timings: LaneTimings | None = None,
        chunker_factory: Callable[[], AdaptiveChunker] = AdaptiveChunker,
        on_change: Callable[[], None] | None = None,
    ):
        self.store = store
        self.hall_url = hall_url.rstrip("/")
        self.timings = timings or LaneTimings()
        self.token_source = token_source or (lambda: load_token(self.hall_url))
        self._catalog_sync = catalog_sync
        backoff = Backoff(self.timings.backoff_start_s, self.timings.backoff_cap_s)
        self._backoff = backoff
        # Each lane its own session: a stalled upload never holds the status pull.
        self._client_options = {"ca_bundle": ca_bundle, "timeout_s": timeout_s}
        self.upload_client = HallClient(self.hall_url, **self._client_options)
        self.status_client = HallClient(self.hall_url, **self._client_options)
        self.catalog_session = HallSession(ca_bundle=ca_bundle, timeout=timeout_s)
        self._chunker_factory = chunker_factory
        # Upload workers: each its own session and chunker (thread-local uploader).
        self._upload_pool = ThreadPoolExecutor(max(1, self.timings.upload_workers),
                                               thread_name_prefix="sync-upload",
                                               initializer=lower_thread_priority)
        self._worker_local = threading.local()
        self._worker_uploaders: list[CaseUploader] = []
        self._worker_lock = threading.Lock()
        self._upload_token = ""
        self._upload_link_down = False
        self.lanes: dict[str, Lane] = {}
        close_db = self._close_thread_connection
        self._add(Lane("upload", self._upload_work, self.timings.upload_idle_s, backoff,
                       on_change, close_db))
        self._add(Lane("status", self._status_work, self.timings.status_s, backoff,
                       on_change, close_db))
        self._add(Lane("catalog", self._catalog_work, self.timings.catalog_s, backoff,
                       on_change, close_db))
        # The audit trail to the hall (sync.audit): its own session, never behind uploads.
        self.audit_client = HallClient(self.hall_url, **self._client_options)
        self._add(Lane("audit", self._audit_work, self.timings.status_s, backoff,
                       on_change, close_db))
        # 周报/月报 and signed days out (sync.period_reports): few, small, never urgent.
        self.report_client = HallClient(self.hall_url, **self._client_options)
        self._add(Lane("reports", self._report_work, self.timings.status_s, backoff,
                       on_change, close_db))
        if prereview_due is not None:
            # Online applications in, pre-review decisions out (sync.prereview).
            self.prereview_client = HallClient(self.hall_url, **self._client_options)
            self._prereview_due = prereview_due
            self._add(Lane("prereview", self._prereview_work, self.timings.status_s, backoff,
                           on_change, close_db))
        if rating_apply is not None:
            # 好差评 out, ratings given by QR on the hall in (sync.evaluations).
            self.evaluation_client = HallClient(self.hall_url, **self._client_options)
            self._rating_apply = rating_apply
            self._add(Lane("evaluation", self._evaluation_work, self.timings.status_s, backoff,
                           on_change, close_db))
        if payment_apply is not None:
            # Fee payments the non-tax platform confirmed, via the hall (sync.payments).
            self.payment_client = HallClient(self.hall_url, **self._client_options)
            self._payment_apply = payment_apply
            self._add(Lane("payment", self._payment_work, self.timings.status_s, backoff,
                           on_change, close_db))
        if housekeeping is not None:
            self._add(Lane("housekeeping", housekeeping_work(housekeeping),
                           self.timings.purge_s, backoff, on_change, close_db))
        self._started = False

    @classmethod
    def from_settings(cls, store: Store, settings, **options: Any) -> SyncLanes:
        """Lanes for the configured hall (``settings`` is ``app.settings.Settings``)."""
        url = settings.effective_hall_url
        if not url:
            raise ValueError("no hall configured")
        timings = options.pop("timings", None) or LaneTimings(
            backoff_start_s=settings.sync_backoff_start_s,
            backoff_cap_s=settings.sync_backoff_cap_s,
        )
        return cls(store, url, ca_bundle=settings.ca_bundle, timeout_s=settings.http_timeout_s,
                   timings=timings, **options)

    def set_on_change(self, on_change: Callable[[], None] | None) -> None:
        """Who to tell (from lane threads) when any lane's state changes."""
        for lane in self.lanes.values():
            lane._on_change = on_change

    def _add(self, lane: Lane) -> None:
        self.lanes[lane.name] = lane

    def _close_thread_connection(self) -> None:
        if not self.store.case_db.is_closed():
            self.store.case_db.close()

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> None:
        if not self._started:
            self._started = True
            for lane in self.lanes.values():
                lane.start()

    def sync_now(self) -> None:
        """A person asked: every waiting entry due now, every lane awake, no backoff."""
        self.store.writer.call(outbox.retry_all_now)
        for lane in self.lanes.values():
            lane.wake(reset_backoff=True)

    def stop(self, timeout_s: float | None = None) -> None:
        for lane in self.lanes.values():
            lane.stop()
        # An in-flight request ends by its own timeout at the latest.
        deadline = time.monotonic() + (timeout_s or self.upload_client.timeout[1] + 5)
        for lane in self.lanes.values():
            lane.join(max(0.1, deadline - time.monotonic()))
        self._upload_pool.shutdown(wait=True, cancel_futures=True)
        self.upload_client.close()
        self.status_client.close()
        self.audit_client.close()
        self.report_client.close()
        if "prereview" in self.lanes:
            self.prereview_client.close()
        if "evaluation" in self.lanes:
            self.evaluation_client.close()
        if "payment" in self.lanes:
            self.payment_client.close()
        self.catalog_session.close()
        with self._worker_lock:
            for uploader in self._worker_uploaders:
                uploader.client.close()

    def snapshot(self) -> dict[str, LaneState]:
        return {name: lane.state for name, lane in self.lanes.items()}

    # -- one-shot (CLI ``sync run --once``) ----------------------------------
    def run_once(self) -> dict[str, LaneState]:
        """Run every lane once in this thread (upload drains what is due now)."""
        for lane in self.lanes.values():
            lane.run_once()
        return self.snapshot()

    # -- lane work -------------------------------------------------------------
    def _token(self) -> str:
        token = self.token_source()
        if token is None:
            raise NotSignedIn(NOT_SIGNED_IN)
        return token.access_token

    def _upload_work(self) -> float:
        self._upload_token = self.upload_client.token = self._token()
        if self._upload_link_down:
            self.upload_client.health()  # still down → HallFailure → lane backs off
            self._upload_link_down = False
            # Back online: everything that waited on the outage is due now.
            self.store.writer.call(outbox.retry_all_now)
        lane = self.lanes["upload"]
        while not lane.stopping:
            due = outbox.due_entry_ids(limit=self.timings.upload_batch)
            if not due:
                break
            # One transaction claims the batch, one records its acknowledgements.
            self.store.writer.call(outbox.mark_uploading_many, due)
            lane.progressed()
            outcomes = list(self._upload_pool.map(self._attempt_on_worker, due))
            acknowledged = [o.entry_id for o in outcomes if o.state == outbox.ACKNOWLEDGED]
            if acknowledged:
                self.store.writer.call(outbox.mark_acknowledged_many, acknowledged)
            lane.progressed()
            for outcome in outcomes:
                failure = outcome.failure
                if failure is not None and (
                    failure.link_down or failure.needs_sign_in or failure.status == 429
                ):
                    self._upload_link_down = failure.link_down
                    raise failure
        return self._seconds_until_next_due()

    def _attempt_on_worker(self, entry_id: int):
        uploader = getattr(self._worker_local, "uploader", None)
        if uploader is None:
            client = HallClient(self.hall_url, **self._client_options)
            uploader = CaseUploader(self.store, client, self._chunker_factory(), self._backoff)
            self._worker_local.uploader = uploader
            with self._worker_lock:
                self._worker_uploaders.append(uploader)
        uploader.client.token = self._upload_token
        return uploader.attempt(entry_id)

    def _seconds_until_next_due(self) -> float:
        due_at = outbox.next_due_at()
        if due_at is None:
            return self.timings.upload_idle_s
        return max(0.05, min(self.timings.upload_idle_s, (due_at - utcnow()).total_seconds()))

    def _status_work(self) -> None:
        self.status_client.token = self._token()
        pull_status(self.store, self.status_client)

    def _audit_work(self) -> None:
        from sync.audit import deliver_audit

        self.audit_client.token = self._token()
        deliver_audit(self.store, self.audit_client)

    def _prereview_work(self) -> None:
        from sync.prereview import run_lane

        self.prereview_client.token = self._token()
        # Entries wait by the lane's own schedule (LaneTimings), not a default one.
        run_lane(self.store, self.prereview_client, self._prereview_due, self._backoff,
                 progressed=self.lanes["prereview"].progressed)

    def _evaluation_work(self) -> None:
        from sync.evaluations import run_lane

        self.evaluation_client.token = self._token()
        run_lane(self.store, self.evaluation_client, self._rating_apply, self._backoff)

    def _report_work(self) -> None:
        from sync.period_reports import deliver_reports

        self.report_client.token = self._token()
        deliver_reports(self.store, self.report_client, self._backoff)

    def _payment_work(self) -> None:
        from sync.payments import pull_payments, send_fee_notices

        self.payment_client.token = self._token()
        send_fee_notices(self.store, self.payment_client)
        pull_payments(self.store, self.payment_client, self._payment_apply)

    def _catalog_work(self) -> None:
        from sync.catalog_hook import tidy_after

        sync_catalog = self._catalog_sync
        if sync_catalog is None:
            from sync.catalog_sync import sync_catalog
        tidy_after(sync_catalog(self.catalog_session, self.hall_url))


def housekeeping_work(housekeeping: Callable[[], Any]) -> Callable[[], None]:
    def work() -> None:
        housekeeping()

    return work
