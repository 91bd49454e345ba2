"""HTTP client for the hall's e-certificate library (电子证照库).

Three calls (hall_api.md "Certificates"): look-up by holder, the certificate
file (PDF) and the hall's SM2 public key.  This module only moves bytes and
maps failures to two exceptions the caller can act on:

* ``CertificateServiceUnavailable`` — the hall could not be reached in time
  (connection refused, timeout, 5xx): intake goes on on paper.
* ``CertificateRequestRefused`` — the hall answered and said no (4xx): the
  request itself is wrong and retrying will not help.

Verification of what comes back is the app layer's job (``app.certificates``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

import requests

import contracts

API_PREFIX = "/api/v1"
HOLDER_TYPES = ("person", "organisation")


class CertificateServiceUnavailable(Exception):
    """No answer from the hall in time; the caller falls back to paper.

    ``tls_failure`` marks a hall whose certificate did not verify: treated as
    unreachable (nothing it says is trusted) but worth telling an administrator.
    """

    def __init__(self, message: str, tls_failure: bool = False):
        super().__init__(message)
        self.tls_failure = tls_failure


class CertificateRequestRefused(Exception):
    """The hall refused the request (4xx); ``code`` is the hall's error code."""

    def __init__(self, status: int, code: str, detail: str = ""):
        super().__init__(f"{status} {code}: {detail}".strip())
        self.status = status
        self.code = code
        self.detail = detail


class PurposeRequired(ValueError):
    """用证事由 is mandatory; refused before anything is sent."""

    def __init__(self) -> None:
        super().__init__("请填写用证事由 / purpose of use is required")


def keyring_token_source(hall_url: str) -> Callable[[float], str]:
    """The token the clerk's sign-in left in the OS keyring (``sync.credentials``)."""
    from sync.credentials import CredentialError, load_token

    def token(_remaining_s: float) -> str:
        try:
            stored = load_token(hall_url)
        except CredentialError as exc:
            raise CertificateRequestRefused(401, "not_signed_in", str(exc)) from exc
        if stored is None or stored.expired:
            raise CertificateRequestRefused(401, "not_signed_in", "尚未登录网上办事大厅")
        return stored.access_token

    return token


class CertificateClient:
    """One ``requests.Session`` per client; TLS always verified.

    ``token`` returns a bearer token for the hall (it may log in, so it gets
    the remaining time budget in seconds).  ``timeout_s`` bounds a whole call,
    token included, so a look-up against a dead link ends on time.
    """

    def __init__(
        self,
        base_url: str,
        token: Callable[[float], str] | None = None,
        timeout_s: float = 5.0,
        ca_bundle: str = "",
        session: requests.Session | None = None,
    ):
        if not base_url:
            raise CertificateServiceUnavailable("未配置网上办事大厅地址 / no hall URL configured")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._token = token
        self.session = session or requests.Session()
        # A configured CA bundle replaces the system store; never verify=False.
        # Passed on every request too: requests lets REQUESTS_CA_BUNDLE override
        # a session's own ``verify``, which would silently drop the hall's CA.
        self.verify = ca_bundle or True
        self.session.verify = self.verify

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> CertificateClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- calls ---------------------------------------------------------------

    def lookup(
        self, holder: str, holder_type: str, purpose: str, cert_type: str | None = None
    ) -> list[dict]:
        """``GET /certificates``: the holder's certificates as the hall sent them."""
        if not (purpose or "").strip():
            raise PurposeRequired()
        if holder_type not in HOLDER_TYPES:
            raise ValueError(f"holder_type must be one of {HOLDER_TYPES}: {holder_type!r}")
        params = {"holder": holder, "holder_type": holder_type, "purpose": purpose.strip()}
        if cert_type:
            params["type"] = cert_type
        response = self._get("/certificates", params=params, authenticated=True)
        body = self._json(response)
        try:  # the reply's contract: contracts/certificates.v1.json
            contracts.check("certificates", body)
        except contracts.ContractViolation as violation:
            raise CertificateServiceUnavailable(
                f"大厅返回的证照列表格式不对（{violation.field}）/ malformed answer") from None
        return body["certificates"]

    def fetch_file(self, certificate_id: str, purpose: str = "") -> bytes:
        """``GET /certificates/{id}/file``: the rendered certificate (PDF)."""
        response = self._get(
            f"/certificates/{quote(certificate_id, safe='')}/file",
            params={"purpose": purpose.strip()} if purpose.strip() else None,
            authenticated=True,
        )
        return response.content

    def fetch_public_key(self) -> dict:
        """``GET /certificates/public-key`` → ``{"algorithm": "SM2", "public_key": hex}``."""
        body = self._json(self._get("/certificates/public-key", authenticated=False))
        if not isinstance(body, dict) or not body.get("public_key"):
            raise CertificateServiceUnavailable("大厅未返回公钥 / no public key in answer")
        return body

    # -- plumbing ------------------------------------------------------------

    def _get(self, path: str, params: dict | None = None, authenticated: bool = True):
        deadline = time.monotonic() + self.timeout_s
        headers = {}
        if authenticated and self._token is not None:
            try:
                headers["Authorization"] = f"Bearer {self._token(self._remaining(deadline))}"
            except requests.RequestException as exc:
                raise CertificateServiceUnavailable(f"登录大厅失败: {exc}") from exc
        try:
            response = self.session.get(
                self.base_url + API_PREFIX + path,
                params=params,
                headers=headers,
                timeout=self._remaining(deadline),
                verify=self.verify,
            )
        except requests.exceptions.SSLError as exc:
            raise CertificateServiceUnavailable(str(exc), tls_failure=True) from exc
        except requests.RequestException as exc:
            raise CertificateServiceUnavailable(str(exc)) from exc
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise CertificateServiceUnavailable(f"大厅暂不可用 (HTTP {response.status_code})")
        if response.status_code >= 400:
            body = self._error_body(response)
            raise CertificateRequestRefused(
                response.status_code, body.get("error", "http_error"), body.get("detail", "")
            )
        return response

    @staticmethod
    def _remaining(deadline: float) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CertificateServiceUnavailable("查询超时 / timed out")
        return remaining

    @staticmethod
    def _json(response: requests.Response):
        try:
            return response.json()
        except ValueError as exc:
            raise CertificateServiceUnavailable("大厅返回的不是 JSON / not JSON") from exc

    @staticmethod
    def _error_body(response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
