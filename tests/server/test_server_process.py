"""The test server's start: a port taken between free_port() and uvicorn's bind (another suite
on the same machine) is retried on a new port, not reported as a broken test."""

from __future__ import annotations

import socket

import pytest

import tests.support.server_process as server_process


def test_a_port_taken_before_the_server_binds_it_is_retried(tmp_path, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        ports = iter([taken_port])
        real = server_process.free_port
        monkeypatch.setattr(server_process, "free_port", lambda: next(ports, None) or real())
        server = server_process.ServerProcess(f"sqlite:///{tmp_path}/server.sqlite")
        assert server.port == taken_port
        with server:
            assert server.port != taken_port
            assert server.base_url.endswith(f":{server.port}")


def test_a_server_that_cannot_start_still_says_why(tmp_path):
    server = server_process.ServerProcess("postgresql+psycopg://nobody@127.0.0.1:1/none")
    server.startup_timeout = 20
    with pytest.raises(RuntimeError, match="server exited"):
        server.start()
