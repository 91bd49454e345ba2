"""Electronic certificates (电子证照): look-up, verification, 免提交.

``CertificateService.lookup(holder, holder_type, purpose, cert_type, case_uuid)``
asks the hall's library (``sync.certificates``) and verifies every answer
(``verification``); ``auto_satisfy(draft, results)`` marks the intake's
materials the library holds (``materials``).
"""

from app.certificates.materials import (
    RECEIVED_FROM_LIBRARY,
    attach_certificate_file,
    auto_satisfy,
    override_material,
    satisfy_with,
)
from app.certificates.service import (
    CertificateService,
    LookupResult,
    default_purpose,
    holder_type_for,
    pin_hall_public_key,
    purge_expired_cache,
)
from app.certificates.verification import VerifiedCertificate, verify_certificate
from sync.certificates import PurposeRequired

__all__ = [
    "RECEIVED_FROM_LIBRARY",
    "CertificateService",
    "LookupResult",
    "PurposeRequired",
    "VerifiedCertificate",
    "attach_certificate_file",
    "auto_satisfy",
    "default_purpose",
    "holder_type_for",
    "override_material",
    "pin_hall_public_key",
    "purge_expired_cache",
    "satisfy_with",
    "verify_certificate",
]
