"""What a failed TLS handshake tells the user, against real sockets on 127.0.0.1: a server that
speaks plain HTTP at an https:// address (typed without a scheme), and a server whose
certificate does not check out (self-signed). Neither is retried in plain HTTP."""

from __future__ import annotations

import datetime as dt
import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop.sync import errors
from desktop.sync.client import SyncClient
from desktop.sync.session import normalize_server_url


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"token": "t"}')  # a login answered

    def log_message(self, *args) -> None:
        pass


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gocua.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _serve(tls: ssl.SSLContext | None) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def plain_http_server() -> Iterator[str]:
    yield from _serve(None)


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    yield from _serve(context)


def _login(url: str) -> None:
    client = SyncClient(url)
    try:
        client.login("tnv.an", "mat-khau", "test")
    finally:
        client.close()


def test_a_plain_http_server_at_an_address_typed_without_scheme(plain_http_server):
    url = normalize_server_url(plain_http_server)
    assert url.startswith("https://")
    with pytest.raises(errors.NotHttps) as raised:
        _login(url)
    assert "http://" in raised.value.message_vi
    _login("http://" + plain_http_server)  # typed with http://: it answers


def test_a_certificate_that_does_not_check_out(self_signed_server):
    with pytest.raises(errors.BadCertificate) as raised:
        _login(normalize_server_url(self_signed_server))
    assert "Chứng chỉ" in raised.value.message_vi


def test_other_network_failures_stay_network_errors():
    assert type(errors.tls_error(OSError("EOF occurred in violation of protocol"))) is (
        errors.NetworkError
    )
