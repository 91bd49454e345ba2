"""Pinning the hall's SM2 signing key at enrolment, with a fingerprint to compare.

Every certificate the library returns is verified against the pinned key; without
one, every certificate reads "未配置网上办事大厅公钥".  Enrolment therefore pins the
key the hall serves and prints its fingerprint, for the operator to compare with
the one the hall's administrator publishes (``onewindow hall key --data DIR``).  A
key delivered out of band (``--hall-key FILE``, the hall's ``sm2_public_key.hex``)
is pinned as given; a hall serving a different key is refused rather than trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from app.certificates.service import pin_hall_public_key
from app.certificates.sm2 import InvalidPublicKey, normalize_public_key
from app.settings import Settings, save_settings

# A key file is 129 bytes (128 hex digits and a newline) or a small JSON answer.
MAX_KEY_FILE_BYTES = 4096


class HallKeyError(ValueError):
    """The key could not be pinned; the message is one line for the operator."""


@dataclass(frozen=True)
class PinnedKey:
    public_key: str
    fingerprint: str
    source: str  # "hall" (fetched at enrolment) | "file" (delivered out of band)
    replaced_fingerprint: str | None = None  # a different key pinned before


def hall_key_fingerprint(public_key: str) -> str:
    """SHA-256 over the key's 64 bytes (x ‖ y), 16 groups of four hex digits."""
    digest = hashlib.sha256(bytes.fromhex(normalize_public_key(public_key))).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def read_hall_key_file(path: Path) -> str:
    """The SM2 key in ``path``: the hall's ``sm2_public_key.hex`` (128 hex digits, an
    optional ``04`` prefix) or its ``/certificates/public-key`` JSON answer."""
    path = Path(path)
    try:
        if not path.is_file():
            raise HallKeyError(f"公钥文件 {path} 不存在或不是普通文件 / not a regular file")
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise HallKeyError(f"公钥文件 {path} 过大，不像 SM2 公钥 / too large for a key")
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, HallKeyError):
            raise
        raise HallKeyError(f"无法读取公钥文件 {path}：{exc}") from exc
    if text.startswith("{"):
        try:
            text = str(json.loads(text).get("public_key") or "")
        except (json.JSONDecodeError, AttributeError) as exc:
            raise HallKeyError(f"公钥文件 {path} 不是有效的 JSON") from exc
    key = "".join(text.split()).replace(":", "")
    try:
        return normalize_public_key(key)
    except InvalidPublicKey as exc:
        raise HallKeyError(f"公钥文件 {path}：{exc}") from exc


def pin_enrolled_hall_key(settings: Settings, expected_key: str | None = None,
                          client=None, save: bool = True) -> PinnedKey:
    """Pin the key of ``settings``' hall; with ``expected_key`` (from a file), only
    when the hall serves that very key — or when it serves none we could fetch.

    Raises HallKeyError when the hall serves another key than the file, or serves
    none and no file was given.
    """
    from sync.certificates import CertificateRequestRefused, CertificateServiceUnavailable

    previous = settings.hall_public_key
    try:
        if not settings.effective_hall_url and client is None:
            raise CertificateServiceUnavailable("未配置大厅地址 / no hall configured")
        served = normalize_public_key(pin_hall_public_key(settings, client, save=False))
    except InvalidPublicKey as exc:
        settings.hall_public_key = previous
        raise HallKeyError(f"大厅提供的公钥无效（{exc}），未固定 / the hall's key is invalid") \
            from exc
    except (CertificateServiceUnavailable, CertificateRequestRefused) as exc:
        if expected_key is None:
            raise HallKeyError(f"无法获取大厅公钥（{exc}）/ cannot fetch the hall key") from exc
        served = None
    if expected_key is not None and served is not None and served != expected_key:
        settings.hall_public_key = previous
        raise HallKeyError(
            f"大厅提供的公钥（指纹 {hall_key_fingerprint(served)}）与公钥文件"
            f"（指纹 {hall_key_fingerprint(expected_key)}）不符，未固定 / key mismatch")
    key = expected_key or served
    settings.hall_public_key = key
    if save:
        save_settings(settings)
    replaced = None
    earlier = previous.strip().lower()
    earlier = earlier[2:] if len(earlier) == 130 else earlier  # an "04"-prefixed form
    if earlier and earlier != key:
        try:
            replaced = hall_key_fingerprint(previous)
        except InvalidPublicKey:
            replaced = "（无效的旧公钥）"
    return PinnedKey(key, hall_key_fingerprint(key), "file" if expected_key else "hall",
                     replaced)
