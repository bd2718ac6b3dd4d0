"""Three devices doing random offline work and syncing in random order (Must show 4): after a
final round of syncs by all (twice) they hold identical rows, equal to the server's, and the
summary checksums agree. One SQLite server for the module; fresh profiles per example."""

from __future__ import annotations

import itertools
import os
import shutil

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from desktop.services.errors import NotFound
from desktop.services.usecases import ItemChange
from desktop.store.coverage import coverage_by_area
from gocua.catalogue import default_catalogue
from gocua.validation import ValidationFailed
from tests.desktop.conftest import REF_YEAR, as_pairs, reference_coverage
from tests.desktop.sync.conftest import Device, assert_converged
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.slow

USERS = ("vol_a", "vol_a2", "vol_a3")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
ITEMS = ("vneid_l1", "vneid_l2", "bank_account", "smartca")
STATES = ("not_started", "guided", "pending", "done", "declined", "already_had")
PERSON_EDITS = st.one_of(
    st.fixed_dictionaries({"full_name": st.sampled_from(NAMES)}),
    st.fixed_dictionaries({"phone": st.sampled_from(["0912345678", "0987654321", None])}),
    st.fixed_dictionaries({"status": st.sampled_from(["present", "away", "moved"])}),
    st.fixed_dictionaries({"has_smartphone": st.sampled_from([True, False, None])}),
    st.fixed_dictionaries({"note": st.sampled_from(["", "hẹn chiều", "đi làm xa"])}),
)
HOUSEHOLD_EDITS = st.one_of(
    st.fixed_dictionaries({"address": st.sampled_from(["Số 1, đường đan", "Số 9, hẻm 3"])}),
    st.fixed_dictionaries({"note": st.sampled_from(["", "có chó dữ"])}),
    st.fixed_dictionaries({"status": st.sampled_from(["active", "moved"])}),
)
_profiles = itertools.count()
STATS: list[tuple[int, int]] = []
CATALOGUE = default_catalogue()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("stateful")
    path = folder / "server.sqlite"
    shutil.copy(request.getfixturevalue("world_sqlite"), path)
    with ServerProcess(f"sqlite:///{path}") as server:
        yield server, folder


class ThreeDevices(RuleBasedStateMachine):
    server: ServerProcess
    folder = None

    def __init__(self):
        super().__init__()
        self.devices: list[Device] = []
        self.local_failures = 0
        self.steps = 0

    @initialize()
    def open_devices(self):
        for username in USERS:
            dev = Device(self.server.base_url, self.folder / f"p{next(_profiles)}.db", username)
            dev.sign_in()
            dev.sync()
            self.devices.append(dev)

    def _live(self, dev: Device, table: str, data) -> str | None:
        # Draw first, whatever the rows: what is drawn must not depend on state outside.
        index = data.draw(st.integers(0, 1000))
        ids = sorted(dev.rows()[table])
        return ids[index % len(ids)] if ids else None

    def _try(self, action, *args, **kwargs):
        try:
            return action(*args, **kwargs)
        except (NotFound, ValidationFailed):
            self.local_failures += 1  # refused locally (a row gone under us): nothing queued
            return None

    @rule(who=st.integers(0, 2), members=st.integers(0, 2), name=st.sampled_from(NAMES))
    def create_household(self, who, members, name):
        self.devices[who].services.register_household(
            "C1-A",
            f"Số {who}{members}, đường liên ấp",
            members=[{"full_name": name, "relation": "head"}] * members,
        )

    @rule(who=st.integers(0, 2), data=st.data(), name=st.sampled_from(NAMES))
    def add_person(self, who, data, name):
        dev = self.devices[who]
        self.steps += 1
        if household := self._live(dev, "households", data):
            self._try(dev.services.add_person, household, full_name=name, relation="child")

    @rule(who=st.integers(0, 2), data=st.data(), changes=PERSON_EDITS)
    def edit_person(self, who, data, changes):
        dev = self.devices[who]
        self.steps += 1
        if person := self._live(dev, "persons", data):
            self._try(dev.services.update_person, person, **changes)

    @rule(who=st.integers(0, 2), data=st.data(), changes=HOUSEHOLD_EDITS)
    def edit_household(self, who, data, changes):
        dev = self.devices[who]
        self.steps += 1
        if household := self._live(dev, "households", data):
            self._try(dev.services.update_household, household, **changes)

    @rule(who=st.integers(0, 2), data=st.data())
    def move_person(self, who, data):
        dev = self.devices[who]
        self.steps += 1
        person = self._live(dev, "persons", data)
        household = self._live(dev, "households", data)
        if person and household:
            self._try(dev.services.move_person, person, household)

    @rule(who=st.integers(0, 2), data=st.data())
    def delete_person(self, who, data):
        dev = self.devices[who]
        self.steps += 1
        if person := self._live(dev, "persons", data):
            self._try(dev.services.delete_person, person)

    @rule(
        who=st.integers(0, 2),
        data=st.data(),
        item=st.sampled_from(ITEMS),
        state=st.sampled_from(STATES),
    )
    def set_item(self, who, data, item, state):
        dev = self.devices[who]
        self.steps += 1
        if person := self._live(dev, "persons", data):
            self._try(dev.services.set_item_state, "person", person, item, state)

    @rule(
        who=st.integers(0, 2),
        data=st.data(),
        outcome=st.sampled_from(["met", "not_home"]),
        item=st.sampled_from(ITEMS),
        state=st.sampled_from(STATES),
    )
    def log_visit(self, who, data, outcome, item, state):
        dev = self.devices[who]
        self.steps += 1
        household = self._live(dev, "households", data)
        if household is None:
            return
        persons = [p for p, r in dev.rows()["persons"].items() if r["household_id"] == household]
        items = [ItemChange("person", sorted(persons)[0], item, state)] if persons else []
        self._try(dev.services.log_visit, household, outcome, items=items)

    @precondition(lambda self: self.devices)
    @rule(who=st.integers(0, 2))
    def sync(self, who):
        self.devices[who].sync()

    def teardown(self):
        try:
            if len(self.devices) == len(USERS):
                for _ in range(2):
                    for dev in self.devices:
                        dev.sync()
                expected = None
                STATS.append((self.steps, sum(map(len, self.devices[0].rows().values()))))
                for dev in self.devices:
                    rejected = [m for m in dev.outbox() if m["state"] == "rejected"]
                    assert not rejected, rejected
                    expected = assert_converged(dev, expected)
                    with dev.store.read() as conn:  # the facts the store's triggers keep
                        kept = as_pairs(coverage_by_area(conn, CATALOGUE, REF_YEAR))
                        assert kept == as_pairs(reference_coverage(conn, CATALOGUE, REF_YEAR))
        finally:
            for dev in self.devices:
                dev.close()


def test_three_devices_converge(shared_server):
    server, folder = shared_server
    ThreeDevices.server, ThreeDevices.folder = server, folder
    run_state_machine_as_test(
        ThreeDevices,
        settings=settings(
            max_examples=int(os.environ.get("GOCUA_STATEFUL_EXAMPLES", "20")),
            stateful_step_count=20,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert max(rows for _, rows in STATS) > 0  # the examples did make rows
