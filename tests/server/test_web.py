"""The web view without a browser (in-process, SQLite and PostgreSQL): sessions and CSRF, the
shared login rate limit, who sees what, aggregates only, figures equal to the API's report
(computed from scratch), downloads, rank changes, security headers and error pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
import sqlalchemy as sa

from gocua.catalogue import default_catalogue
from server import snapshots
from server.db import Unavailable, create_engine
from server.web import figures as web_figures
from server.web.security import CSP
from tests.server.world import PASSWORD, Device

TODAY = snapshots.today()
SINCE = (TODAY - dt.timedelta(days=30)).isoformat()


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def sign_in(web, username: str, password: str = PASSWORD, next_url: str = "/"):
    form = web.get("/login")
    assert form.status_code == 200
    return web.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf": csrf_of(form.text),
            "next": next_url,
        },
        follow_redirects=False,
    )


def signed_in(web, username: str):
    answer = sign_in(web, username)
    assert answer.status_code == 303, answer.text
    return web


def test_pages_ask_for_a_sign_in_first(web):
    for path in ("/", "/province/P1", "/commune/C1", "/province/P1/ranking.xlsx"):
        answer = web.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")
    answer = signed_in(web, "viewer").get("/")
    assert answer.url.path == "/province/P1"


def test_the_session_cookie_is_httponly_strict_and_logout_needs_its_token(web):
    answer = sign_in(web, "leader", next_url="/commune/C1?indicator=ehealth")
    assert answer.headers["location"] == "/commune/C1?indicator=ehealth"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("gocua_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind the TLS proxy see test_web_browser
    token = cookie.split(";")[0].split("=", 1)[1]
    page = web.get("/commune/C1")
    assert page.status_code == 200
    # A logout posted without the session's token is refused and signs nobody out.
    refused = web.post("/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403 and "Biểu mẫu đã hết hạn" in refused.text
    assert web.get("/commune/C1").status_code == 200
    done = web.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login")
    web.cookies.clear()
    web.cookies.set("gocua_session", token)  # the old cookie is worth nothing now
    assert web.get("/commune/C1", follow_redirects=False).status_code == 303


def test_a_login_form_without_its_token_is_refused(web, web_url):
    form = web.get("/login")
    body = {"username": "viewer", "password": PASSWORD, "next": "/"}
    assert web.post("/login", data=body).status_code == 403
    forged = web.post("/login", data={**body, "csrf": "x" * 43})
    assert forged.status_code == 403 and "<h1>" in forged.text
    web.cookies.clear()  # the token of the form, but not the cookie that goes with it
    assert web.post("/login", data={**body, "csrf": csrf_of(form.text)}).status_code == 403
    engine = create_engine(web_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM web_sessions")).scalar() == 0
    engine.dispose()


def test_the_login_rate_limit_is_the_apis(web):
    for _ in range(10):
        wrong = sign_in(web, "leader", "wrong password")
        assert wrong.status_code == 401 and "Sai tên đăng nhập" in wrong.text
    blocked = sign_in(web, "leader")  # the right password, too late
    assert blocked.status_code == 429 and "Thử lại sau" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    api = web.post(
        "/api/v1/auth/login",
        json={"username": "leader", "password": PASSWORD, "device_name": "x"},
    )
    assert api.status_code == 429 and api.json()["error"] == "too_many_attempts"


def test_volunteers_use_the_app(web):
    answer = sign_in(web, "vol_a")
    assert answer.status_code == 403 and "ứng dụng Gõ Cửa" in answer.text
    assert "gocua_session" not in web.cookies


def test_who_sees_what(web):
    viewer = signed_in(web, "viewer")
    assert viewer.get("/province/P1").status_code == 200
    assert viewer.get("/commune/C1").status_code == 200
    assert viewer.get("/commune/X9").status_code == 403
    assert viewer.get("/province/P2").status_code == 403
    # Aggregates only: the follow-up data and anything of a household is refused.
    for path in (
        "/commune/C1/follow-up",
        "/household/6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10",
        "/households/6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10",
        "/commune/C1/households/6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10",
        "/person/6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10",
    ):
        answer = viewer.get(path)
        assert answer.status_code == 403, path
        assert "không được xem trang này" in answer.text
    web.cookies.clear()
    leader = signed_in(web, "leader")
    assert leader.get("/province/P1").status_code == 403
    assert leader.get("/commune/C2").status_code == 403
    assert leader.get("/commune/C1").status_code == 200
    follow = leader.get("/commune/C1/follow-up")
    assert follow.status_code == 200 and "Hộ chưa được thăm" in follow.text
    assert leader.get("/household/anything").status_code == 404
    web.cookies.clear()
    assert signed_in(web, "leader2").get("/commune/C1/follow-up").status_code == 403


def _personal_values(url: str) -> set[str]:
    """Every name, CCCD, phone and address stored."""
    engine = create_engine(url)
    values: set[str] = set()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT data FROM records WHERE tbl IN ('persons', 'households')")
        )
        for (data,) in rows:
            row = json.loads(data)
            for key in ("full_name", "cccd", "phone", "address"):
                if row.get(key):
                    values.add(row[key])
    engine.dispose()
    return values


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


def test_a_province_viewer_sees_no_personal_data_anywhere(web, web_url):
    personal = _personal_values(web_url)
    assert len(personal) > 100
    viewer = signed_in(web, "viewer")
    seen, todo, texts = set(), ["/"], []
    while todo:  # every page and download a link leads to
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        answer = viewer.get(path)
        assert answer.status_code == 200, path
        kind = answer.headers["content-type"]
        if "spreadsheetml" in kind:
            texts.append(_xlsx_text(answer.content))
            continue
        texts.append(answer.content.decode("utf-8-sig"))
        for link in re.findall(r'href="(/[^"]*)"', answer.text):
            link = link.replace("&amp;", "&")
            if not link.startswith(("/static/", "/logout")) and "lang=" not in link:
                todo.append(link)
    assert any(p.endswith(".xlsx") for p in seen) and any(p.endswith(".csv") for p in seen)
    assert any(p.startswith("/commune/C1") for p in seen)
    everything = "\n".join(texts + sorted(seen))
    leaked = [value for value in personal if value in everything]
    assert leaked == []


def test_the_figures_equal_the_apis_report_from_scratch(web):
    """The web view reads the tallies; the API's report computes from the records."""
    leader = Device(web, "leader")
    report = leader.get(f"/api/v1/reports/coverage?area=C1&period={TODAY.year}").json()
    expected = {
        (r["area_name"], r["indicator_code"]): (r["eligible"], r["covered"]) for r in report["rows"]
    }
    assert any(e for e, _ in expected.values())
    signed_in(web, "leader")
    book = openpyxl.load_workbook(io.BytesIO(web.get("/commune/C1/ranking.xlsx").content))
    sheet = book.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    names = {i.name("vi"): i.code for i in default_catalogue().indicators}
    shown = {(r[0], names[r[1]]): (r[2], r[3]) for r in rows[1:]}
    assert shown == expected


