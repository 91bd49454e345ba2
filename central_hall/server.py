"""The FastAPI application factory of the reference hall."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from central_hall import auth, catalog, routes_auth, routes_catalog
from central_hall.config import HallConfig
from central_hall.errors import install_error_handlers
from central_hall.storage import HallDatabase

API_PREFIX = "/api/v1"


@dataclass
class Hall:
    """Everything a request handler needs, kept on ``app.state.hall``."""

    config: HallConfig
    db: HallDatabase


def open_hall(config: HallConfig) -> Hall:
    db = HallDatabase.open(config.data_dir)
    auth.seed_demo_accounts(db)
    if config.catalog_file:
        catalog.publish_file(db, config.catalog_file)
    return Hall(config=config, db=db)


def create_app(config: HallConfig) -> FastAPI:
    hall = open_hall(config)
    app = FastAPI(
        title="OneWindow reference hall",
        version="1",
        description="网上办事大厅 reference implementation of the OneWindow hall API v1.",
    )
    app.state.hall = hall
    install_error_handlers(app)
    for router in (routes_auth.router, routes_catalog.router):
        app.include_router(router, prefix=API_PREFIX)
    return app
