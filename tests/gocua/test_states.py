"""Support-item states and the progress-wins rule of SYNC.md's merge rule."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gocua import states
from gocua.hlc import Stamp
from gocua.states import RANK, STATES, progress_winner

# The ranks as SYNC.md writes them, typed out independently of gocua.states.
SYNC_MD_RANK = {
    "not_started": 0,
    "declined": 1,
    "not_eligible": 1,
    "guided": 2,
    "pending": 3,
    "done": 4,
    "already_had": 4,
}

states_st = st.sampled_from(STATES)
hlcs_st = st.builds(
    lambda m, c, n: str(Stamp(m, c, n)),
    st.integers(1_700_000_000_000, 1_700_000_000_050),  # narrow: equal millis happen often
    st.integers(0, 3),
    st.sampled_from(["000000000000", "6f1c2d1e8f7a", "aaaaaaaaaaaa"]),
)


def test_ranks_are_sync_md():
    assert RANK == SYNC_MD_RANK
    assert set(STATES) == set(SYNC_MD_RANK)
    assert len(STATES) == len(set(STATES))


def test_state_groups():
    assert {"done", "already_had"} == states.COVERED_STATES
    assert {"not_started", "guided", "pending"} == states.OPEN_STATES
    assert {"declined", "not_eligible", "pending"} == states.REASON_STATES
    # Every state is open, covered or a side exit; none is both open and covered.
    assert not states.OPEN_STATES & states.COVERED_STATES
    assert states.OPEN_STATES | states.COVERED_STATES | {"declined", "not_eligible"} == set(STATES)


def test_wire_enums_match_sync_md():
    assert set(states.VISIT_OUTCOMES) == {"met", "not_home", "refused", "moved"}
    assert set(states.HOUSEHOLD_STATUSES) == {"active", "moved", "gone"}
    assert set(states.PERSON_STATUSES) == {"present", "away", "moved", "deceased"}
    assert set(states.RELATIONS) == {"head", "spouse", "child", "parent", "grandchild", "other"}
    assert set(states.SEXES) == {"m", "f"}


@settings(deadline=None, max_examples=300)
@given(states_st, hlcs_st, states_st, hlcs_st)
def test_progress_winner_is_commutative_for_distinct_hlcs(a, ha, b, hb):
    assume(ha != hb)
    assert progress_winner(a, ha, b, hb) == progress_winner(b, hb, a, ha)


@settings(deadline=None, max_examples=300)
@given(states_st, hlcs_st, states_st, hlcs_st)
def test_higher_rank_always_wins(a, ha, b, hb):
    winner = progress_winner(a, ha, b, hb)
    assert winner in (a, b)
    if SYNC_MD_RANK[a] > SYNC_MD_RANK[b]:
        assert winner == a
    elif SYNC_MD_RANK[b] > SYNC_MD_RANK[a]:
        assert winner == b
    elif ha != hb:
        assert winner == (a if ha > hb else b)  # equal rank: the later HLC
    else:
        assert winner == a  # identical HLCs: the first (current server) value stays


@settings(deadline=None, max_examples=100)
@given(states_st, hlcs_st, hlcs_st)
def test_same_state_always_wins_itself(s, ha, hb):
    assert progress_winner(s, ha, s, hb) == s


@pytest.mark.parametrize(
    ("a", "b", "winner"),
    [
        ("done", "not_started", "done"),
        ("not_started", "declined", "declined"),
        ("declined", "guided", "guided"),
        ("pending", "guided", "pending"),
        ("not_eligible", "pending", "pending"),
        ("already_had", "pending", "already_had"),
    ],
)
def test_progress_examples_whatever_the_hlcs(a, b, winner):
    early, late = "1700000000000-0000-000000000000", "1700000000001-0000-000000000000"
    for ha, hb in ((early, late), (late, early)):
        assert progress_winner(a, ha, b, hb) == winner
        assert progress_winner(b, hb, a, ha) == winner


def test_equal_rank_goes_to_the_later_hlc():
    early, late = "1700000000000-0005-6f1c2d1e8f7a", "1700000000000-0006-000000000000"
    assert progress_winner("done", early, "already_had", late) == "already_had"
    assert progress_winner("done", late, "already_had", early) == "done"
    assert progress_winner("declined", early, "not_eligible", late) == "not_eligible"


def test_winner_of_many_concurrent_edits_does_not_depend_on_arrival_order():
    # Folding many concurrent edits pairwise gives one answer in any arrival order: the
    # highest rank, and among those the latest HLC (already_had here, later than done).
    hlcs = [f"17000000000{i:02d}-0000-000000000000" for i in range(len(STATES))]
    hlc_of = dict(zip(STATES, hlcs, strict=True))
    winners = set()
    for order in itertools.permutations(STATES):
        state = order[0]
        for other in order[1:]:
            state = progress_winner(state, hlc_of[state], other, hlc_of[other])
        winners.add(state)
    expected = max(STATES, key=lambda s: (SYNC_MD_RANK[s], hlc_of[s]))
    assert winners == {expected} == {"already_had"}


def test_unknown_state_is_an_error():
    with pytest.raises(KeyError):
        progress_winner("finished", "a", "done", "b")


@given(st.sampled_from(STATES), st.one_of(st.none(), st.sampled_from(STATES)))
def test_outranks_is_strictly_higher_rank_and_anything_beats_nothing(state, than):
    if than is None:
        assert states.outranks(state, than)
    else:
        assert states.outranks(state, than) is (SYNC_MD_RANK[state] > SYNC_MD_RANK[than])
