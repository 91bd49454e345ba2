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
    "/auth/token", response_model=TokenResponse, responses={401: {"model": ErrorBody}}
)
def sign_in(body: TokenRequest, request: Request) -> dict:
    hall = request.app.state.hall
    lifetime = hall.config.token_lifetime_s
    token = auth.issue_token(hall.db, body.station, body.user, body.password, lifetime)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": lifetime,
        "station": body.station,
        "user": body.user,
    }