def test_downloads_csv_with_bom_and_xlsx(web):
    viewer = signed_in(web, "viewer")
    csv_answer = viewer.get(f"/province/P1/ranking.csv?indicator=bank_15plus&since={SINCE}")
    assert csv_answer.status_code == 200
    assert csv_answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_answer.headers["content-disposition"]
    assert csv_answer.content.startswith("\ufeff".encode())
    lines = csv_answer.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Hạng,Thay đổi,Xã,Tỷ lệ")
    assert len(lines) == 1 + 4  # four communes
    assert {line.split(",")[2] for line in lines[1:]} >= {"Xã Một", "Xã Hai"}
    xlsx = viewer.get(f"/province/P1/ranking.xlsx?indicator=bank_15plus&since={SINCE}")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(ranking) if row[0] == "Hạng")
    body = ranking[header + 1 :]
    assert len(body) == 4
    csv_rows = [line.split(",") for line in lines[1:]]
    for row, csv_row in zip(body, csv_rows, strict=True):
        assert row[2] == csv_row[2]
        assert row[3] is None or abs(row[3] * 100 - float(csv_row[3])) < 0.051


def test_rank_changes_are_against_the_day_kept(web, web_url):
    viewer = signed_in(web, "viewer")
    xlsx = viewer.get(f"/province/P1/ranking.xlsx?indicator=ehealth&since={SINCE}")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0].values)
    header = next(i for i, row in enumerate(rows) if row[0] == "Hạng")
    shown = {row[2]: (row[0], row[1]) for row in rows[header + 1 :]}
    engine = create_engine(web_url)
    with engine.connect() as conn:
        day = snapshots.day_on_or_before(conn, dt.date.fromisoformat(SINCE))
        kept = snapshots.figures_on(conn, day, ["C1", "C2", "P1-X003", "P1-X004"])
        names = dict(conn.execute(sa.text("SELECT id, name FROM areas")).all())
    engine.dispose()
    assert day == TODAY - dt.timedelta(days=30)
    then = web_figures.ranks(
        {
            names[a]: web_figures.coverage_percent(f["ehealth"][1], f["ehealth"][0])
            for a, f in kept.items()
        }
    )
    changes = {name: then[name] - rank for name, (rank, _) in shown.items()}
    assert {name: change for name, (_, change) in shown.items()} == changes
    page = viewer.get(f"/province/P1?indicator=ehealth&since={SINCE}").text
    assert "So sánh với số liệu lưu ngày" in page
    early = viewer.get("/province/P1?since=2025-01-01").text
    assert "Chưa có số liệu lưu ngày 01/01/2025" in early


