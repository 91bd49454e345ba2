"""The FastAPI application factory of the reference hall."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from central_hall import (
    auth,
    catalog,
    certificates,
    contract_openapi,
    routes_applications,
    routes_audit,
    routes_auth,
    routes_blobs,
    routes_cases,
    routes_catalog,
    routes_certificates,
    routes_evaluations,
    routes_faults,
    routes_reports,
)
from central_hall.blobstore import BlobStore
from central_hall.config import HallConfig
from central_hall.errors import install_error_handlers
from central_hall.faults import FaultInjector, install_rate_limit
from central_hall.gate import Gate
from central_hall.signing import HallSigner
from central_hall.storage import HallDatabase

API_PREFIX = "/api/v1"


@dataclass
class Hall:
    """Everything a request handler needs, kept on ``app.state.hall``."""

    config: HallConfig
    db: HallDatabase
    blobs: BlobStore
    faults: FaultInjector
    signer: HallSigner


def prepare_data(config: HallConfig) -> None:
    """What a start does once, before any worker serves: schema (the migration
    steps, on opening), demo data, the catalog and certificate files given on
    the command line."""
    db = HallDatabase.open(config.data_dir, config.database_url)
    try:
        auth.seed_demo_accounts(db)
        if config.catalog_file:
            catalog.publish_file(db, config.catalog_file)
        if config.certificates_file:
            certificates.load_library(db, config.certificates_file)
        HallSigner.load_or_create(config.data_dir)
    finally:
        db.close()


def open_hall(config: HallConfig, prepared: bool = False) -> Hall:
    if not prepared:
        prepare_data(config)
    db = HallDatabase.open(config.data_dir, config.database_url)
    return Hall(
        config=config,
        db=db,
        blobs=BlobStore(config.data_dir),
        faults=FaultInjector(config.faults_enabled),
        signer=HallSigner.load_or_create(config.data_dir),
    )


def create_app(config: HallConfig, prepared: bool = False) -> FastAPI:
    """The application of one worker (``prepared``: prepare_data already ran)."""
    hall = open_hall(config, prepared)
    app = FastAPI(
        title="OneWindow reference hall",
        version="1",
        description="网上办事大厅 reference implementation of the OneWindow hall API v1.",
    )
    app.state.hall = hall
    contract_openapi.install(app)
    install_error_handlers(app)
    install_rate_limit(app, hall.faults)
    # Added last, so it runs first: no route reads a body before the token is checked.
    app.add_middleware(Gate, hall=hall, prefix=API_PREFIX)
    routers = [routes_auth.router, routes_catalog.router, routes_blobs.router,
               routes_cases.router, routes_certificates.router,
               routes_applications.router, routes_evaluations.router,
               routes_audit.router, routes_reports.router]
    if config.faults_enabled:
        routers.append(routes_faults.router)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(routes_applications.page_router)  # the applicant's page: /apply
    app.include_router(routes_evaluations.page_router)  # the rating page the QR opens: /rate
    return app
