"""Hybrid logical clock of SYNC.md: ``f"{millis:013d}-{counter:04x}-{node}"``."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gocua import hlc
from gocua.hlc import MAX_COUNTER, MAX_SKEW_MS, SERVER_NODE, Clock, Stamp

NODE = "6f1c2d1e8f7a"
T0 = 1_764_000_000_000  # 2025-11-24, a 13-digit millisecond count

millis_st = st.integers(0, 10**13 - 1)
counter_st = st.integers(0, MAX_COUNTER)
node_st = st.text("0123456789abcdef", min_size=12, max_size=12)
stamps_st = st.builds(Stamp, millis_st, counter_st, node_st)


class FakeWall:
    """A wall clock the test drives: returns the queued values, then repeats the last one."""

    def __init__(self, *values: int):
        self.values = list(values)
        self.current = values[0] if values else T0

    def __call__(self) -> int:
        if self.values:
            self.current = self.values.pop(0)
        return self.current


def key(text: str) -> tuple[int, int]:
    stamp = hlc.parse(text)
    return stamp.millis, stamp.counter


# -- format -------------------------------------------------------------------------------------


def test_stamp_format_is_the_sync_md_string():
    assert str(Stamp(T0, 0x2A, NODE)) == f"{T0:013d}-002a-{NODE}"
    assert str(Stamp(5, 0, SERVER_NODE)) == "0000000000005-0000-000000000000"


@settings(deadline=None, max_examples=150)
@given(stamps_st)
def test_parse_str_round_trip(stamp):
    text = str(stamp)
    assert len(text) == 13 + 1 + 4 + 1 + 12
    assert hlc.is_valid(text)
    assert hlc.parse(text) == stamp
    assert str(hlc.parse(text)) == text


@settings(deadline=None, max_examples=200)
@given(stamps_st, stamps_st)
def test_string_order_is_time_order(a, b):
    # Same node: string order must be exactly (millis, counter) order.
    b_same = Stamp(b.millis, b.counter, a.node)
    assert (str(a) < str(b_same)) == ((a.millis, a.counter) < (b_same.millis, b_same.counter))
    # Different nodes: the node only breaks ties of (millis, counter).
    if (a.millis, a.counter) != (b.millis, b.counter):
        assert (str(a) < str(b)) == ((a.millis, a.counter) < (b.millis, b.counter))
    assert (str(a) < str(b)) == (a < b)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1764000000000-0000",
        "176400000000-0000-6f1c2d1e8f7a",  # 12-digit millis
        "1764000000000-00000-6f1c2d1e8f7a",
        "1764000000000-000A-6f1c2d1e8f7a",  # upper-case hex breaks string order
        "1764000000000-0000-6F1C2D1E8F7A",
        "1764000000000-0000-6f1c2d1e8f7",
        "1764000000000-0000-6f1c2d1e8f7a-",
        "1764000000000_0000_6f1c2d1e8f7a",
        None,
        17640000000000000,
    ],
)
def test_parse_rejects_malformed(text):
    assert not hlc.is_valid(text)
    with pytest.raises(ValueError):
        hlc.parse(text)


def test_node_for_client():
    assert hlc.node_for_client("6F1C2D1E-8F7A-4A51-9A43-3D1F0C7B9E10") == NODE
    assert hlc.node_for_client("6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10") == NODE
    assert hlc.node_for_client(None) == SERVER_NODE
    assert hlc.node_for_client("") == SERVER_NODE
    with pytest.raises(ValueError):
        hlc.node_for_client("not-a-client-id-at-all")
    with pytest.raises(ValueError):
        hlc.node_for_client("6f1c")


# -- local events -------------------------------------------------------------------------------


def test_now_uses_wall_clock_when_it_advanced():
    clock = Clock(NODE, wall=FakeWall(T0, T0 + 7))
    assert clock.now() == str(Stamp(T0, 0, NODE))
    assert clock.now() == str(Stamp(T0 + 7, 0, NODE))
    assert clock.last == str(Stamp(T0 + 7, 0, NODE))


def test_now_bumps_counter_when_wall_stalls_or_goes_back():
    clock = Clock(NODE, wall=FakeWall(T0, T0, T0 - 1000, T0 + 1))
    assert [key(clock.now()) for _ in range(4)] == [(T0, 0), (T0, 1), (T0, 2), (T0 + 1, 0)]


@settings(deadline=None, max_examples=100)
@given(st.lists(st.integers(-5000, 5000), min_size=1, max_size=60))
def test_stamps_from_one_clock_strictly_increase(steps):
    # The wall clock jumps around (NTP corrections, stalls): stamps must still increase.
    walls = [T0]
    for step in steps:
        walls.append(max(0, walls[-1] + step))
    clock = Clock(NODE, wall=FakeWall(*walls))
    stamps = [clock.now() for _ in walls]
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    assert all(hlc.parse(s).node == NODE for s in stamps)
    # Never behind the wall clock it saw.
    assert all(key(s)[0] >= w for s, w in zip(stamps, walls, strict=True))


def test_counter_overflow_moves_to_next_millisecond():
    clock = Clock(NODE, last=str(Stamp(T0, MAX_COUNTER - 1, NODE)), wall=FakeWall(T0 - 5))
    assert key(clock.now()) == (T0, 0xFFFF)
    assert key(clock.now()) == (T0 + 1, 0)
    assert key(clock.now()) == (T0 + 1, 1)


def test_restored_clock_never_runs_back():
    first = Clock(NODE, wall=FakeWall(T0 + 100))
    saved = first.now()
    # The laptop restarts with its wall clock an hour behind.
    second = Clock(NODE, last=saved, wall=FakeWall(T0 + 100 - 3_600_000))
    assert second.now() > saved


def test_new_clock_without_last_is_zero():
    clock = Clock(NODE, wall=FakeWall(T0))
    assert clock.last == f"{0:013d}-0000-{NODE}"


def test_clock_is_thread_safe():
    clock = Clock(NODE, wall=lambda: T0)  # a stalled wall: every stamp comes from the counter
    out: list[str] = []
    lock = threading.Lock()

    def work():
        mine = [clock.now() for _ in range(2000)]
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == len(out) == 8000


# -- receiving ----------------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(
    wall=st.integers(T0 - 10_000, T0 + 10_000),
    local=st.builds(Stamp, st.integers(T0 - 10_000, T0 + 10_000), counter_st, st.just(NODE)),
    remote=st.builds(
        Stamp, st.integers(T0 - 10_000, T0 + 10_000), counter_st, st.just(SERVER_NODE)
    ),
)
def test_observe_is_later_than_local_and_received(wall, local, remote):
    clock = Clock(NODE, last=str(local), wall=lambda: wall)
    before = clock.last
    result = clock.observe(str(remote))
    assert key(result) > key(before)
    assert key(result) > (remote.millis, remote.counter)
    assert key(result)[0] >= wall
    assert hlc.parse(result).node == NODE
    assert clock.last == result
    # The next local event is later still.
    assert clock.now() > result


def test_observe_takes_the_max_of_the_three():
    # Wall ahead of both: counter restarts.
    clock = Clock(NODE, last=str(Stamp(T0, 5, NODE)), wall=lambda: T0 + 50)
    assert key(clock.observe(str(Stamp(T0 + 10, 9, SERVER_NODE)))) == (T0 + 50, 0)
    # Remote ahead: its counter + 1.
    clock = Clock(NODE, last=str(Stamp(T0, 5, NODE)), wall=lambda: T0)
    assert key(clock.observe(str(Stamp(T0 + 10, 9, SERVER_NODE)))) == (T0 + 10, 10)
    # Local ahead: local counter + 1.
    clock = Clock(NODE, last=str(Stamp(T0 + 20, 5, NODE)), wall=lambda: T0)
    assert key(clock.observe(str(Stamp(T0 + 10, 9, SERVER_NODE)))) == (T0 + 20, 6)
    # Same millisecond: the larger counter + 1.
    clock = Clock(NODE, last=str(Stamp(T0, 5, NODE)), wall=lambda: T0 - 3)
    assert key(clock.observe(str(Stamp(T0, 9, SERVER_NODE)))) == (T0, 10)
    assert key(clock.observe(str(Stamp(T0, 2, SERVER_NODE)))) == (T0, 11)


def test_observe_counter_overflow_moves_to_next_millisecond():
    clock = Clock(NODE, last=str(Stamp(T0, 3, NODE)), wall=lambda: T0)
    assert key(clock.observe(str(Stamp(T0, MAX_COUNTER, SERVER_NODE)))) == (T0 + 1, 0)


def test_observe_rejects_garbage_and_keeps_state():
    clock = Clock(NODE, last=str(Stamp(T0, 3, NODE)), wall=lambda: T0)
    before = clock.last
    with pytest.raises(ValueError):
        clock.observe("yesterday")
    assert clock.last == before


def test_a_stamp_past_the_skew_limit_is_too_far_ahead():
    """The server's rule: a stamp whose wall time is past ``skew_limit()`` is too far ahead."""
    clock = Clock(SERVER_NODE, wall=lambda: T0)

    def too_far_ahead(stamp: Stamp) -> bool:
        return hlc.millis_of(str(stamp)) > clock.skew_limit()

    assert not too_far_ahead(Stamp(T0 + MAX_SKEW_MS, 0xFFFF, NODE))
    assert too_far_ahead(Stamp(T0 + MAX_SKEW_MS + 1, 0, NODE))
    assert not too_far_ahead(Stamp(T0 - 10**9, 0, NODE))
    assert MAX_SKEW_MS == 5 * 60 * 1000


@given(st.integers(0, 10**13 - 1), st.integers(0, MAX_COUNTER))
def test_millis_of_is_the_wall_time_parse_reads(millis, counter):
    text = str(Stamp(millis, counter, NODE))
    assert hlc.millis_of(text) == hlc.parse(text).millis
