"""The sync on slow links (issue 19), through the link simulator (tests/support/link.py).

Short latencies and small data where the property does not depend on them: what is checked is
requests, bytes and order, not seconds (bench/bench_links.py measures those on 3G and 2G).
"""

from __future__ import annotations

import gzip
import json
import threading
import time

import pytest
import sqlalchemy as sa

from desktop.sync import engine as engine_module
from desktop.sync import errors
from desktop.sync.client import SyncClient
from desktop.sync.engine import PageSizer, SyncEngine
from tests.desktop.sync.conftest import assert_converged
from tests.desktop.sync.fault_proxy import FaultProxy
from tests.support.link import PROFILES, Link, Profile

# A quick line for tests: 3G's shape, ten times faster.
QUICK = Profile("quick", rtt=0.02, down_bps=2_000_000, up_bps=1_000_000)


def _pulls(link: Link) -> list:
    return [r for r in link.requests if r.path.endswith("/sync/pull")]


def _cursor(request) -> str | None:
    return json.loads(request.body)["cursor"]


def test_the_simulator_delays_and_counts_like_the_profile(server):
    slow = PROFILES["3G"].scaled(rtt=0.1, loss=0.0)
    with Link.to(server.base_url, slow) as link:
        client = SyncClient(link.url)
        try:
            started = time.monotonic()
            assert client._request("GET", "/healthz", auth=False)["status"] == "ok"
            first = time.monotonic() - started
            started = time.monotonic()
            client._request("GET", "/healthz", auth=False)
            second = time.monotonic() - started
        finally:
            client.close()
        # A new connection pays its handshake: two round trips, then one on the same connection.
        assert 0.2 <= first < 0.35 and 0.1 <= second < 0.2, (first, second)
        assert link.connections == 1 and len(link.requests) == 2
        assert link.round_trips() == 3
        assert link.requests[0].status == 200 and link.requests[1].complete
        assert link.bytes_down == sum(r.down_bytes for r in link.requests)


def test_a_no_op_sync_is_one_request_of_a_few_hundred_bytes(server, device):
    dev = device(server, "vol_a")  # signed in and synced once
    with Link.to(server.base_url, QUICK) as link:
        report = dev.engine_sync(link.url)
        assert report.pushed == report.pulled == 0
        assert [r.path for r in link.requests] == ["/api/v1/sync/pull"]
        assert link.bytes_up + link.bytes_down < 1024, (link.bytes_up, link.bytes_down)


def test_a_days_work_is_a_push_and_a_pull(server, device):
    """100 rows pushed, 100 rows others changed pulled: two requests after the connection."""
    dev = device(server, "vol_a")
    other = device(server, "vol_a2")
    other.services.import_households(
        [{"hamlet_id": "C1-A", "address": f"Số {n}", "members": []} for n in range(100)]
    )
    other.sync()
    dev.services.import_households(
        [{"hamlet_id": "C1-A", "address": f"Nhà {n}", "members": []} for n in range(100)]
    )
    with Link.to(server.base_url, QUICK) as link:
        report = dev.engine_sync(link.url)
    assert (report.pushed, report.pulled) == (100, 200)  # its own come back with versions
    assert [r.path.rsplit("/", 1)[1] for r in link.requests] == ["push", "pull"]
    assert link.round_trips() == 3  # the connection's handshake, push, pull


def test_hello_again_only_when_the_server_says_its_answer_changed(server, device):
    leader = device(server, "leader")
    with Link.to(server.base_url, QUICK) as link:
        leader.engine_sync(link.url)
        assert [r.path.rsplit("/", 1)[1] for r in link.requests] == ["pull"]
        created = leader.client().create_hamlet("Ấp Mới Lập")
        link.reset_counters()
        leader.engine_sync(link.url)
        assert [r.path.rsplit("/", 1)[1] for r in link.requests] == ["pull", "hello"]
    with leader.store.read() as conn:
        names = dict(conn.exec_driver_sql("SELECT id, name FROM areas").all())
    assert names[created["id"]] == "Ấp Mới Lập"


def _old_server(proxy: FaultProxy) -> None:
    """What a server before the extensions answers: hello without them, 422 for their keys."""

    def rewrite(path: str, answer: bytes) -> bytes:
        if not path.endswith("/sync/hello"):
            return answer
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        if any(line.lower() == b"content-encoding: gzip" for line in lines):
            body = gzip.decompress(body)
        payload = json.loads(body)
        payload.pop("extensions", None)
        payload.pop("directory", None)
        body = json.dumps(payload).encode()
        kept = [
            line
            for line in lines
            if not line.lower().startswith((b"content-encoding", b"content-length"))
        ]
        return b"\r\n".join([*kept, f"Content-Length: {len(body)}".encode()]) + b"\r\n\r\n" + body

    def intercept(path: str, body: bytes) -> bytes | None:
        if path.endswith("/sync/pull") and set(json.loads(body)) - {"client_id", "cursor", "limit"}:
            refusal = json.dumps({"error": "invalid_request", "message": "extra", "details": []})
            return (
                b"HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(refusal)}\r\nConnection: close\r\n\r\n".encode()
                + refusal.encode()
            )
        return None

    proxy.rewrite, proxy.intercept = rewrite, intercept


