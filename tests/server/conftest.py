"""Fixtures of the server tests: every protocol test runs on SQLite and on PostgreSQL 15.

``db_url`` is a fresh database holding the standard world of :mod:`tests.server.world`
(copied from a template made once per session, so a test costs milliseconds); ``http`` is an
in-process client of the app on it; ``live_server`` the real server as a subprocess.
"""

from __future__ import annotations

import itertools
import shutil
import warnings

import httpx
import pytest

from server.api import create_app
from server.settings import Settings
from tests.server.world import CHEAP, Device, prepare_world
from tests.support.postgres import start_or_skip
from tests.support.server_process import ServerProcess

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = start_or_skip()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(postgres_cluster):
    postgres_cluster.create_template("gocua_template", prepare_world)
    return "gocua_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "world.sqlite"
    prepare_world(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh database with the standard world, on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "db.sqlite"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    template = request.getfixturevalue("pg_template")
    name = f"t_{next(_counter)}"
    url = cluster.create_database(name, template=template)
    yield url
    cluster.drop_database(name)


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(database_url=db_url, **CHEAP)


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def http(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def device(http):
    """A factory: ``device("vol_a")`` logs in and says hello."""
    return lambda username, **kw: Device(http, username, **kw)


@pytest.fixture
def live_server(db_url):
    with ServerProcess(db_url) as server:
        yield server


@pytest.fixture
def served(live_server):
    """An httpx client of the real server (``live_server``), for the simulated devices."""
    with httpx.Client(base_url=live_server.base_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's chromium and chromium-driver): skipped when they are
    missing, a failure under CI=true (tests/support/browser.py)."""
    from tests.support.browser import start_or_skip

    started = start_or_skip()
    yield started
    started.quit()


# -- the web view: the standard world, its communes filled, and a few days of history -----------


def prepare_web_world(url: str, more_communes: int = 2) -> None:
    import datetime as dt

    from server.db import create_engine
    from server.snapshots import today
    from tests.support import province

    prepare_world(url)
    engine = create_engine(url)
    try:
        communes = [
            province.commune(0, "P1", 24, commune_id="C1", hamlet_ids=["C1-A", "C1-B", "C1-C"]),
            province.commune(1, "P1", 16, commune_id="C2", hamlet_ids=["C2-A"]),
            *(province.commune(2 + i, "P1", 16) for i in range(more_communes)),
        ]
        province.load(engine, communes)
        day = today()
        province.history(engine, communes, [day - dt.timedelta(days=n) for n in (45, 30, 15)])
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def web_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("web-template") / "web.sqlite"
    prepare_web_world(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def web_pg_template(postgres_cluster):
    postgres_cluster.create_template("gocua_web_template", prepare_web_world)
    return "gocua_web_template"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def web_url(request, tmp_path):
    """A fresh copy of the web world (a province of four communes with data and history)."""
    if request.param == "sqlite":
        path = tmp_path / "web.sqlite"
        shutil.copy(request.getfixturevalue("web_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    template = request.getfixturevalue("web_pg_template")
    name = f"w_{next(_counter)}"
    yield cluster.create_database(name, template=template)
    cluster.drop_database(name)


@pytest.fixture
def web(web_url):
    """An in-process client of the app on the web world."""
    application = create_app(Settings(database_url=web_url, **CHEAP))
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    application.state.engine.dispose()
