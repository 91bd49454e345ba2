"""E-certificate look-up for the window: purpose required, audited, verified,
cached for the case at hand only, and never in the way when the link is down.

The clerk types (or the intake prefills) the holder and the 用证事由; the
service asks the hall, verifies every certificate (``verification``), records
the look-up in ``CertificateLookup`` with the holder masked, and returns a
``LookupResult``.  When the hall does not answer within
``Settings.cert_lookup_timeout_s`` the result says ``offline`` and the intake
continues on paper — with the certificates this case already looked up, if
any are still in its cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.certificates.verification import VerifiedCertificate, verify_certificate
from app.identity import mask_id, normalize_id_text
from app.numbering import station_key
from app.settings import Settings, save_settings
from app.staff import audit
from local_store.instants import station_zone, to_station
from local_store.models import CertificateCache, CertificateLookup, utcnow
from local_store.store import Store
from sync.certificates import (
    CertificateClient,
    CertificateRequestRefused,
    CertificateServiceUnavailable,
    PurposeRequired,
    keyring_token_source,
)

log = logging.getLogger(__name__)

OUTCOME_OK = "ok"
OUTCOME_OFFLINE = "offline"
OUTCOME_ERROR = "error"

TokenSource = Callable[[float], str]


def default_purpose(item_name: str) -> str:
    """The 用证事由 the intake prefills: what the certificate is used for."""
    item_name = (item_name or "").strip()
    return f"办理{item_name}" if item_name else ""


def holder_type_for(id_type: str) -> str:
    """USCC (001) identifies an organisation; every other document a person."""
    return "organisation" if id_type == "001" else "person"


@dataclass
class LookupResult:
    certs: list[VerifiedCertificate] = field(default_factory=list)
    offline: bool = False
    cached_at: dt.datetime | None = None
    # A plain Chinese sentence for the clerk when something went wrong.
    message: str = ""

    @property
    def usable(self) -> list[VerifiedCertificate]:
        return [cert for cert in self.certs if cert.usable]


def holder_cache_key(holder: str) -> str:
    """Cache rows are found by a digest, so the table holds no ID numbers in clear."""
    return hashlib.sha256(normalize_id_text(holder).encode("utf-8")).hexdigest()


class CertificateService:
    """One per workstation (or CLI command); safe to call from worker threads."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        token_source: TokenSource | None = None,
        client: CertificateClient | None = None,
        hall_url: str | None = None,
        trust_local_hall: bool = False,
    ):
        """``hall_url`` overrides the settings (the demo hall's port is known only
        at run time); ``trust_local_hall`` pins that hall's key on first use —
        only for the reference hall this program started itself on loopback."""
        self.store = store
        self.settings = settings
        self.hall_url = hall_url or settings.effective_hall_url
        self.trust_local_hall = trust_local_hall
        self._token_source = token_source or keyring_token_source(self.hall_url)
        self._client = client

    @property
    def client(self) -> CertificateClient:
        # Built on first use: a station without a hall URL still opens its dialog.
        if self._client is None:
            self._client = CertificateClient(
                self.hall_url,
                token=self._token_source,
                timeout_s=self.settings.cert_lookup_timeout_s,
                ca_bundle=self.settings.ca_bundle,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # -- look-up -------------------------------------------------------------

    def lookup(
        self,
        holder: str,
        holder_type: str,
        purpose: str,
        cert_type: str | None = None,
        case_uuid: str | None = None,
    ) -> LookupResult:
        """Ask the library about ``holder``; never raises for a dead link."""
        purpose = (purpose or "").strip()
        if not purpose:
            raise PurposeRequired()
        holder = normalize_id_text(holder)
        if not holder:
            raise ValueError("请填写证照持有人的身份证件号码或统一社会信用代码")

        try:
            if self.trust_local_hall and not self.settings.hall_public_key:
                pin_hall_public_key(self.settings, self.client)
            raw = self.client.lookup(holder, holder_type, purpose, cert_type)
        except CertificateServiceUnavailable as exc:
            log.info("certificate look-up offline for %s: %s", mask_id(holder), exc)
            result = self._offline_result(holder, holder_type, cert_type, case_uuid)
            if exc.tls_failure:
                result.message = ("证照库的安全证书（TLS）验证失败，已按无法连接处理，"
                                  "请联系管理员；" + result.message)
            self._record(holder, holder_type, purpose, cert_type, case_uuid, OUTCOME_OFFLINE,
                         len(result.certs))
            return result
        except CertificateRequestRefused as exc:
            if exc.code == "purpose_required":
                raise PurposeRequired() from exc
            self._record(holder, holder_type, purpose, cert_type, case_uuid, OUTCOME_ERROR, 0)
            return LookupResult(message=_refusal_message(exc))

        certs = [self._verify(item, holder, holder_type) for item in raw]
        self._record(holder, holder_type, purpose, cert_type, case_uuid, OUTCOME_OK, len(certs),
                     fresh=raw if case_uuid else None)
        return LookupResult(certs=certs)

    def _verify(self, raw: dict, holder: str, holder_type: str, cached_at=None):
        cert = verify_certificate(raw, self.settings.hall_public_key, holder, holder_type)
        cert.cached_at = cached_at
        return cert

    def _offline_result(self, holder: str, holder_type: str, cert_type: str | None,
                        case_uuid: str | None):
        message = "证照库暂时无法连接，请按纸质材料收件"
        if not case_uuid:
            return LookupResult(offline=True, message=message)
        oldest = utcnow() - dt.timedelta(days=self.settings.cert_cache_days)
        row = (
            CertificateCache.select()
            .where(
                (CertificateCache.case_uuid == case_uuid)
                & (CertificateCache.holder == holder_cache_key(holder))
                & (CertificateCache.fetched_at >= oldest)
            )
            .order_by(CertificateCache.fetched_at.desc())
            .first()
        )
        if row is None:
            return LookupResult(offline=True, message=message)
        cached_at = _utc_to_local(row.fetched_at)
        certs = [self._verify(item, holder, holder_type, cached_at) for item in row.payload
                 if not cert_type or item.get("type_code") == cert_type]
        return LookupResult(
            certs=certs,
            offline=True,
            cached_at=cached_at,
            message=f"证照库暂时无法连接，显示本件 {cached_at:%m-%d %H:%M} 的查询结果（缓存）",
        )

    def _record(self, holder, holder_type, purpose, cert_type, case_uuid, outcome, count,
                fresh: list[dict] | None = None) -> None:
        """The audit row, and the case's cache, in one unit of work.

        A look-up of one type refreshes those certificates in the cache and
        keeps the others this case already saw.
        """

        def write():
            CertificateLookup.create(
                clerk=self.settings.clerk_name,
                holder_masked=mask_id(holder),
                holder_type=holder_type,
                cert_type=cert_type or "",
                purpose=purpose,
                case_uuid=case_uuid,
                outcome=outcome,
                result_count=count,
            )
            audit.append_in_unit(
                station_key(self.settings.region_code, self.settings.station_code),
                self.settings.clerk_name, audit.CERT_LOOKUP, mask_id(holder),
                audit.OK if outcome == "ok" else audit.FAILED,
                {"purpose": purpose, "cert_type": cert_type or "", "case_uuid": case_uuid,
                 "outcome": outcome, "results": count})
            if fresh is None:
                return
            key = holder_cache_key(holder)
            mine = (CertificateCache.case_uuid == case_uuid) & (CertificateCache.holder == key)
            payload = fresh
            previous = CertificateCache.select().where(mine).first()
            if cert_type and previous is not None:
                kept = [c for c in previous.payload if c.get("type_code") != cert_type]
                payload = kept + fresh
            CertificateCache.delete().where(mine).execute()
            CertificateCache.create(case_uuid=case_uuid, holder=key, payload=payload)

        self.store.writer.call(write)

    # -- files ---------------------------------------------------------------

    def fetch_file(self, cert: VerifiedCertificate, purpose: str = "") -> bytes:
        """The certificate's PDF from the library (raises when offline)."""
        return self.client.fetch_file(cert.id, purpose)

    def store_file(self, cert: VerifiedCertificate, purpose: str = "") -> tuple[str, int]:
        """Fetch the PDF into the blob store → (sha256, size)."""
        pdf = self.fetch_file(cert, purpose)
        if not pdf.startswith(b"%PDF"):
            raise CertificateServiceUnavailable("证照文件不是 PDF")
        return self.store.blobs.put_bytes(pdf), len(pdf)

    # -- cache housekeeping ---------------------------------------------------

    def purge_expired_cache(self, now: dt.datetime | None = None) -> int:
        """Drop cached look-ups older than ``cert_cache_days``; returns rows removed."""
        return purge_expired_cache(self.store, self.settings, now)

    def forget_case(self, case_uuid: str) -> int:
        """A discarded draft takes its cached certificates with it."""
        return self.store.writer.call(
            lambda: CertificateCache.delete()
            .where(CertificateCache.case_uuid == case_uuid)
            .execute()
        )


def service_for_hall(current: CertificateService | None, store: Store, settings: Settings,
                     running_hall_url: str = "") -> CertificateService:
    """The workstation's one certificate service (one HTTP session) for the hall it
    talks to now: ``current`` while that hall is the same, else a new one — the old
    one's session closed, so a changed hall does not leave a connection behind.

    Without a configured hall the workstation runs the local reference hall
    (``running_hall_url``, known once it has started); its key is pinned on first
    use because this program started it itself.
    """
    configured = settings.effective_hall_url
    url = configured or running_hall_url
    if current is not None and current.hall_url == url:
        return current
    if current is not None:
        current.close()
    return CertificateService(store, settings, hall_url=url,
                              trust_local_hall=bool(url) and not configured)


def purge_expired_cache(store: Store, settings: Settings, now: dt.datetime | None = None) -> int:
    """For the sync lanes: remove certificate cache rows past their days."""
    cutoff = (now or utcnow()) - dt.timedelta(days=settings.cert_cache_days)
    return store.writer.call(
        lambda: CertificateCache.delete().where(CertificateCache.fetched_at < cutoff).execute()
    )


def _refusal_message(exc: CertificateRequestRefused) -> str:
    if exc.status == 401:
        return "尚未登录网上办事大厅或登录已过期，无法查询证照；请重新登录，本次按纸质材料收件"
    detail = f"：{exc.detail}" if exc.detail else ""
    return f"证照库拒绝了查询（{exc.code}{detail}），请按纸质材料收件"


def _utc_to_local(moment: dt.datetime) -> dt.datetime:
    """``fetched_at`` is stored UTC; the clerk reads station time (aware)."""
    return to_station(moment, station_zone()).replace(microsecond=0)


def pin_hall_public_key(
    settings: Settings, client: CertificateClient | None = None, save: bool = True
) -> str:
    """Enrolment: fetch the hall's SM2 key once and keep it in the settings.

    Every later look-up verifies against this pinned key, so a hall (or a
    man in the middle) swapping keys later is noticed rather than trusted.
    """
    own_client = client is None
    client = client or CertificateClient(
        settings.effective_hall_url,
        timeout_s=settings.http_timeout_s,
        ca_bundle=settings.ca_bundle,
    )
    try:
        answer = client.fetch_public_key()
    finally:
        if own_client:
            client.close()
    if str(answer.get("algorithm", "SM2")).upper() != "SM2":
        raise CertificateServiceUnavailable(f"大厅公钥算法不是 SM2: {answer.get('algorithm')}")
    settings.hall_public_key = answer["public_key"]
    if save:
        save_settings(settings)
    return settings.hall_public_key
