"""``POST /admin/faults`` — present only when the hall runs with --enable-faults."""

from __future__ import annotations

from fastapi import APIRouter, Request

from central_hall.schemas import FaultSettings, FaultState

# Kept out of the published schema: it must not differ with and without the flag.

router = APIRouter()


@router.post("/admin/faults", response_model=FaultState, include_in_schema=False)
def set_faults(settings: FaultSettings, request: Request) -> dict:
    hall = request.app.state.hall
    hall.faults.configure(**settings.model_dump())
    if settings.truncate_uploads:
        hall.blobs.drop_partial_uploads()
    return hall.faults.snapshot()


@router.get("/admin/faults", response_model=FaultState, include_in_schema=False)
def get_faults(request: Request) -> dict:
    return request.app.state.hall.faults.snapshot()
