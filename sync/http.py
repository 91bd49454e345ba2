"""HTTP to the hall: one session per lane, and what each failure means.

Every request has a timeout and verifies TLS (a configured CA bundle is
passed as ``verify=path``; verification is never switched off).  Anything
that goes wrong becomes a ``HallFailure`` that says, in plain Chinese, what
happened and whether trying again later can help:

- retryable: connection refused/reset, timeouts, TLS handshake failures,
  truncated or non-JSON bodies (gateways, captive portals), 5xx, and the 4xx
  the design allows (408, 409, 425, 429 — honouring ``Retry-After``);
- not retryable: every other 4xx — the entry is parked with its reason for a
  person to look at (401 means the station must sign in again).

``Backoff`` is the retry schedule: exponential with jitter, from about
one second up to ten minutes.

Transport: a hall is reached over https; plain http only to this machine
(loopback: the embedded demo hall) unless an administrator has set
``ONEWINDOW_ALLOW_INSECURE_HTTP=1``.  Otherwise the password, the token and
every applicant's data would cross the network in clear; the refusal happens
before a byte is sent.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import json
import os
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.utils import get_environ_proxies

API_PREFIX = "/api/v1"

# 4xx statuses worth retrying automatically (DESIGN.md "Hall API").
RETRYABLE_4XX = frozenset({408, 409, 425, 429})

# Longest Retry-After we obey; beyond it the header is taken as a mistake.
RETRY_AFTER_MAX_S = 3600.0

# Connection, TLS, timeout and body failures: link problems, not entry problems
# ("insecure": the hall's address is plain http to another machine — nothing is
# sent, nothing parked, until the address or the administrator's flag changes).
LINK_KINDS = frozenset({"connection", "timeout", "tls", "html_page", "truncated", "content_type",
                        "insecure"})

# The administrator's explicit permission for plain http to a non-loopback hall.
INSECURE_HTTP_ENV = "ONEWINDOW_ALLOW_INSECURE_HTTP"


def insecure_http_allowed() -> bool:
    return os.environ.get(INSECURE_HTTP_ENV, "").strip().lower() in ("1", "true", "yes")


def is_loopback_host(host: str | None) -> bool:
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def transport_problem(url: str) -> str | None:
    """Why the hall at ``url`` must not be used, in Chinese; None when it may."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return None
    if scheme != "http" or not parts.hostname:
        return f"大厅地址应以 https:// 开头：{url}"
    if is_loopback_host(parts.hostname):
        return None
    if insecure_http_allowed():
        return None
    return (f"拒绝以明文 http 连接大厅 {parts.hostname}：密码、令牌和办件数据会被明文传输。"
            f"请改用 https:// 地址；确需明文时由管理员设置 {INSECURE_HTTP_ENV}=1")


class InsecureTransport(requests.exceptions.InvalidURL):
    """Plain http to a hall on another machine, without the administrator's flag."""

# Hall error codes → what a clerk should read.
HALL_ERROR_MESSAGES = {
    "bad_credentials": "用户名或密码错误",
    "unauthorized": "登录已失效，请重新登录大厅（onewindow enroll）",
    "invalid_manifest": "大厅认为办件数据不完整或格式错误",
    "number_conflict": "办件编号已被另一办件使用（编号冲突），请联系管理员",
    "idempotency_key_reused": "同一提交编号对应的办件内容已改变，需人工核对",
    "blobs_missing": "大厅尚缺附件，正在补传",
    "offset_mismatch": "附件续传位置与大厅不一致，按大厅位置继续",
    "checksum_mismatch": "附件分块校验不一致，重新发送该分块",
    "digest_mismatch": "附件整体校验不一致，从头重新上传",
    "rate_limited": "大厅繁忙（限流），稍后自动重试",
    "too_large": "附件超过大厅允许的大小，请压缩或拆分后重新扫描",
    "invalid_uuid": "办件标识格式不被大厅接受，请联系管理员",
    "idempotency_key_required": "提交缺少幂等键（程序错误），请联系管理员",
    "invalid_json": "大厅无法解析提交的数据（程序错误），请联系管理员",
    "station_not_allowed": "该账号无权在本工位登录大厅（账号未绑定本工位），请联系大厅管理员",
    "account_locked": "登录失败次数过多，账号已被大厅暂时锁定，请稍后再试",
    "too_many_attempts": "本机登录失败次数过多，大厅暂缓受理登录，请稍后再试",
    "not_your_case": "该办件属于其他工位，本工位不能修改",
    "station_mismatch": "办件的受理工位与登录工位不一致，请核对工位设置后重新登录",
    "number_not_of_station": "办件编号不属于本工位（编号须以本工位编码开头），请核对编号规则",
    "read_only": "该账号在大厅只有查看权限，不能提交办件",
    "forbidden": "该账号无权执行此操作",
    "too_many_uploads": "本工位未完成的附件上传过多，大厅暂缓受理，稍后自动重试",
}


