"""The FastAPI application: SYNC.md's endpoints under ``/api/v1`` (plus the row history)."""

import gc
import gzip
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, model_validator
from starlette.middleware.gzip import GZipMiddleware

import gocua
from gocua import hlc as hlc_mod
from gocua.catalogue import default_catalogue
from gocua.protocol import DEFAULT_PULL_LIMIT, MAX_MUTATIONS_PER_PUSH, MAX_PULL_LIMIT
from server import (
    auth,
    commune_admin,
    conflicts,
    devices,
    errors,
    history,
    pull,
    push,
    reports,
    web,
)
from server.body import Strict, document_bodies, documented_body, parse_body
from server.db import Unavailable, create_engine, read, run_transaction
from server.errors import BODY_ERRORS, COMMON, JSON, ApiError, unauthorized
from server.errors import documented as _errors
from server.jsontext import dumps
from server.middleware import RequestBody
from server.scope import AuthUser
from server.settings import Settings

PROTOCOL = gocua.PROTOCOL_VERSION


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(max_length=1000)
    device_name: str = Field(max_length=200)


class HelloRequest(Strict):
    client_id: str | None = None
    app_version: str = Field(max_length=50)
    protocol: int


class MutationIn(Strict):
    id: int = Field(ge=1, le=2**62)
    hlc: str = Field(max_length=64)
    table: str = Field(max_length=40)
    row_id: str = Field(max_length=64)
    op: Literal["upsert", "delete"]
    base_version: int = Field(ge=0, le=2**62)
    fields: dict[str, Any] = Field(default_factory=dict)


class PushRequest(Strict):
    client_id: str = Field(max_length=64)
    epoch: str = Field(max_length=64)
    mutations: list[MutationIn] = Field(max_length=MAX_MUTATIONS_PER_PUSH)

    @model_validator(mode="after")
    def ids_increase(self) -> "PushRequest":
        ids = [m.id for m in self.mutations]
        if any(b <= a for a, b in zip(ids, ids[1:], strict=False)):
            raise ValueError("mutation ids must be strictly increasing")
        return self


class PullRequest(Strict):
    client_id: str = Field(max_length=64)
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)
    # Extensions (docs/protocol.md): sent only by devices whose hello listed them.
    epoch: str | None = Field(default=None, max_length=64)
    directory: str | None = Field(default=None, max_length=64)
    protocol: int | None = None
    format: Literal["rows", "columns"] = "rows"
    count: bool = False


