"""Without the hall a look-up ends within the timeout and says "offline";
the case's cached results come back marked as cached, and are purged."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from app.certificates import CertificateService, LookupResult, purge_expired_cache
from app.certificates.service import holder_cache_key
from app.settings import Settings
from local_store.models import CertificateCache, CertificateLookup, utcnow
from sync.certificates import PurposeRequired
from tests.support.certificates import TEST_PUBLIC_KEY, make_certificate

HOLDER = "350205199001011237"
TIMEOUT_S = 1.0


def make_service(store, url: str) -> CertificateService:
    settings = Settings(hall_url=url, cert_lookup_timeout_s=TIMEOUT_S,
                        hall_public_key=TEST_PUBLIC_KEY, clerk_name="王窗口")
    return CertificateService(store, settings, token_source=lambda _remaining: "test-token")


@pytest.mark.parametrize("where", ["blackhole", "closed_port_url"])
def test_lookup_without_network_falls_back_within_timeout(store, request, where):
    service = make_service(store, request.getfixturevalue(where))
    started = time.monotonic()
    result = service.lookup(HOLDER, "person", "办理临时救助", case_uuid="case-1")
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + 0.5
    assert result.offline and result.certs == [] and result.cached_at is None
    assert "纸质" in result.message
    audit = CertificateLookup.get()
    assert (audit.outcome, audit.purpose, audit.holder_masked) == (
        "offline", "办理临时救助", "350205**********37")
    assert audit.clerk == "王窗口" and audit.case_uuid == "case-1"


def test_offline_lookup_uses_this_cases_cache_marked_cached(store, blackhole):
    service = make_service(store, blackhole)
    raw = [make_certificate(HOLDER)]
    fetched = utcnow() - dt.timedelta(hours=2)
    store.writer.call(lambda: CertificateCache.create(
        case_uuid="case-1", holder=holder_cache_key(HOLDER), payload=raw, fetched_at=fetched))

    result = service.lookup(HOLDER, "person", "办理临时救助", case_uuid="case-1")
    assert result.offline and result.cached_at is not None
    assert "缓存" in result.message
    assert [cert.identifier for cert in result.certs] == [raw[0]["identifier"]]
    assert result.certs[0].cached_at == result.cached_at
    assert result.certs[0].usable  # still verified against the pinned key
    assert "cached_at" in result.certs[0].reference()

    # Another case never sees it: the cache is for the case at hand only.
    other = service.lookup(HOLDER, "person", "办理临时救助", case_uuid="case-2")
    assert other.offline and other.certs == []


def test_cache_older_than_the_configured_days_is_not_used_and_is_purged(store, blackhole):
    service = make_service(store, blackhole)
    days = service.settings.cert_cache_days
    old = utcnow() - dt.timedelta(days=days, minutes=1)
    fresh = utcnow() - dt.timedelta(days=days - 1)
    store.writer.call(lambda: [
        CertificateCache.create(case_uuid="old", holder=holder_cache_key(HOLDER),
                                payload=[make_certificate(HOLDER)], fetched_at=old),
        CertificateCache.create(case_uuid="fresh", holder=holder_cache_key(HOLDER),
                                payload=[make_certificate(HOLDER)], fetched_at=fresh),
    ])
    assert service.lookup(HOLDER, "person", "办理", case_uuid="old").certs == []
    assert purge_expired_cache(store, service.settings) == 1
    assert [row.case_uuid for row in CertificateCache.select()] == ["fresh"]
    assert service.purge_expired_cache(now=utcnow() + dt.timedelta(days=days)) == 1
    assert CertificateCache.select().count() == 0


def test_cache_holds_no_id_number_in_clear(store):
    assert HOLDER not in holder_cache_key(HOLDER) and len(holder_cache_key(HOLDER)) == 64


def test_purpose_is_required_before_anything_is_sent(store, blackhole):
    service = make_service(store, blackhole)
    started = time.monotonic()
    for purpose in ("", "   ", None):
        with pytest.raises(PurposeRequired, match="用证事由"):
            service.lookup(HOLDER, "person", purpose)
    assert time.monotonic() - started < 0.2  # refused locally, no waiting on the hole
    assert CertificateLookup.select().count() == 0


def test_lookup_result_usable_lists_only_usable(store):
    from app.certificates.verification import verify_certificate

    good = verify_certificate(make_certificate(HOLDER), TEST_PUBLIC_KEY, HOLDER, "person")
    revoked = verify_certificate(make_certificate(HOLDER, status="revoked"), TEST_PUBLIC_KEY,
                                 HOLDER, "person")
    assert LookupResult(certs=[good, revoked]).usable == [good]