def test_an_older_server_gets_hello_and_plain_pulls(server, device):
    with FaultProxy.to(server.base_url) as proxy:
        _old_server(proxy)
        dev = device(proxy.url, "vol_a")  # its first sync went through the old server
        assert dev.state(engine_module.HELLO_EXTENSIONS) is None
        proxy.log.clear()
        dev.sync()
        assert [p.rsplit("/", 1)[1] for p, _ in proxy.log] == ["hello", "pull"]
        bodies = [json.loads(b) for p, _, b in proxy.bodies if p.endswith("/sync/pull")]
        assert set(bodies[-1]) == {"client_id", "cursor", "limit"}


def test_a_server_downgraded_under_a_device_is_asked_hello_again(server, device, fifty_households):
    dev = device(server, "vol_a")  # learned the extensions from the new server
    assert "checked_pull" in dev.state(engine_module.HELLO_EXTENSIONS)
    fifty_households.services.update_household(
        next(iter(fifty_households.rows()["households"])), note="sửa"
    )
    fifty_households.sync()
    with FaultProxy.to(server.base_url) as proxy:
        _old_server(proxy)
        report = dev.engine_sync(proxy.url)
        assert [p.rsplit("/", 1)[1] for p, _ in proxy.log] == ["pull", "hello", "pull"]
        assert report.pulled == 1 and "server refused the extensions" in report.notes
        assert dev.state(engine_module.HELLO_EXTENSIONS) is None
    assert_converged(dev)


def test_a_first_pull_cut_three_times_never_downloads_a_page_twice(
    server, device, fifty_households
):
    """vol_a's first pull is 100 rows in pages of 10. The link is cut three times in the middle
    of a page; each sync resumes at the last saved page. The pages delivered whole are the
    same pages an uncut pull gets, each once (request cursors and bytes, at the proxy)."""
    whole = device(server, "vol_a2", sync=False)  # the same hamlet, never cut
    with Link.to(server.base_url, QUICK) as link:
        whole.engine_sync(link.url, page_size=10)
        reference = [(_cursor(r), r.down_bytes) for r in _pulls(link) if r.complete]

    dev = device(server, "vol_a", sync=False)
    with Link.to(server.base_url, QUICK) as link:
        for cut in range(3):
            link.cut_after(down=2500 + 1000 * cut)  # a few pages in, mid-answer
            with pytest.raises(errors.NetworkError):
                dev.engine_sync(link.url, page_size=10)
        report = dev.engine_sync(link.url, page_size=10)
        assert link.cuts == 3
        pulls = _pulls(link)
    assert report.checksum_ok
    done = [(_cursor(r), r.down_bytes) for r in pulls if r.complete]
    cursors = [c for c, _ in done]
    assert len(cursors) == len(set(cursors)), "a page delivered whole was asked for again"
    assert sorted(cursors, key=str) == sorted((c for c, _ in reference), key=str)
    # Same pages, same bytes (give or take a digit of the server's clock in each).
    assert abs(sum(b for _, b in done) - sum(b for _, b in reference)) <= 8 * len(done)
    cut_short = [r for r in pulls if not r.complete]
    assert 1 <= len(cut_short) <= 3
    assert_converged(dev)


def test_a_push_over_a_lossy_link_completes_with_nothing_doubled(server, device):
    """2% of segments retransmitted, and two push answers cut on the way back (the server had
    committed them): the batches are sent again, answered as duplicates, nothing twice."""
    dev = device(server, "vol_a")
    dev.services.import_households(
        [
            {"hamlet_id": "C1-A", "address": f"Số {n}", "members": [{"full_name": f"Bà {n}"}]}
            for n in range(50)
        ]
    )
    lossy = PROFILES["2G"].scaled(rtt=0.04, down_bps=400_000, up_bps=200_000, loss=0.02)
    failures = 0
    with Link.to(server.base_url, lossy, seed=19) as link:
        for cut in range(2):
            link.cut_after(down=60 + 200 * cut)  # in the answer to a push batch
            try:
                dev.engine_sync(link.url, timeout=20, push_batch=20)
            except errors.NetworkError:
                failures += 1
        report = dev.engine_sync(link.url, timeout=20, push_batch=20)
        pushes = [r for r in link.requests if r.path.endswith("/sync/push")]
    assert failures == 2 and report.pushed >= 1
    assert len(pushes) >= 7  # 100 mutations in batches of 20, two of them sent again
    assert dev.outbox_states().get("pending", 0) == 0
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            created = conn.execute(
                sa.text("SELECT row_id, count(*) FROM history WHERE op = 'create' GROUP BY row_id")
            ).all()
    finally:
        engine.dispose()
    assert len(created) == 100 and {count for _, count in created} == {1}
    assert_converged(dev)


