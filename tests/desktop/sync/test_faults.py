"""Faults between device and server (Must show 2): after each, the next sync converges with
nothing lost and nothing applied twice. A proxy on loopback injects them (fault_proxy.py)."""

from __future__ import annotations

import json

import pytest

from desktop.services.usecases import ItemChange
from desktop.sync import errors
from desktop.sync.engine import CURSOR, FROM_EMPTY, FULL_PULL
from tests.desktop.sync.conftest import assert_converged, server_rows
from tests.desktop.sync.fault_proxy import FaultProxy

TIMEOUT = 1.0  # the device's HTTP timeout in these tests: a stall costs this long


@pytest.fixture
def proxy(any_server):
    with FaultProxy.to(any_server.base_url) as running:
        yield running


def _offline_work(dev) -> int:
    """A household with two members and a visit that sets their items: 6 mutations."""
    household = dev.services.register_household(
        "C1-A",
        "Số 7, hẻm 3",
        members=[
            {"full_name": "Lê Văn Ba", "relation": "head"},
            {"full_name": "Lê Thị Tư", "relation": "spouse"},
        ],
    )
    persons = [p for p, r in dev.rows()["persons"].items() if r["household_id"] == household]
    dev.services.log_visit(
        household,
        "met",
        items=[
            ItemChange("person", persons[0], "vneid_l2", "done"),
            ItemChange("person", persons[1], "bank_account", "guided"),
        ],
    )
    return dev.outbox_states()["pending"]


PUSH_FAULTS = {
    "drop_request": (errors.NetworkError, False),  # (error, did the server commit?)
    "drop_answer": (errors.NetworkError, True),
    "cut_answer": (errors.NetworkError, True),
    "stall": (errors.NetworkError, False),
    "503": (errors.ServerUnavailable, False),
}


@pytest.mark.parametrize("mode", list(PUSH_FAULTS))
def test_push_fault_then_the_next_sync_converges(any_server, proxy, device, mode):
    dev = device(any_server, "vol_a")
    sent = _offline_work(dev)
    assert sent == 6
    before = dev.server_summary()["version"]

    proxy.arm(mode, "/sync/push")
    error, committed = PUSH_FAULTS[mode]
    with pytest.raises(error):
        dev.engine_sync(proxy.url, timeout=TIMEOUT)
    assert proxy.faulted() == [("/api/v1/sync/push", mode)]
    # The device could not learn the outcome: everything is still queued, nothing lost.
    assert dev.outbox_states() == {"pending": sent}
    after_fault = dev.server_summary()["version"]
    assert after_fault == (before + sent if committed else before)

    report = dev.engine_sync(proxy.url, timeout=TIMEOUT)
    assert report.pushed == sent and report.rejected == 0
    statuses = {m["result_status"] for m in dev.outbox()}
    assert statuses == ({"duplicate"} if committed else {"applied"})
    # Nothing applied twice: the resend wrote no new version.
    assert dev.server_summary()["version"] == before + sent
    assert_converged(dev)


@pytest.mark.parametrize("mode", ["drop_answer", "503"])
def test_a_fault_on_a_later_push_batch_keeps_the_answered_ones(any_server, proxy, device, mode):
    """Batches are pipelined (the next goes out before this one's results are saved): when
    the second of three fails, the first batch's results are still saved, and the next sync
    sends the rest once."""
    dev = device(any_server, "vol_a")
    sent = _offline_work(dev)
    before = dev.server_summary()["version"]
    proxy.arm(mode, "/sync/push", skip=1)
    error, committed = PUSH_FAULTS[mode]
    with pytest.raises(error):
        dev.engine_sync(proxy.url, timeout=TIMEOUT, push_batch=2)
    assert [m["state"] for m in dev.outbox()] == ["acked"] * 2 + ["pending"] * (sent - 2)
    assert dev.server_summary()["version"] == before + (4 if committed else 2)

    report = dev.engine_sync(proxy.url, timeout=TIMEOUT, push_batch=2)
    assert report.pushed == sent - 2 and report.rejected == 0
    second = "duplicate" if committed else "applied"  # the failed batch, sent again
    statuses = [m["result_status"] for m in dev.outbox()]
    assert statuses == ["applied", "applied", second, second, "applied", "applied"]
    assert dev.server_summary()["version"] == before + sent
    assert [path for path, _ in proxy.log].count("/api/v1/sync/push") == 2 + 2
    assert_converged(dev)


