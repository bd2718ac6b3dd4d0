"""The device's HTTP client reads the environment's proxy settings once, and honours them:
a volunteer behind the commune office's proxy must still reach the server."""

from __future__ import annotations

import pytest

from desktop.sync import errors
from desktop.sync.client import SyncClient
from tests.desktop.sync.fault_proxy import FaultProxy
from tests.server.world import PASSWORD

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


@pytest.fixture
def proxy_env(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _behind(server) -> str:
    """The server under a name that does not resolve: only a proxy can reach it."""
    port = server.base_url.rsplit(":", 1)[1]
    return f"http://gocua-server.invalid:{port}"


def test_requests_go_through_the_proxy_of_the_environment(server, proxy_env):
    with FaultProxy.to(server.base_url) as proxy:
        proxy_env.setenv("HTTP_PROXY", proxy.url)
        client = SyncClient(_behind(server))
        try:
            client.login("vol_a", PASSWORD, "laptop")
            assert client.hello(None)["user"]["username"] == "vol_a"
        finally:
            client.close()
        assert [path for path, _ in proxy.log] == [
            f"{_behind(server)}/api/v1/auth/login",
            f"{_behind(server)}/api/v1/sync/hello",
        ]


def test_no_proxy_is_honoured(server, proxy_env):
    with FaultProxy.to(server.base_url) as proxy:
        proxy_env.setenv("HTTP_PROXY", proxy.url)
        proxy_env.setenv("NO_PROXY", "gocua-server.invalid")
        client = SyncClient(_behind(server), timeout=5)
        try:
            with pytest.raises(errors.NetworkError):
                client.login("vol_a", PASSWORD, "laptop")
        finally:
            client.close()
        assert proxy.log == []
