"""E-certificate look-up, certificate files, the hall's public key, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from central_hall import certificates
from central_hall.auth import Session, require_role, require_session
from central_hall.contract_openapi import json_response
from central_hall.schemas import AuditList, ErrorBody, PublicKey

router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]


@router.get("/certificates/public-key", response_model=PublicKey)
def public_key(request: Request) -> dict:
    """SM2 public key as 128 hex digits (x ‖ y, gmssl's form, no 04 prefix)."""
    return {"algorithm": "SM2", "public_key": request.app.state.hall.signer.public_key}


@router.get(
    "/certificates",
    responses={200: json_response("certificates", "the holder's certificates, signed"),
               400: {"model": ErrorBody, "description": "purpose_required, holder_required"}},
)
def lookup_certificates(
    request: Request,
    session: Signed,
    holder: str | None = None,
    holder_type: str | None = None,
    type: str | None = None,  # the contract names it so
    purpose: str | None = None,
) -> dict:
    hall = request.app.state.hall
    found = certificates.lookup(hall.db, hall.signer, session, holder, holder_type, type, purpose)
    return {"certificates": found}


@router.get(
    "/certificates/{certificate_id}/file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 404: {"model": ErrorBody}},
)
def certificate_file(
    certificate_id: str, request: Request, session: Signed, purpose: str | None = None
) -> Response:
    # reportlab loads on first use: it would add half a second to every hall start.
    from central_hall.certificate_pdf import render_certificate

    hall = request.app.state.hall
    cert, details = certificates.certificate_with_details(
        hall.db, hall.signer, session, certificate_id, purpose
    )
    return Response(
        render_certificate(cert, details),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{certificate_id}.pdf"'},
    )


@router.get("/admin/certificates/audit", response_model=AuditList,
            responses={403: {"model": ErrorBody}})
def certificate_audit(
    request: Request,
    _session: Annotated[Session, Depends(require_role("supervisor", "admin"))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict:
    """The newest look-ups first: who looked up whom, why, and how much was found."""
    return {"entries": certificates.audit_entries(request.app.state.hall.db, limit)}
