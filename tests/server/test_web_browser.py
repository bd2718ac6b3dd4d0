"""The web view in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium) against the real server: a province viewer signs in, reads the ranking on a phone
and a laptop (the screenshots in docs/screenshots come from here), opens a commune, downloads
the XLSX and reads it back, prints, is refused a household's URL and the follow-up data, and
signs out; forms posted without their CSRF token are refused; behind the TLS proxy the
session cookie is Secure. Skipped without the packages, except under CI=true."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import httpx
import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from server import snapshots
from tests.server.conftest import prepare_web_world
from tests.server.world import PASSWORD
from tests.support.server_process import ServerProcess

SHOTS = Path(os.environ.get("GOCUA_SCREENSHOTS", "/tmp/gocua-web"))
TODAY = snapshots.today()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real server on a province of twelve communes with a few days of history."""
    path = tmp_path_factory.mktemp("web-browser") / "web.sqlite"
    prepare_web_world(f"sqlite:///{path}", more_communes=10)
    with ServerProcess(f"sqlite:///{path}") as server:
        yield server


@pytest.fixture
def chromium(browser, site):
    driver = browser.driver
    driver.delete_all_cookies()
    browser.size(1366, 768)
    for old in browser.downloads.iterdir():
        old.unlink()
    yield browser
    driver.get(site.base_url + "/favicon.ico")  # leave no page open that posts on its own
    driver.delete_all_cookies()


