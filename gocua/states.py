"""Support-item states and the progress ranks of SYNC.md's merge rule."""

from __future__ import annotations

NOT_STARTED = "not_started"
GUIDED = "guided"
PENDING = "pending"
DONE = "done"
ALREADY_HAD = "already_had"
DECLINED = "declined"
NOT_ELIGIBLE = "not_eligible"

# Display order: the path of progress first, then the side exits.
STATES: tuple[str, ...] = (
    NOT_STARTED,
    GUIDED,
    PENDING,
    DONE,
    ALREADY_HAD,
    DECLINED,
    NOT_ELIGIBLE,
)

RANK: dict[str, int] = {
    NOT_STARTED: 0,
    DECLINED: 1,
    NOT_ELIGIBLE: 1,
    GUIDED: 2,
    PENDING: 3,
    DONE: 4,
    ALREADY_HAD: 4,
}

COVERED_STATES: frozenset[str] = frozenset({DONE, ALREADY_HAD})
# States that still need a volunteer's help (what a visit pre-fills).
OPEN_STATES: frozenset[str] = frozenset({NOT_STARTED, GUIDED, PENDING})
# States that carry a reason code.
REASON_STATES: frozenset[str] = frozenset({DECLINED, NOT_ELIGIBLE, PENDING})

VISIT_OUTCOMES: tuple[str, ...] = ("met", "not_home", "refused", "moved")
HOUSEHOLD_STATUSES: tuple[str, ...] = ("active", "moved", "gone")
PERSON_STATUSES: tuple[str, ...] = ("present", "away", "moved", "deceased")
RELATIONS: tuple[str, ...] = ("head", "spouse", "child", "parent", "grandchild", "other")
SEXES: tuple[str, ...] = ("m", "f")


def outranks(state: str, than: str | None) -> bool:
    """Whether ``state`` is further along than ``than`` (``None``: no item recorded yet, which
    anything outranks). Merging two records of one household or person keeps, for each item,
    the state further along; on equal rank the kept record's state stays."""
    if than is None:
        return True
    return RANK[state] > RANK[than]


def progress_winner(state_a: str, hlc_a: str, state_b: str, hlc_b: str) -> str:
    """The state kept when two devices changed one support item concurrently.

    Higher rank wins; on equal rank the later HLC wins (ties on HLC keep ``state_a``, the
    caller passes the current server value first so the result is stable).
    """
    rank_a, rank_b = RANK[state_a], RANK[state_b]
    if rank_a != rank_b:
        return state_a if rank_a > rank_b else state_b
    return state_b if hlc_b > hlc_a else state_a
