"""Health and sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Request

from central_hall import auth
from central_hall.schemas import ErrorBody, Health, TokenRequest, TokenResponse
from central_hall.storage import utc_now

router = APIRouter()


@router.get("/health", response_model=Health)
def health() -> dict:
    return {"status": "ok", "time": utc_now()}


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses={401: {"model": ErrorBody, "description": "bad_credentials, station_not_allowed"},
               429: {"model": ErrorBody, "description": "account_locked, too_many_attempts "
                     "(header Retry-After)"}},
)
def sign_in(body: TokenRequest, request: Request) -> dict:
    hall = request.app.state.hall
    lifetime = hall.config.token_lifetime_s
    address = request.client.host if request.client else ""
    token, session = auth.issue_token(hall.db, body.station, body.user, body.password, lifetime,
                                      address=address, policy=hall.config.throttle)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": lifetime,
        "station": session.station,
        "user": session.user,
        "role": session.role,
    }