def test_a_push_cancelled_between_batches_keeps_what_was_answered(server, device):
    dev = device(server, "vol_a")
    sent = _offline_work(dev)
    answered: list[int] = []

    def progress(phase, done, total):
        if phase == "push":
            answered.append(done)

    with pytest.raises(errors.Cancelled):
        dev.engine_sync(push_batch=2, progress=progress, cancelled=lambda: len(answered) >= 1)
    # The second batch was already on its way when the first was answered and saved; no
    # third was sent, and every answered batch is saved.
    assert answered == [2, 4]
    assert dev.outbox_states() == {"acked": 4, "pending": sent - 4}
    report = dev.engine_sync(push_batch=2)
    assert report.pushed == sent - 4
    assert_converged(dev)


@pytest.mark.parametrize("mode", ["drop_request", "drop_answer", "cut_answer", "stall", "503"])
def test_pull_fault_midway_resumes_from_the_saved_cursor(any_server, proxy, device, mode):
    leader = device(any_server, "leader")
    leader.services.import_households(
        [
            {
                "hamlet_id": "C1-A",
                "address": f"Số {n}, đường đan",
                "members": [{"full_name": f"Người {n} A"}, {"full_name": f"Người {n} B"}],
            }
            for n in range(40)
        ]
    )
    leader.sync()
    expected = server_rows(any_server.base_url, "vol_a")
    total = sum(len(rows) for rows in expected.values())
    assert total == 120

    dev = device(any_server, "vol_a", sync=False)
    proxy.arm(mode, "/sync/pull", skip=1)  # the second page
    with pytest.raises((errors.NetworkError, errors.ServerUnavailable)):
        dev.engine_sync(proxy.url, timeout=TIMEOUT, page_size=25)
    assert dev.state(CURSOR) is not None and dev.state(FULL_PULL) == FROM_EMPTY
    assert sum(len(rows) for rows in dev.rows().values()) == 25  # the first page, saved

    report = dev.engine_sync(proxy.url, timeout=TIMEOUT, page_size=25)
    assert report.full_pull and report.checksum_ok is True
    assert report.pulled == total - 25  # resumed: the first page was not fetched again
    pulls = [json.loads(body) for path, _, body in proxy.bodies if path.endswith("/sync/pull")]
    assert pulls[0]["cursor"] is None and pulls[2]["cursor"] == pulls[1]["cursor"] is not None
    assert_converged(dev, expected)


def test_a_summary_lost_after_a_first_pull_fails_the_sync_and_keeps_every_page(
    fifty_households, server, device
):
    """The summary is asked for while the last page is saved: losing its answer fails the sync
    (the device cannot say the checksums agree), but no pulled page is lost with it."""
    expected = server_rows(server.base_url, "vol_a")
    assert sum(len(rows) for rows in expected.values()) == 100  # pages of 30: four
    dev = device(server, "vol_a", sync=False)
    with FaultProxy.to(server.base_url) as proxy:
        proxy.arm("drop_answer", "/sync/summary")
        with pytest.raises(errors.NetworkError):
            dev.engine_sync(proxy.url, timeout=TIMEOUT, page_size=30)
        assert proxy.faulted() == [("/api/v1/sync/summary", "drop_answer")]
    assert dev.state(FULL_PULL) is None and dev.state(CURSOR) is not None
    assert dev.rows() == expected
    report = dev.engine_sync()
    assert report.pulled == 0 and not report.full_pull
    assert_converged(dev, expected)


def test_session_retries_a_503_after_retry_after(any_server, device):
    with FaultProxy.to(any_server.base_url, retry_after=2) as proxy:
        dev = device(proxy.url, "vol_a")
        _offline_work(dev)
        proxy.arm("503", "/sync/push", times=2)
        waits: list[float] = []
        report = dev.sync(sleep=waits.append, attempts=3)
        assert report.pushed == 6
        assert len(waits) == 2 and all(w >= 2 for w in waits)
        assert_converged(dev)


def test_a_cancelled_first_pull_resumes_where_it_stopped(fifty_households, server, device):
    dev = device(server, "vol_a", sync=False)
    pages: list[int] = []

    def progress(phase, done, total):
        pages.append(done)

    with pytest.raises(errors.Cancelled):
        dev.engine_sync(page_size=20, progress=progress, cancelled=lambda: len(pages) >= 2)
    assert sum(len(rows) for rows in dev.rows().values()) == 40
    report = dev.engine_sync(page_size=20)
    assert report.pulled == 60 and report.checksum_ok is True
    assert_converged(dev)