@dataclass
class HallFailure(Exception):
    """A failed exchange with the hall, classified."""

    kind: str  # connection|timeout|tls|html_page|truncated|content_type|http
    message: str  # plain Chinese, shown to the clerk
    retryable: bool
    status: int | None = None
    code: str = ""  # the hall's "error" field, when it sent one
    retry_after_s: float | None = None
    payload: dict | None = None
    headers: dict | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def link_down(self) -> bool:
        """True when the link (not this request) is the problem: stop the lane, probe."""
        return self.kind in LINK_KINDS or (self.status is not None and self.status >= 500)

    @property
    def needs_sign_in(self) -> bool:
        return self.status == 401


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def classify_exception(exc: BaseException) -> HallFailure:
    """A requests exception → HallFailure (all of these are worth retrying)."""
    if isinstance(exc, InsecureTransport):
        return HallFailure("insecure", str(exc), True)
    if isinstance(exc, requests.exceptions.SSLError):
        return HallFailure("tls", "大厅的安全证书无法验证（TLS），请检查大厅地址或证书配置", True)
    if isinstance(exc, requests.exceptions.Timeout):
        return HallFailure("timeout", "连接大厅超时，网络可能较慢或中断", True)
    errors = requests.exceptions
    if isinstance(exc, errors.ChunkedEncodingError | errors.ContentDecodingError):
        return HallFailure("truncated", "大厅的响应在传输中断开（数据不完整）", True)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return HallFailure("connection", "无法连接大厅（网络中断或大厅未运行）", True)
    return HallFailure("connection", f"与大厅通信失败：{type(exc).__name__}", True)


def _error_body(response: requests.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _looks_like_html(response: requests.Response) -> bool:
    ctype = response.headers.get("Content-Type", "").lower()
    head = response.content[:200].lstrip().lower()
    return "html" in ctype or head.startswith(b"<!doctype html") or head.startswith(b"<html")


def classify_status(response: requests.Response) -> HallFailure:
    """A non-success HTTP response → HallFailure."""
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if _looks_like_html(response):
        # A proxy or gateway answered instead of the hall.
        retryable = status >= 500 or status in RETRYABLE_4XX
        return HallFailure(
            "html_page",
            f"大厅返回了网页而不是数据（HTTP {status}，可能是网关或代理的错误页）",
            retryable, status, retry_after_s=retry_after,
        )
    body = _error_body(response) or {}
    code = str(body.get("error") or "")
    detail = str(body.get("detail") or "")
    known = HALL_ERROR_MESSAGES.get(code)
    if status == 429:
        message = known or "大厅繁忙（限流），稍后自动重试"
    elif status >= 500:
        message = f"大厅内部错误（HTTP {status}），稍后自动重试"
    elif known:
        message = known
    else:
        message = f"大厅拒绝了请求（HTTP {status}{'，' + code if code else ''}）"
    if detail and code == "invalid_manifest":
        message += f"：{detail}"
    retryable = status >= 500 or status in RETRYABLE_4XX
    return HallFailure("http", message, retryable, status, code, retry_after, body or None,
                       response.headers)


def json_body(response: requests.Response) -> dict:
    """The JSON object of a successful response, or a HallFailure saying why not."""
    ctype = response.headers.get("Content-Type", "").lower()
    if _looks_like_html(response):
        raise HallFailure(
            "html_page", "大厅返回了网页而不是数据（可能是网关、代理或认证页面）", True,
            response.status_code,
        )
    if "json" not in ctype:
        raise HallFailure(
            "content_type", f"大厅返回的数据类型不对（{ctype or '未注明'}），应为 JSON", True,
            response.status_code,
        )
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise HallFailure(
            "truncated", "大厅的响应不完整或不是有效的 JSON（传输中断？）", True,
            response.status_code,
        ) from None
    if not isinstance(body, dict):
        raise HallFailure("truncated", "大厅的响应格式不对（应为 JSON 对象）", True,
                          response.status_code)
    return body


class HallSession(requests.Session):
    """A session that always sends a timeout and always verifies TLS.

    ``verify`` is passed on every request: requests lets REQUESTS_CA_BUNDLE /
    CURL_CA_BUNDLE override a session's own ``verify``, which would silently
    ignore the configured CA.  Handed to code that wants a plain session (the
    catalog lane), it keeps both promises there too.
    """

    def __init__(self, *, ca_bundle: str = "", timeout: float | tuple = 15.0):
        super().__init__()
        # A path means "trust this CA"; True means the system store.  Never False.
        self.verify = ca_bundle or True
        self.default_timeout = timeout
        self.headers["User-Agent"] = "OneWindow-sync/1"
        # requests reads the environment on every request when trust_env is on:
        # all variables for proxies and a stat of ~/.netrc (~0.5 ms a request,
        # a tenth of a metadata-only case).  The proxies (HTTPS_PROXY, NO_PROXY)
        # are read once per hall origin instead; .netrc credentials are never
        # wanted (the hall takes a bearer token).
        self.trust_env = False
        self._proxies_by_origin: dict[tuple[str, str], dict] = {}

    def request(self, method, url, *args, **kwargs):
        problem = transport_problem(url)
        if problem:  # refused before anything (a password, a token) is sent
            raise InsecureTransport(problem)
        kwargs.setdefault("timeout", self.default_timeout)
        kwargs["verify"] = self.verify
        kwargs.setdefault("proxies", self._environment_proxies(url))
        return super().request(method, url, *args, **kwargs)

    def _environment_proxies(self, url: str) -> dict:
        origin = tuple(urlsplit(url)[:2])
        proxies = self._proxies_by_origin.get(origin)
        if proxies is None:
            proxies = self._proxies_by_origin[origin] = get_environ_proxies(url)
        return proxies


class HallClient:
    """One lane's connection to the hall: its own session, timeouts, TLS, token."""

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: str = "",
        timeout_s: float = 15.0,
        connect_timeout_s: float | None = None,
        token: str | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout_s or min(timeout_s, 10.0), timeout_s)
        self.session = HallSession(ca_bundle=ca_bundle, timeout=self.timeout)
        self.token = token

    def url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200,),
                timeout: float | tuple | None = None, **kwargs: Any) -> requests.Response:
        """Send; return the response when its status is in ``ok``, else raise HallFailure."""
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        try:
            response = self.session.request(
                method, self.url(path), headers=headers, timeout=timeout or self.timeout,
                **kwargs,
            )
        except requests.exceptions.RequestException as exc:
            raise classify_exception(exc) from exc
        if response.status_code not in ok:
            raise classify_status(response)
        return response

    def get_json(self, path: str, **kwargs: Any) -> dict:
        return json_body(self.request("GET", path, **kwargs))

    def health(self) -> dict:
        return self.get_json("/health")

    def close(self) -> None:
        self.session.close()


