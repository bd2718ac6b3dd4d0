"""JSON errors for every failure: SYNC.md's ``{"error": code, "message": text, ...}``."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.db import Unavailable

log = logging.getLogger("gocua.server")
RETRY_AFTER_SECONDS = 2

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


class JSON(JSONResponse):
    """JSON answers say their charset, as SYNC.md's transport section asks."""

    media_type = "application/json; charset=utf-8"


class ApiError(Exception):
    """An answer other than 200: status, SYNC.md's error code, and its extra fields."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str = "",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(message or error)
        self.status, self.error, self.message = status, error, message or error
        self.headers, self.extra = headers, extra

    def response(self) -> JSON:
        body = {"error": self.error, "message": self.message, **self.extra}
        return JSON(body, status_code=self.status, headers=self.headers)


class AdminError(ApiError, ValueError):
    """A change of commune administration that breaks a rule. The API answers it like any
    :class:`ApiError` (422 ``invalid_request`` unless told otherwise); the command line prints
    its message. ``field`` is named in the message, as every bad input must be."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 422,
        code: str = "invalid_request",
        field: str | None = None,
        **extra: Any,
    ):
        if code == "invalid_request":
            extra.setdefault("details", [{"field": field or "body", "message": message}])
        super().__init__(status, code, f"{field}: {message}" if field else message, **extra)


def unauthorized(message: str = "missing, expired or revoked token") -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str = "not allowed for this user or area") -> ApiError:
    return ApiError(403, "forbidden", message)


class ErrorBody(BaseModel):
    error: str
    message: str


_DESCRIBED = {
    401: "missing, malformed, expired or revoked token (`unauthorized`)",
    403: "not allowed for this user or area (`forbidden`)",
    404: "`not_found`",
    409: "see SYNC.md and docs/protocol.md for this endpoint's 409 codes",
    413: "body over 8 MiB (`too_large`)",
    415: "unsupported Content-Encoding",
    422: "`invalid_request` with `details`, or a code docs/protocol.md names",
    426: "`upgrade_required`",
    429: "`too_many_attempts` with `retry_after`",
    503: "database unavailable; retry after `Retry-After` seconds",
}
BODY_ERRORS = (413, 415, 422)
COMMON = (401, 503)


def documented(*codes: int) -> dict:
    """The error answers of a route, for its OpenAPI ``responses`` (the fuzz test holds every
    route to the statuses it lists)."""
    return {code: {"model": ErrorBody, "description": _DESCRIBED[code]} for code in codes}


def _details(error: RequestValidationError) -> list[dict[str, str]]:
    details = []
    for problem in error.errors():
        loc = [str(part) for part in problem.get("loc", ()) if part != "body"]
        details.append({"field": ".".join(loc) or "body", "message": str(problem.get("msg", ""))})
    return details


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSON:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSON:
        details = _details(error)
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
        body = {"error": "invalid_request", "message": message, "details": details}
        return JSON(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSON:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        body = {"error": code, "message": str(error.detail)}
        return JSON(body, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Unavailable)
    async def unavailable(_request: Request, error: Unavailable) -> JSON:
        log.warning("database unavailable: %s", error)
        body = {"error": "unavailable", "message": "the database is unavailable; retry later"}
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return JSON(body, status_code=503, headers=headers)

    @app.exception_handler(sa.exc.DataError)
    async def data_error(_request: Request, error: sa.exc.DataError) -> JSON:
        # A value the database cannot hold (a NUL character, a number out of range) that
        # slipped past validation: the request's fault, not the server's.
        log.info("value refused by the database: %s", error.orig)
        message = "a value in the request cannot be stored"
        details = [{"field": "body", "message": message}]
        return JSON(
            {"error": "invalid_request", "message": message, "details": details}, status_code=422
        )

    @app.exception_handler(Exception)
    async def internal(_request: Request, error: Exception) -> JSON:
        log.exception("unhandled error", exc_info=error)
        body = {"error": "internal_error", "message": "internal server error"}
        return JSON(body, status_code=500)