def _submit(driver, element) -> None:
    """Click and wait for the next page (a click does not wait for the navigation)."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 20).until(staleness_of(old))


def _sign_in(driver, base: str, username: str) -> None:
    driver.get(base + "/")
    assert driver.current_url.startswith(base + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    _submit(driver, driver.find_element(By.ID, "login"))


def _csp_violations(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def _wait_for_file(folder: Path, suffix: str, seconds: float = 20) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} in {folder}: {list(folder.iterdir())}")


def test_a_province_viewer_reads_the_ranking_opens_a_commune_downloads_and_signs_out(
    chromium, site
):
    driver, base = chromium.driver, site.base_url
    _sign_in(driver, base, "viewer")
    assert driver.current_url == base + "/province/P1"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Tỉnh Một"
    rows = driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    assert len(rows) == 12

    # The form: one indicator, compared with a month ago.
    since = (TODAY - dt.timedelta(days=30)).isoformat()
    Select(driver.find_element(By.ID, "indicator")).select_by_value("ehealth")
    field = driver.find_element(By.ID, "since")
    driver.execute_script("arguments[0].value = arguments[1]", field, since)
    _submit(driver, driver.find_element(By.ID, "show"))
    assert driver.current_url == f"{base}/province/P1?indicator=ehealth&since={since}"
    heading = driver.find_element(By.CSS_SELECTOR, "#ranking").find_element(By.XPATH, "..")
    assert "Người dân có sổ sức khỏe điện tử" in heading.text
    ranks = [
        r.find_element(By.CSS_SELECTOR, "td.rank").text
        for r in driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    ]
    assert ranks[0] == "1"
    changes = driver.find_elements(By.CSS_SELECTOR, "#ranking td.change span")
    assert any(c.get_attribute("class") in ("up", "down") for c in changes)

    # A phone and a laptop; the pictures go to the README.
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1366, 768)):
        chromium.size(width, height)
        driver.get(driver.current_url)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{overflow} px wider than a {width} px screen"
        driver.save_screenshot(str(SHOTS / f"web_ranking_{width}x{height}.png"))
    chromium.size(1366, 768)

    # Printing leaves the controls out.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not driver.find_element(By.CSS_SELECTOR, "form.controls").is_displayed()
    assert driver.find_element(By.ID, "ranking").is_displayed()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # The XLSX, downloaded as a browser does, read back.
    shown = {
        r.find_element(By.CSS_SELECTOR, "td.name").text: r.find_element(
            By.CSS_SELECTOR, "td.rank"
        ).text
        for r in driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    }
    driver.find_element(By.ID, "download-xlsx").click()
    saved = _wait_for_file(chromium.downloads, ".xlsx")
    assert saved.name == f"xep-hang-xa-P1-{TODAY.isoformat()}.xlsx"
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    values = list(sheet.values)
    header = next(i for i, row in enumerate(values) if row[0] == "Hạng")
    assert values[header][:4] == ("Hạng", "Thay đổi", "Xã", "Tỷ lệ")
    read_back = {row[2]: str(row[0]) for row in values[header + 1 :]}
    assert read_back == shown

    # A commune's page: its hamlets, its progress over time.
    _submit(driver, driver.find_element(By.LINK_TEXT, "Xã Một"))
    assert driver.current_url.startswith(base + "/commune/C1?")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Xã Một"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")) == 3
    assert driver.find_elements(By.CSS_SELECTOR, "#progress polyline")
    assert "Hạng" in driver.find_element(By.ID, "rank-in-province").text
    driver.save_screenshot(str(SHOTS / "web_commune_1366x768.png"))
    assert not driver.find_elements(By.ID, "follow-up-link")  # for the commune's leaders only

    # Aggregates only: a household's URL and the follow-up data are refused.
    for path in ("/household/6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10", "/commune/C1/follow-up"):
        driver.get(base + path)
        assert driver.find_element(By.TAG_NAME, "h1").text == "Có lỗi 403"
    assert _csp_violations(driver) == []

    # Signing out ends the session.
    driver.get(base + "/province/P1")
    _submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
    assert driver.current_url == base + "/login"
    driver.get(base + "/province/P1")
    assert driver.current_url.startswith(base + "/login?next=")


def test_forms_posted_without_their_csrf_token_are_refused(chromium, site):
    driver, base = chromium.driver, site.base_url
    driver.get(base + "/login")
    driver.execute_script("document.querySelector('input[name=csrf]').remove()")
    driver.find_element(By.ID, "username").send_keys("leader")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    _submit(driver, driver.find_element(By.ID, "login"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Có lỗi 403"
    assert "Biểu mẫu đã hết hạn" in driver.page_source
    assert not [c for c in driver.get_cookies() if c["name"] == "gocua_session"]

    _sign_in(driver, base, "leader")
    assert driver.current_url == base + "/commune/C1"
    driver.execute_script("document.querySelector('form[action=\"/logout\"] input').remove()")
    _submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Có lỗi 403"
    driver.get(base + "/commune/C1")  # still signed in: the forged sign-out did nothing
    assert driver.find_element(By.TAG_NAME, "h1").text == "Xã Một"
    # The leader's extra: counts per hamlet, never names.
    _submit(driver, driver.find_element(By.ID, "follow-up-link"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#follow-up tbody tr")) == 3


def test_behind_the_tls_proxy_the_cookies_are_secure(site):
    """uvicorn runs with proxy_headers: X-Forwarded-Proto from the proxy (127.0.0.1) makes
    the request https, and the cookies Secure; HSTS is sent."""
    with httpx.Client(base_url=site.base_url) as http:
        plain = http.get("/login")
        assert "Secure" not in plain.headers["set-cookie"]
        proxied = http.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in proxied.headers["set-cookie"]
        assert proxied.headers["strict-transport-security"].startswith("max-age=")
        token = proxied.cookies.get("gocua_login") or plain.cookies.get("gocua_login")
        csrf = proxied.text.split('name="csrf" value="')[1].split('"')[0]
        http.cookies.set("gocua_login", csrf)
        signed = http.post(
            "/login",
            data={"username": "viewer", "password": PASSWORD, "csrf": csrf, "next": "/"},
            headers={"X-Forwarded-Proto": "https"},
        )
        assert signed.status_code == 303, signed.text
        session = next(c for c in signed.headers.get_list("set-cookie") if "gocua_session=" in c)
        assert "Secure" in session and "HttpOnly" in session and "SameSite=strict" in session
        assert token