# What this server adds to SYNC.md, named in hello's answer: a device uses an extension only
# when its server listed it, so a new device talking to an old server never sends one.
EXTENSIONS = ("checked_pull", "columns", "remaining")
# Column pages are compressed here, in the endpoint's thread, harder than the middleware's
# level 1 (which stays for everything else): 22 against 27 bytes a row, at 2.3 us a row.
PAGE_GZIP_LEVEL = 6


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = create_engine(settings.database_url, settings.db_pool_size)
    if not settings.tallies:  # GOCUA_TALLIES=0: only to measure what keeping them costs
        engine = engine.execution_options(gocua_tallies=False)
    clock = hlc_mod.Clock()
    catalogue = default_catalogue()
    bearer = HTTPBearer(auto_error=False)

    def current_user(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> AuthUser:
        if credentials is None:
            raise unauthorized()
        header = f"{credentials.scheme} {credentials.credentials}"
        return read(engine, lambda conn: auth.authenticate(conn, header))

    async def bearer_header(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        """The Authorization header, checked only for presence (the caller checks the token
        in its own transaction). Async: it does no I/O, and a plain function would cost a
        trip through the thread pool on every sync request."""
        if credentials is None:
            raise unauthorized()
        return f"{credentials.scheme} {credentials.credentials}"

    User = Annotated[AuthUser, Depends(current_user)]
    router = APIRouter(prefix="/api/v1")

    @router.post("/auth/login", responses=_errors(401, 429, 503, *BODY_ERRORS))
    def login(body: LoginRequest) -> dict:
        answer = run_transaction(
            engine,
            lambda conn: auth.login(conn, settings, body.username, body.password, body.device_name),
        )
        if isinstance(answer, ApiError):
            raise answer
        return answer

    @router.post("/auth/logout", status_code=204, responses=_errors(*COMMON, *BODY_ERRORS))
    def logout(
        user: User, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Response:
        assert credentials is not None
        run_transaction(engine, lambda conn: auth.logout(conn, f"Bearer {credentials.credentials}"))
        return Response(status_code=204)

    @router.post("/sync/hello", responses=_errors(*COMMON, 409, 426, *BODY_ERRORS))
    def hello(body: HelloRequest, header: Annotated[str, Depends(bearer_header)]) -> dict:
        def authorize(conn) -> AuthUser:
            user = auth.authenticate(conn, header)  # 401 before 426
            if body.protocol != PROTOCOL:
                raise ApiError(
                    426,
                    "upgrade_required",
                    f"this server speaks protocol {PROTOCOL}",
                    min_protocol=PROTOCOL,
                    max_protocol=PROTOCOL,
                )
            return user

        answer = devices.hello(engine, authorize, body.client_id, body.app_version)
        return {
            "client_id": answer["client_id"],
            "epoch": answer["epoch"],
            "server_hlc": clock.now(),
            "protocol": PROTOCOL,
            "user": answer["user"],
            "areas": answer["areas"],
            "users": answer["users"],
            "last_mutation_id": answer["last_mutation_id"],
            "directory": answer["directory"],
            "extensions": list(EXTENSIONS),
        }

    @router.post(
        "/sync/push",
        responses={
            200: {"content": {"application/json": {}}},
            **_errors(*COMMON, 403, 409, *BODY_ERRORS),
        },
        openapi_extra=documented_body(PushRequest),
    )
    async def push_(request: Request, header: Annotated[str, Depends(bearer_header)]) -> Response:
        body = parse_body(PushRequest, await request.body())
        authorize = lambda conn: auth.authenticate(conn, header)  # noqa: E731
        answer = await run_in_threadpool(push.push, engine, clock, catalogue, authorize, body)
        # Encoded here: FastAPI's generic encoder walks every result in Python first.
        return Response(content=dumps(answer).encode(), media_type=JSON.media_type)

    @router.post(
        "/sync/pull",
        responses={
            200: {"content": {"application/json": {}}},
            **_errors(*COMMON, 403, 409, 426, *BODY_ERRORS),
        },
    )
    def pull_(
        request: Request, body: PullRequest, header: Annotated[str, Depends(bearer_header)]
    ) -> Response:
        authorize = lambda conn: auth.authenticate(conn, header)  # noqa: E731
        options = pull.Options(
            body.epoch, body.directory, body.protocol, body.format == "columns", body.count
        )
        content = pull.pull(
            engine, authorize, body.client_id, body.cursor, body.limit, clock.now, options
        )
        if (
            options.columns
            and len(content) >= 1024
            and "gzip" in request.headers.get("accept-encoding", "")
        ):
            return Response(
                content=gzip.compress(content, PAGE_GZIP_LEVEL, mtime=0),
                media_type=JSON.media_type,
                headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
            )
        return Response(content=content, media_type=JSON.media_type)

    @router.get("/sync/summary", responses=_errors(*COMMON, 403))
    def summary(user: User) -> dict:
        return pull.summary(engine, user)

    @router.get("/conflicts", responses=_errors(*COMMON, 403, 422))
    def list_conflicts(user: User, status: Literal["open", "resolved"] = "open") -> dict:
        return conflicts.list_conflicts(engine, user, status)

    @router.post(
        "/conflicts/{conflict_id}/resolve", responses=_errors(*COMMON, 403, 404, 409, *BODY_ERRORS)
    )
    def resolve(
        conflict_id: Annotated[str, Path(max_length=64)],
        body: Annotated[dict[str, Any], Body()],
        user: User,
    ) -> dict:
        return conflicts.resolve(engine, clock, catalogue, user, conflict_id, body)

    @router.get("/reports/coverage", responses=_errors(*COMMON, 403, 422))
    def coverage(
        user: User,
        area: Annotated[str, Query(max_length=64)],
        period: Annotated[str, Query(max_length=10)],
    ) -> dict:
        return reports.coverage(engine, catalogue, user, area, period)

    @router.get("/history/{table}/{row_id}", responses=_errors(*COMMON, 403, 404))
    def row_history(
        table: Annotated[str, Path(max_length=40)],
        row_id: Annotated[str, Path(max_length=64)],
        user: User,
    ) -> dict:
        return history.row_history(engine, user, table, row_id)

    commune_admin.add_routes(router, engine, settings, clock, User)

    @router.get("/healthz", responses=_errors(503))
    def healthz() -> JSON:
        try:
            read(engine, lambda conn: conn.execute(sa.text("SELECT 1")).scalar())
        except Unavailable:
            return JSON(
                {
                    "error": "unavailable",
                    "message": "database unreachable",
                    "status": "error",
                    "database": "unreachable",
                },
                status_code=503,
                headers={"Retry-After": str(errors.RETRY_AFTER_SECONDS)},
            )
        return JSON({"status": "ok", "database": "ok"})

    app = FastAPI(
        title="Gõ Cửa sync server",
        version=gocua.__version__,
        default_response_class=JSON,
        description="The central server of SYNC.md, protocol version 1.",
    )
    app.include_router(router)
    document_bodies(app, PushRequest)
    errors.install(app)
    web.install(app, engine, settings, catalogue)  # the read-only web view under /
    app.state.engine, app.state.settings, app.state.clock = engine, settings, clock
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "Content-Encoding"],
        )
    # Level 1: pulls are large and this machine's cores are better spent serving them.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    app.add_middleware(RequestBody, max_bytes=settings.max_body_bytes)

    return app


def serving_app() -> FastAPI:
    """The app a server process serves (``gocua-server serve``): :func:`create_app`, then
    the objects that live as long as the process (modules, models, the app) set aside from
    the garbage collector. Its full collections walked all of them again and again during a
    burst of pushes: 12% of a push's CPU, measured. Tests build many apps, so not there."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
