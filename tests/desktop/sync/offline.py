"""Profiles made offline, as a volunteer makes them before her first sign-in: her commune and
hamlets typed by hand (local ids), households with persons, support items and visits."""

from __future__ import annotations

from pathlib import Path

from desktop.services import ItemChange, Services
from desktop.store import Store
from desktop.store.areas import create_offline_areas
from tests.desktop.sync.conftest import Device


def offline_device(url: str, path: Path, username: str, commune: str, hamlets: list[str]) -> Device:
    """A device whose profile was made offline (nothing synced, nobody signed in)."""
    store = Store.open(path)
    with store.write() as conn:
        create_offline_areas(conn, commune, hamlets)
    store.close()
    return Device(url, path, username)


def local_hamlet_ids(dev: Device) -> dict[str, str]:
    """Typed name -> local id."""
    with dev.store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name, id FROM areas WHERE local = 1 AND kind = 'hamlet'"
        )
        return dict(rows.all())


def fill(services: Services, hamlet_id: str, households: int, tag: str = "") -> list[str]:
    """``households`` households in the hamlet, each with two persons, a support item per
    person and one visit that touched an item."""
    made = []
    for n in range(households):
        household_id = services.register_household(
            hamlet_id,
            f"Số {n + 1}{tag}, {hamlet_id}",
            members=[
                {"full_name": f"Trần Văn {tag}{n}", "relation": "head", "birth_date": "1970"},
                {"full_name": f"Lê Thị {tag}{n}", "relation": "spouse", "birth_date": "1975"},
            ],
        )
        with services.store.read() as conn:
            persons = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT id FROM persons WHERE household_id = ? ORDER BY full_name",
                    (household_id,),
                )
            ]
        services.set_item_state("person", persons[1], "bank_account", "guided")
        services.log_visit(
            household_id, "met", [ItemChange("person", persons[0], "vneid_l2", "done")]
        )
        made.append(household_id)
    return made
