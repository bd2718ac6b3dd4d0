"""The web view's routes: sign-in and sign-out, the province's ranking, a commune's page, the
leaders' follow-up counts, the downloads, and the error pages of everything outside
``/api/``. Who may open what is checked here, on every request, from the signed-in user."""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations, which name
# types defined inside install().

import datetime as dt
import logging
import urllib.parse
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Annotated

import jinja2
import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from gocua.catalogue import Catalogue
from server import auth, snapshots, tallies
from server.db import Unavailable, read, run_transaction
from server.errors import RETRY_AFTER_SECONDS, ApiError
from server.scope import COMMUNE_ADMIN, LEADER, PROVINCE_VIEWER, VOLUNTEER, AuthUser
from server.settings import Settings
from server.web import charts, downloads, figures, sessions
from server.web.security import SecurityHeaders, header_list, is_api
from server.web.texts import LANGUAGES, TEXTS, date, number, percent, text

log = logging.getLogger("gocua.web")
HERE = FilePath(__file__).resolve().parent
DEFAULT_SINCE_DAYS = 30
FORM_LIMIT = 4096  # a sign-in form is a few hundred bytes


class LoginRequired(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


class WebError(Exception):
    """A refusal shown as a page (not JSON): status and the text to show."""

    def __init__(self, status: int, key: str):
        self.status, self.key = status, key


@dataclass
class UI:
    """What every template gets: the language, texts, number and date formats, URLs."""

    lang: str
    path: str
    query: dict[str, str]

    def t(self, key: str, **values) -> str:
        return text(key, self.lang, **values)

    def pct(self, value: float | None) -> str:
        return percent(value, self.lang)

    def num(self, value: int | float) -> str:
        return number(value, self.lang)

    def date(self, value: dt.date | None) -> str:
        return date(value, self.lang)

    def url(self, path: str | None = None, **changes) -> str:
        """This page (or ``path``) with the current query, some keys changed."""
        query = {**self.query, **{k: v for k, v in changes.items() if v is not None}}
        query = {k: v for k, v in query.items() if k != "lang"}
        encoded = urllib.parse.urlencode(query)
        return (path or self.path) + (f"?{encoded}" if encoded else "")

    @property
    def other_lang(self) -> str:
        return "en" if self.lang == "vi" else "vi"

    @property
    def lang_url(self) -> str:
        """This page in the other language (the server sets a cookie and comes back)."""
        return self.path + "?" + urllib.parse.urlencode({**self.query, "lang": self.other_lang})

    def bar(self, value: float | None, most: float = 100.0) -> float:
        return charts.bar_width(value, most)


def _safe_next(value: str | None) -> str:
    """A local path to go to after signing in (never another site: ``//host`` or ``/\\host``)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ch in value for ch in "\r\n\\"):
        return "/"
    return value


def install(app: FastAPI, engine: Engine, settings: Settings, catalogue: Catalogue) -> None:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    state: dict = {"snapshot_day": None}
    router = APIRouter(include_in_schema=False)
    indicator_codes = {i.code for i in catalogue.indicators}

    # -- helpers --------------------------------------------------------------------------

    def lang_of(request: Request) -> str:
        lang = request.cookies.get(sessions.LANG_COOKIE, "vi")
        return lang if lang in LANGUAGES else "vi"

    def ui_of(request: Request) -> UI:
        query = {k: v for k, v in request.query_params.items() if k in ("indicator", "since")}
        return UI(lang_of(request), request.url.path, query)

    def render(
        request: Request,
        template: str,
        status: int = 200,
        session: sessions.Session | None = None,
        headers: dict[str, str] | None = None,
        **context,
    ) -> HTMLResponse:
        ui = ui_of(request)
        body = env.get_template(template).render(
            ui=ui, session=session, catalogue=catalogue, **context
        )
        return HTMLResponse(body, status_code=status, headers=headers)

    def session_of(request: Request) -> sessions.Session | None:
        token = request.cookies.get(sessions.SESSION_COOKIE)
        if not token:
            return None
        return read(engine, lambda conn: sessions.load(conn, token))

    def require(request: Request) -> sessions.Session:
        session = session_of(request)
        if session is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if session.user.role == VOLUNTEER:
            raise WebError(403, "error_403")
        return session

    def lang_switch(request: Request) -> Response | None:
        lang = request.query_params.get("lang")
        if lang is None:
            return None
        ui = ui_of(request)
        response = RedirectResponse(ui.url(), status_code=303)
        if lang in LANGUAGES:
            sessions.set_cookie(response, request, sessions.LANG_COOKIE, lang, 365 * 86400)
        return response

    def ensure_snapshot() -> None:
        """The first request of a day keeps the tallies of the day (server.snapshots)."""
        today = snapshots.today()
        if state["snapshot_day"] == today:
            return
        try:
            snapshots.take_today(engine)
        except Unavailable:
            return  # the page itself will say the database is unavailable
        state["snapshot_day"] = today

    def parse_view(indicator: str, since: str | None) -> tuple[str, dt.date, dt.date]:
        if indicator != figures.SCORE and indicator not in indicator_codes:
            raise WebError(400, "error_400")
        today = snapshots.today()
        if since:
            try:
                asked = dt.date.fromisoformat(since)
            except ValueError:
                raise WebError(400, "error_400") from None
        else:
            asked = today - dt.timedelta(days=DEFAULT_SINCE_DAYS)
        return indicator, min(asked, today), today

    def province_of(conn, user: AuthUser, province_id: str) -> dict:
        if user.role != PROVINCE_VIEWER or user.province_id != province_id:
            raise WebError(403, "error_403")
        row = figures.area(conn, province_id)
        if row is None or row["kind"] != "province":
            raise WebError(404, "error_404")
        return row

    def commune_of(conn, user: AuthUser, commune_id: str, *, leaders_only: bool = False) -> dict:
        row = figures.area(conn, commune_id)
        if user.role == PROVINCE_VIEWER:
            if leaders_only or row is None or row["parent_id"] != user.province_id:
                raise WebError(403, "error_403")
        elif user.role in (LEADER, COMMUNE_ADMIN):
            if user.commune_id != commune_id:
                raise WebError(403, "error_403")
        else:
            raise WebError(403, "error_403")
        if row is None or row["kind"] != "commune":
            raise WebError(404, "error_404")
        return row

    def key_name(key: str, lang: str) -> str:
        if key == figures.SCORE:
            return text("score", lang)
        return catalogue.indicator(key).name(lang)

    # -- signing in and out ---------------------------------------------------------------

    @router.get("/")
    def home(request: Request) -> Response:
        if (switched := lang_switch(request)) is not None:
            return switched
        session = require(request)
        user = session.user
        if user.role == PROVINCE_VIEWER and user.province_id:
            return RedirectResponse(f"/province/{user.province_id}", status_code=303)
        if user.commune_id:
            return RedirectResponse(f"/commune/{user.commune_id}", status_code=303)
        raise WebError(403, "error_403")

    def login_page(
        request: Request, status: int = 200, message: str | None = None, headers=None
    ) -> HTMLResponse:
        token = sessions.login_token(request)
        next_url = _safe_next(request.query_params.get("next"))
        response = render(
            request,
            "login.html",
            status=status,
            csrf=token,
            next_url=next_url,
            message=message,
            headers=headers,
        )
        sessions.set_cookie(
            response, request, sessions.LOGIN_COOKIE, token, sessions.LOGIN_COOKIE_SECONDS
        )
        return response

    @router.get("/login")
    def login_form(request: Request) -> Response:
        if (switched := lang_switch(request)) is not None:
            return switched
        if session_of(request) is not None:
            return RedirectResponse("/", status_code=303)
        return login_page(request)

    async def form_of(request: Request) -> dict[str, str]:
        body = await request.body()
        if len(body) > FORM_LIMIT:
            raise WebError(400, "error_400")
        try:
            parsed = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise WebError(400, "error_400") from None
        return {k: v[0] for k, v in parsed.items() if v}

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await form_of(request)
        if not sessions.same(form.get("csrf"), request.cookies.get(sessions.LOGIN_COOKIE)):
            raise WebError(403, "error_403_csrf")
        username = form.get("username", "")[:100]
        password = form.get("password", "")[:1000]
        lang = lang_of(request)
        if not username:
            return login_page(request, 401, text("login_failed", lang))

        def work(conn):
            user = auth.check_password(conn, settings, username, password)
            if isinstance(user, ApiError) or user.role == VOLUNTEER:
                return user, None
            return user, sessions.create(conn, settings, user)

        try:
            user, made = run_transaction(engine, work)
        except ApiError as error:
            if error.status != 429:
                raise
            minutes = max(1, (int(error.extra.get("retry_after", 60)) + 59) // 60)
            message = text("login_blocked", lang, minutes=minutes)
            return login_page(request, 429, message, headers=error.headers)
        if isinstance(user, ApiError):
            return login_page(request, 401, text("login_failed", lang))
        if made is None:
            return login_page(request, 403, text("login_volunteer", lang))
        token, _ = made
        next_url = _safe_next(form.get("next"))
        response = RedirectResponse(next_url, status_code=303)
        sessions.set_cookie(
            response, request, sessions.SESSION_COOKIE, token, settings.web_session_hours * 3600
        )
        sessions.clear_cookie(response, request, sessions.LOGIN_COOKIE)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await form_of(request)
        session = session_of(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        if not sessions.same(form.get("csrf"), session.csrf):
            raise WebError(403, "error_403_csrf")
        run_transaction(engine, lambda conn: sessions.end(conn, session))
        response = RedirectResponse("/login", status_code=303)
        sessions.clear_cookie(response, request, sessions.SESSION_COOKIE)
        return response

    # -- the province -----------------------------------------------------------------------

    Id = Annotated[str, Path(max_length=64)]
    Indicator = Annotated[str, Query(max_length=40)]
    Since = Annotated[str | None, Query(max_length=10)]

    def province_view(request: Request, province_id: str, indicator: str, since: str | None):
        session = require(request)
        key, asked, today = parse_view(indicator, since)
        ensure_snapshot()

        def work(conn):
            row = province_of(conn, session.user, province_id)
            level = figures.province(conn, catalogue, row, today.year)
            before = figures.earlier(conn, catalogue, level, asked, province_id)
            return level, before

        level, before = read(engine, work)
        ranked = figures.ranking(level.parts, key, before.parts)
        return session, key, today, level, before, ranked

    @router.get("/province/{province_id}")
    def province_page(
        request: Request, province_id: Id, indicator: Indicator = figures.SCORE, since: Since = None
    ) -> Response:
        if (switched := lang_switch(request)) is not None:
            return switched
        session, key, today, level, before, ranked = province_view(
            request, province_id, indicator, since
        )
        return render(
            request,
            "ranking.html",
            session=session,
            kind="province",
            key=key,
            key_name=key_name(key, lang_of(request)),
            today=today,
            level=level,
            before=before,
            ranked=ranked,
            top_figures=level.area.figures,
            downloads_base=f"/province/{province_id}/ranking",
            child_link="/commune/",
            chart=None,
            rank_in_parent=None,
            follow_up=None,
        )

    def download(
        request: Request, level, ranked, key: str, today: dt.date, before, fmt: str, stem: str
    ) -> Response:
        lang = lang_of(request)
        area_word = text("commune" if stem.startswith("xep-hang-xa") else "hamlet", lang)
        notes = [text("year_note", lang, year=today.year, today=date(today, lang))]
        if before.day is not None:
            notes.append(text("snapshot_used", lang, day=date(before.day, lang)))
        title = f"{level.area.name}: {key_name(key, lang)}"
        table = downloads.ranking_table(
            catalogue, ranked, key, lang, title=title, notes=notes, area_word=area_word
        )
        filename = f"{stem}-{today.isoformat()}.{fmt}"
        disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if fmt == "csv":
            return Response(
                downloads.csv_bytes(table),
                media_type="text/csv; charset=utf-8",
                headers=disposition,
            )
        parts = downloads.figures_table(catalogue, [level.area, *level.parts], lang, area_word)
        return Response(
            downloads.xlsx(table, parts, lang),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=disposition,
        )

    @router.get("/province/{province_id}/ranking.{fmt}")
    def province_download(
        request: Request,
        province_id: Id,
        fmt: Annotated[str, Path(pattern="^(xlsx|csv)$")],
        indicator: Indicator = figures.SCORE,
        since: Since = None,
    ) -> Response:
        _, key, today, level, before, ranked = province_view(request, province_id, indicator, since)
        return download(
            request, level, ranked, key, today, before, fmt, f"xep-hang-xa-{province_id}"
        )

    # -- a commune ----------------------------------------------------------------------------

    def commune_view(request: Request, commune_id: str, indicator: str, since: str | None):
        session = require(request)
        key, asked, today = parse_view(indicator, since)
        ensure_snapshot()

        def work(conn):
            row = commune_of(conn, session.user, commune_id)
            level = figures.commune(conn, catalogue, row, today.year)
            before = figures.earlier(conn, catalogue, level, asked, commune_id)
            shown = catalogue.indicators[0].code if key == figures.SCORE else key
            series = figures.progress(conn, commune_id, shown, today, level.area.figures.get(shown))
            place = None
            if session.user.role == PROVINCE_VIEWER:
                province = figures.area(conn, row["parent_id"])
                whole = figures.province(conn, catalogue, province, today.year)
                ranks = figures.ranks({a.id: a.value(figures.SCORE) for a in whole.parts})
                place = (ranks.get(commune_id), len(whole.parts), province["id"])
            return level, before, series, shown, place

        level, before, series, shown, place = read(engine, work)
        ranked = figures.ranking(level.parts, key, before.parts)
        return session, key, today, level, before, ranked, series, shown, place

    @router.get("/commune/{commune_id}")
    def commune_page(
        request: Request, commune_id: Id, indicator: Indicator = figures.SCORE, since: Since = None
    ) -> Response:
        if (switched := lang_switch(request)) is not None:
            return switched
        session, key, today, level, before, ranked, series, shown, place = commune_view(
            request, commune_id, indicator, since
        )
        target = level.area.figures[shown].target
        chart = charts.line_chart([(p.day, p.percent) for p in series], target)
        lang = lang_of(request)
        leader = session.user.role in (LEADER, COMMUNE_ADMIN)
        return render(
            request,
            "ranking.html",
            session=session,
            kind="commune",
            key=key,
            key_name=key_name(key, lang),
            today=today,
            level=level,
            before=before,
            ranked=ranked,
            top_figures=level.area.figures,
            downloads_base=f"/commune/{commune_id}/ranking",
            child_link=None,
            chart={
                "geometry": chart,
                "indicator": catalogue.indicator(shown).name(lang),
                "days": len(series),
            },
            rank_in_parent=place,
            follow_up=f"/commune/{commune_id}/follow-up" if leader else None,
        )

    @router.get("/commune/{commune_id}/ranking.{fmt}")
    def commune_download(
        request: Request,
        commune_id: Id,
        fmt: Annotated[str, Path(pattern="^(xlsx|csv)$")],
        indicator: Indicator = figures.SCORE,
        since: Since = None,
    ) -> Response:
        _, key, today, level, before, ranked, *_ = commune_view(
            request, commune_id, indicator, since
        )
        return download(
            request, level, ranked, key, today, before, fmt, f"xep-hang-ap-{commune_id}"
        )

    @router.get("/commune/{commune_id}/follow-up")
    def follow_up(request: Request, commune_id: Id) -> Response:
        if (switched := lang_switch(request)) is not None:
            return switched
        session = require(request)
        if session.user.role == PROVINCE_VIEWER:
            raise WebError(403, "error_403")  # aggregates of the province only
        today = snapshots.today()

        def work(conn):
            row = commune_of(conn, session.user, commune_id, leaders_only=True)
            return figures.commune(conn, catalogue, row, today.year)

        level = read(engine, work)
        counts = level.extra
        rows = [
            {
                "area": hamlet,
                "unvisited": counts.get((hamlet.id, tallies.UNVISITED), (0, 0))[0],
                "to_help": counts.get((hamlet.id, tallies.TO_HELP), (0, 0))[0],
            }
            for hamlet in level.parts
        ]
        totals = {
            "unvisited": sum(r["unvisited"] for r in rows),
            "to_help": sum(r["to_help"] for r in rows),
        }
        return render(
            request,
            "follow_up.html",
            session=session,
            level=level,
            rows=rows,
            totals=totals,
            today=today,
        )

    @router.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)  # browsers ask; there is none

    # -- personal data is never on the web ------------------------------------------------

    for prefix in ("household", "households", "person", "persons", "visits"):

        @router.get(f"/{prefix}/{{rest:path}}")
        @router.get(f"/commune/{{commune_id}}/{prefix}/{{rest:path}}")
        def personal(request: Request) -> Response:
            session = require(request)
            if session.user.role == PROVINCE_VIEWER:
                raise WebError(403, "error_403")
            raise WebError(404, "no_household_pages")

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(SecurityHeaders)
    _install_error_pages(app, env, catalogue)


def _install_error_pages(app: FastAPI, env: jinja2.Environment, catalogue: Catalogue) -> None:
    """Outside ``/api/``, errors are plain pages in the reader's language, without traces;
    the API's handlers (server.errors) answer its own paths as before."""

    def page(request: Request, status: int, key: str, headers=None) -> HTMLResponse:
        lang = request.cookies.get(sessions.LANG_COOKIE, "vi")
        lang = lang if lang in LANGUAGES else "vi"
        ui = UI(lang, request.url.path, {})
        body = env.get_template("error.html").render(
            ui=ui, session=None, catalogue=catalogue, status=status, message=text(key, lang)
        )
        response = HTMLResponse(body, status_code=status, headers=headers)
        # Set here too: a 500 is answered outside the middleware that adds them.
        for name, value in header_list(request.url.path, request.url.scheme):
            response.headers[name.decode()] = value.decode()
        return response

    def key_for(status: int) -> str:
        key = f"error_{status}"
        return key if key in TEXTS else ("error_500" if status >= 500 else "error_400")

    async def login_required(request: Request, error: LoginRequired) -> Response:
        query = urllib.parse.urlencode({"next": error.next_url})
        return RedirectResponse(f"/login?{query}", status_code=303)

    async def web_error(request: Request, error: WebError) -> Response:
        return page(request, error.status, error.key)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(WebError, web_error)

    def wrap(cls, status_of):
        original = app.exception_handlers[cls]

        async def handler(request: Request, error):
            if is_api(request.url.path):
                return await original(request, error)
            status = status_of(error)
            if status >= 500:
                log.exception("web view error", exc_info=error)
            headers = getattr(error, "headers", None) if status == 429 else None
            if status == 503:
                headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            return page(request, status, key_for(status), headers)

        app.exception_handlers[cls] = handler

    wrap(StarletteHTTPException, lambda e: e.status_code)
    wrap(ApiError, lambda e: e.status)
    wrap(RequestValidationError, lambda e: 400)
    wrap(Unavailable, lambda e: 503)
    wrap(sa.exc.DataError, lambda e: 400)
    wrap(Exception, lambda e: 500)