class Backoff:
    """Exponential backoff with (equal) jitter: ~1 s, 2 s, 4 s … capped at 10 minutes."""

    def __init__(self, start_s: float = 1.0, cap_s: float = 600.0,
                 rng: random.Random | None = None):
        self.start_s = start_s
        self.cap_s = cap_s
        self.rng = rng or random.Random()

    def ceiling(self, attempts: int) -> float:
        return min(self.cap_s, self.start_s * (2 ** max(0, attempts - 1)))

    def delay(self, attempts: int, retry_after_s: float | None = None) -> float:
        """Wait before attempt ``attempts + 1``; never shorter than Retry-After."""
        ceiling = self.ceiling(attempts)
        # Half fixed, half random: spreads stations out yet keeps the curve exponential.
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if retry_after_s is not None:
            # The hall's word wins over our schedule (bounded against absurd values).
            wait = max(wait, min(retry_after_s, RETRY_AFTER_MAX_S))
        return wait


class LinkBackoff:
    """A lane's own retry state: grows while the hall is unreachable, resets on success."""

    def __init__(self, backoff: Backoff | None = None):
        self.backoff = backoff or Backoff()
        self.failures = 0

    def failed(self, retry_after_s: float | None = None) -> float:
        self.failures += 1
        return self.backoff.delay(self.failures, retry_after_s)

    def succeeded(self) -> None:
        self.failures = 0


def settle_refusal(failure: HallFailure, final_statuses: set[int], backoff: Backoff,
                   attempts: int) -> tuple[str, bool, float]:
    """What a queued entry the hall refused becomes: (message, park?, wait before the next try).

    Shared by the small queues that send one body per entry (pre-review decisions,
    ratings); each names the statuses no retry can change. The caller records the
    result and re-raises when the link is down or the station must sign in again.
    """
    message = (failure.payload or {}).get("detail") or failure.message
    return (message, failure.status in final_statuses,
            backoff.delay(attempts + 1, failure.retry_after_s))
