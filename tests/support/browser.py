"""A real headless Chromium for the web view's browser tests, driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` packages (``/usr/bin/chromium``,
``/usr/bin/chromedriver``); never a browser or driver downloaded at run time (Selenium
Manager is not asked: both paths are given). Chromium starts headless with a fresh profile
and without its background networking (this network refuses those connections, and they
slow every start).

In pytest, :func:`start_or_skip` gives a driver or skips with a message naming the packages,
except under ``CI=true``, where their absence fails the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

CHROMIUM = Path(os.environ.get("GOCUA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("GOCUA_CHROMEDRIVER", "/usr/bin/chromedriver"))
PACKAGES = "chromium chromium-driver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class BrowserUnavailable(RuntimeError):
    pass


def missing() -> str | None:
    """Why there is no browser here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} not found: install Debian's packages ({PACKAGES})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (the dev extra)"
    return None


class Browser:
    """One Chromium with its own profile and download folder."""

    def __init__(self, width: int = 1366, height: int = 768):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        reason = missing()
        if reason:
            raise BrowserUnavailable(reason)
        self.profile = Path(tempfile.mkdtemp(prefix="gocua-chromium-"))
        self.downloads = self.profile / "downloads"
        self.downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile / 'profile'}")
        options.add_argument(f"--window-size={width},{height}")
        options.add_argument("--lang=vi-VN")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(self.downloads),
                "download.prompt_for_download": False,
            },
        )
        try:
            self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        except Exception as error:  # a driver that does not start is an environment problem
            shutil.rmtree(self.profile, ignore_errors=True)
            raise BrowserUnavailable(f"Chromium did not start: {error}") from error
        self.driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)}
        )

    def size(self, width: int, height: int) -> None:
        """The page's viewport, as a phone or a laptop shows it (not the window's frame)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def start_or_skip(**kwargs) -> Browser:
    """For fixtures: a browser, or a skip (a failure under ``CI=true``)."""
    import pytest

    try:
        return Browser(**kwargs)
    except BrowserUnavailable as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"the browser tests need Chromium under CI: {error}")
        pytest.skip(f"no browser for the web view's tests: {error}")