def test_security_headers_on_pages_not_on_the_api(web):
    login = web.get("/login")
    assert login.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src" not in CSP  # default-src 'none'
    assert login.headers["x-frame-options"] == "DENY"
    assert login.headers["x-content-type-options"] == "nosniff"
    assert login.headers["referrer-policy"] == "no-referrer"
    assert login.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in login.headers  # plain HTTP
    assert "<script" not in login.text and " style=" not in login.text
    css = web.get("/static/web.css")
    assert css.status_code == 200 and css.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in css.headers.get("cache-control", "")
    api = web.get("/api/v1/healthz")
    assert "content-security-policy" not in api.headers


def test_errors_are_plain_pages_but_the_api_keeps_json(web, monkeypatch):
    missing = web.get("/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang này" in missing.text
    assert web.get("/api/v1/nowhere").json()["error"] == "not_found"
    assert web.post("/province/P1").status_code == 405
    signed_in(web, "viewer")
    assert web.get("/province/P1?indicator=nonsense").status_code == 400
    assert web.get("/province/P1?since=yesterday").status_code == 400

    def broken(*args, **kwargs):
        raise RuntimeError("a secret detail of the failure")

    def unreachable(*args, **kwargs):
        raise Unavailable("connection refused")

    monkeypatch.setattr(web_figures, "province", unreachable)
    busy = web.get("/province/P1")
    assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
    assert "Hãy thử lại sau ít phút" in busy.text
    monkeypatch.setattr(web_figures, "province", broken)
    failed = web.get("/province/P1")
    assert failed.status_code == 500
    assert "Máy chủ gặp lỗi" in failed.text
    assert "secret detail" not in failed.text and "Traceback" not in failed.text
    assert failed.headers["content-security-policy"] == CSP


def test_a_password_reset_signs_the_browser_out(web):
    signed_in(web, "leader")
    assert web.get("/commune/C1").status_code == 200
    admin = Device(web, "admin")
    leader_id = admin.get("/api/v1/admin/users").json()["users"]
    leader_id = next(u["id"] for u in leader_id if u["username"] == "leader")
    assert admin.post(f"/api/v1/admin/users/{leader_id}/reset-password", {}).status_code == 200
    assert web.get("/commune/C1", follow_redirects=False).status_code == 303


def test_english_on_request(web):
    signed_in(web, "viewer")
    switched = web.get("/province/P1?indicator=ehealth&lang=en", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/province/P1?indicator=ehealth"
    page = web.get("/province/P1?indicator=ehealth")
    assert "Ranking of communes" in page.text and 'lang="en"' in page.text


@pytest.mark.parametrize("kind", ["province", "commune"])
def test_pages_are_read_from_the_tallies_not_the_records(web, kind, monkeypatch):
    """A ranking reads a few thousand tally rows; it never opens the persons."""
    from server import tallies

    signed_in(web, "viewer" if kind == "province" else "leader")
    web.get("/province/P1" if kind == "province" else "/commune/C1")  # the day's snapshot
    statements: list[tuple[str, str]] = []
    engine = web.app.state.engine

    def record(conn, cursor, statement, parameters, *args):
        statements.append((statement, repr(parameters)))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert web.get("/province/P1" if kind == "province" else "/commune/C1").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    touching = [(s, p) for s, p in statements if "FROM records" in s]
    assert touching, statements  # the targets
    assert all("targets" in p for _, p in touching), touching
    assert any("FROM tallies" in s for s, _ in statements)
    assert TODAY.year >= tallies.FLOOR_YEAR