def test_pages_are_sized_to_the_link(server, device, fifty_households, monkeypatch):
    """Pages that take about PAGE_SECONDS: bigger on a fast line than on a slow one."""
    monkeypatch.setattr(engine_module, "PAGE_SECONDS", 0.3)
    monkeypatch.setattr(engine_module, "FIRST_PAGE", 10)
    monkeypatch.setattr(engine_module, "MIN_PAGE", 5)
    limits = {}
    for name, profile in (
        ("fast", QUICK.scaled(down_bps=5_000_000)),
        ("slow", QUICK.scaled(down_bps=40_000)),
    ):
        dev = device(server, "vol_a", sync=False)
        with Link.to(server.base_url, profile) as link:
            dev.engine_sync(link.url)
            limits[name] = [json.loads(r.body)["limit"] for r in _pulls(link)]
    assert limits["fast"][0] == limits["slow"][0] == 10
    assert limits["slow"][1] < limits["fast"][1], limits


def test_the_page_sizer_settles_where_a_page_takes_the_target_time():
    sizer = PageSizer(None, None)
    assert sizer.limit() == engine_module.FIRST_PAGE
    for _ in range(8):  # 0.3 s a page plus 1,000 rows a second
        limit = sizer.limit()
        sizer.measured(limit, 0.3 + limit / 1000, limit)
    seconds = 0.3 + sizer.limit() / 1000
    assert abs(seconds - engine_module.PAGE_SECONDS) < 0.2, (sizer.limit(), seconds)
    assert PageSizer(25, 1e9).limit() == 25  # fixed stays fixed


def test_progress_estimates_the_time_left(server, device, fifty_households):
    dev = device(server, "vol_a", sync=False)
    seen = []
    slow = QUICK.scaled(down_bps=100_000)
    with Link.to(server.base_url, slow) as link:
        client = SyncClient(link.url, dev.session.token(), background=True)
        try:
            engine = SyncEngine(dev.store, client, page_size=20, progress=lambda *a: seen.append(a))
            engine.sync()
        finally:
            client.close()
    pulls = [a for a in seen if a[0] == "pull"]
    assert [a[1] for a in pulls] == [20, 40, 60, 80, 100]
    assert all(a[2] == 100 for a in pulls[:-1])  # the total, from the first page's count
    estimates = [a[3] for a in pulls[:-1]]
    assert all(e is not None and e > 0 for e in estimates) and estimates == sorted(estimates)[::-1]


def test_the_users_requests_wait_for_at_most_one_page(server, device, fifty_households):
    """A background first pull in pages on a slow line; meanwhile the user's own requests.
    No page of the sync starts while one of them is under way (except one that had started
    just before): each waits at most for the page already on the line."""
    dev = device(server, "vol_a", sync=False)
    slow = QUICK.scaled(down_bps=60_000, up_bps=60_000)
    with Link.to(server.base_url, slow) as link:
        background = SyncClient(link.url, dev.session.token(), background=True)
        engine = SyncEngine(dev.store, background, page_size=10)
        failure = []

        def run() -> None:
            try:
                engine.sync()
            except Exception as exc:  # reported below
                failure.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        mine = dev.client(link.url)
        try:
            while thread.is_alive() and len(_pulls(link)) < 3:
                time.sleep(0.01)
            for _ in range(4):
                mine.summary()
                time.sleep(0.05)
        finally:
            thread.join(timeout=60)
            mine.close()
            background.close()
        assert not failure, failure
        requests = list(link.requests)
    foreground = [r for r in requests if r.path.endswith("/sync/summary")][:4]
    pages = [r for r in requests if r.path.endswith("/sync/pull")]
    page_seconds = max(r.seconds for r in pages if r.seconds is not None)
    for asked in foreground:
        overlapping = [
            p
            for p in pages
            if p.started < asked.finished and (p.finished is None or p.finished > asked.started)
        ]
        assert len(overlapping) <= 1, (asked, overlapping)
        assert asked.seconds <= 2 * page_seconds + 0.2, (asked.seconds, page_seconds)
