"""The text a hamlet head pastes into the Zalo group: figures against targets, exactly."""

from __future__ import annotations

import datetime as dt

from desktop.reports.zalo import zalo_text
from gocua.catalogue import default_catalogue
from tests.desktop.conftest import HAMLET_A, HAMLET_B, REF_YEAR, member

TODAY = dt.date(REF_YEAR, 11, 24)


def _commune(services):
    """Ấp Bình Minh: two adults, one with VNeID 2 done; Ấp Đông Hòa: one adult, nothing done."""
    adult = str(REF_YEAR - 40)
    a = services.register_household(
        HAMLET_A["id"],
        "Số 1",
        members=[
            member("An", birth_date=adult, has_smartphone=True),
            member("Bình", birth_date=adult, has_smartphone=True),
        ],
    )
    services.register_household(
        HAMLET_B["id"], "Số 2", members=[member("Cúc", birth_date=adult, has_smartphone=True)]
    )
    with services.store.read() as conn:
        first = conn.exec_driver_sql(
            "SELECT id FROM persons WHERE household_id = ? ORDER BY full_name", (a,)
        ).scalar()
    services.set_item_state("person", first, "vneid_l2", "done")
    services.set_target(HAMLET_A["parent_id"], "eid_adults", str(REF_YEAR), 50)


def test_the_communes_text_has_each_figure_against_its_target(store, services):
    _commune(services)
    with store.read() as conn:
        text = zalo_text(conn, default_catalogue(), str(REF_YEAR), TODAY)
    lines = text.splitlines()
    assert lines[0] == f"📊 Xã Hòa Phú: chuyển đổi số đến ngày 24/11/{REF_YEAR} (kỳ năm {REF_YEAR})"
    assert "🔴 VNeID 2 (18+): 33,3% (1/3), chỉ tiêu 50%, còn 1 người" in lines
    assert "Ấp cần cố gắng nhất (VNeID 2 (18+)): Ấp Đông Hòa, 0,0%" in lines
    assert lines[-1] == "Gửi từ Gõ Cửa - Tổ công nghệ số cộng đồng"
    assert not any("—" in line for line in lines)  # indicators nobody is eligible for: left out


def test_a_hamlets_text_takes_its_communes_target(store, services):
    _commune(services)
    with store.read() as conn:
        text = zalo_text(
            conn, default_catalogue(), f"{REF_YEAR}-Q4", TODAY, hamlet_id=HAMLET_A["id"]
        )
    lines = text.splitlines()
    assert lines[0] == (
        f"📊 Ấp Bình Minh, Xã Hòa Phú: chuyển đổi số đến ngày 24/11/{REF_YEAR} "
        f"(kỳ quý 4/{REF_YEAR})"
    )
    # The quarter takes the year's target, the hamlet its commune's (gocua.targets).
    assert "✅ VNeID 2 (18+): 50,0% (1/2), chỉ tiêu 50%" in lines
    assert not any(line.startswith("Ấp cần cố gắng") for line in lines)  # one hamlet
