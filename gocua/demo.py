"""A fictional commune of realistic shape, for demos, tests and benchmarks.

Pure data: lists of plain dicts in the wire shape of SYNC.md (``{"id": ..., **fields}``), so
the desktop store and the server load the same commune. Deterministic for a seed and a day.
Names, places and ID numbers are invented; the rates follow what commune reports in the seed
articles describe (most working-age people with an account, older people behind on
smartphones, a tail of pending level-2 approvals at the police).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from gocua import ids
from gocua.catalogue import Catalogue, default_catalogue
from gocua.coverage import PersonFacts, person_counts_for
from gocua.dates import VN_TZ

PROVINCE = {"id": "T90", "kind": "province", "name": "Tỉnh Sông Hậu", "parent_id": None}
COMMUNE = {"id": "X9001", "kind": "commune", "name": "Xã Hòa Phú", "parent_id": "T90"}
HAMLET_NAMES = (
    "Ấp Bình Minh",
    "Ấp Tân Lập",
    "Ấp Phú Thạnh",
    "Ấp Hòa Hiệp",
    "Ấp Long Thuận",
    "Ấp Mỹ An",
    "Ấp Thạnh Lợi",
    "Ấp Vĩnh Phước",
    "Ấp Đông Hòa",
    "Ấp Tây Sơn",
    "Ấp An Lạc",
    "Ấp Phước Hưng",
    "Ấp Trung Hậu",
    "Ấp Cây Da",
    "Ấp Bến Đò",
)
SURNAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Phan", 4),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Trương", 1),
    ("Đinh", 1),
    ("Lâm", 1),
    ("Mai", 1),
)
MIDDLE_M = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Hoàng")
MIDDLE_F = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hồng")
GIVEN_M = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Đức",
    "Minh",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Thắng",
    "Hải",
    "Long",
    "Bình",
    "Khoa",
    "An",
    "Tài",
    "Lộc",
    "Trung",
    "Hiếu",
    "Đạt",
    "Nghĩa",
    "Tâm",
)
GIVEN_F = (
    "Lan",
    "Hoa",
    "Hương",
    "Mai",
    "Linh",
    "Thảo",
    "Trang",
    "Hạnh",
    "Nga",
    "Yến",
    "Phượng",
    "Loan",
    "Ngọc",
    "Hằng",
    "Thu",
    "Vy",
    "Diễm",
    "Nhung",
    "Tuyết",
    "Oanh",
    "Dung",
    "Đào",
)
STREETS = ("đường liên ấp", "đường đan", "hẻm 3", "đường Hương lộ 2", "kênh Xáng", "đường bờ kênh")
CCCD_PROVINCE = "092"
PHONE_PREFIXES = (
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "083",
    "084",
    "085",
    "086",
    "088",
    "089",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
)
HOUSEHOLD_SIZES = ((1, 9), (2, 17), (3, 22), (4, 25), (5, 14), (6, 8), (7, 5))
# Per item: weights of the states for an eligible person in a visited household.
STATE_WEIGHTS = {
    "vneid_l1": {
        "done": 45,
        "already_had": 25,
        "guided": 6,
        "not_started": 14,
        "declined": 5,
        "not_eligible": 5,
    },
    "vneid_l2": {
        "done": 38,
        "already_had": 12,
        "pending": 12,
        "guided": 8,
        "not_started": 18,
        "declined": 6,
        "not_eligible": 6,
    },
    "bank_account": {
        "done": 30,
        "already_had": 42,
        "pending": 4,
        "guided": 5,
        "not_started": 12,
        "declined": 7,
    },
    "smartca": {
        "done": 22,
        "already_had": 4,
        "pending": 6,
        "guided": 10,
        "not_started": 45,
        "declined": 9,
        "not_eligible": 4,
    },
    "dvc_account": {
        "done": 35,
        "already_had": 15,
        "guided": 10,
        "not_started": 30,
        "declined": 6,
        "not_eligible": 4,
    },
    "ehealth_record": {
        "done": 52,
        "already_had": 18,
        "guided": 8,
        "not_started": 18,
        "declined": 4,
    },
    "cashless_utilities": {
        "done": 28,
        "already_had": 22,
        "guided": 10,
        "not_started": 32,
        "declined": 8,
    },
    "digital_skills": {"done": 30, "guided": 25, "not_started": 40, "declined": 5},
    "allowance_to_bank": {
        "done": 45,
        "already_had": 10,
        "pending": 15,
        "not_started": 25,
        "declined": 5,
    },
    "fibre_internet": {
        "done": 25,
        "already_had": 48,
        "guided": 5,
        "not_started": 15,
        "declined": 7,
    },
    "zalo_group": {"done": 50, "already_had": 20, "not_started": 25, "declined": 5},
    "ecommerce": {"done": 6, "guided": 6, "not_started": 20, "not_eligible": 68},
}
REASON_FOR = {
    "pending": ("waiting_police", "waiting_bank", "no_chip_id", "other"),
    "declined": ("refused", "no_smartphone", "not_home", "other"),
    "not_eligible": ("no_smartphone", "no_chip_id", "moved_away", "other"),
}


@dataclass
class DemoCommune:
    areas: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    support_items: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)

    @property
    def hamlets(self) -> list[dict]:
        return [a for a in self.areas if a["kind"] == "hamlet"]

    def rows(self) -> dict[str, list[dict]]:
        """The synced tables, in an order that respects references."""
        return {
            "households": self.households,
            "persons": self.persons,
            "support_items": self.support_items,
            "visits": self.visits,
            "targets": self.targets,
        }


def user_id(username: str) -> str:
    return str(uuid.uuid5(ids.ID_NAMESPACE, f"user/{username}"))


class _Generator:
    def __init__(self, seed: int, today: dt.date, catalogue: Catalogue):
        self.rng = random.Random(seed)
        self.today = today
        self.catalogue = catalogue
        self.out = DemoCommune()
        self._surnames = [s for s, _ in SURNAMES]
        self._surname_weights = [w for _, w in SURNAMES]

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # -- areas and users ----------------------------------------------------------------------

    def areas_and_users(self) -> None:
        count = self.rng.randint(8, 15)
        hamlets = [
            {
                "id": f"{COMMUNE['id']}-{i + 1:02d}",
                "kind": "hamlet",
                "name": name,
                "parent_id": COMMUNE["id"],
            }
            for i, name in enumerate(HAMLET_NAMES[:count])
        ]
        self.out.areas = [dict(PROVINCE), dict(COMMUNE), *hamlets]
        leader = {
            "username": "totruong",
            "display_name": "Trần Thị Thu Hà",
            "role": "leader",
            "hamlet_ids": [],
        }
        volunteers = [
            ("tnv.an", "Lê Văn An"),
            ("tnv.binh", "Nguyễn Thị Bình"),
            ("tnv.cuong", "Phạm Quốc Cường"),
        ]
        users = [leader]
        for index, (username, name) in enumerate(volunteers):
            mine = [h["id"] for i, h in enumerate(hamlets) if i % len(volunteers) == index]
            users.append(
                {
                    "username": username,
                    "display_name": name,
                    "role": "volunteer",
                    "hamlet_ids": mine,
                }
            )
        self.out.users = [
            {"id": user_id(u["username"]), "commune_id": COMMUNE["id"], **u} for u in users
        ]
        self.volunteer_of = {
            h: u["id"] for u in self.out.users for h in u["hamlet_ids"] if u["role"] == "volunteer"
        }

    # -- people -------------------------------------------------------------------------------

    def name(self, sex: str, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(self._surnames, self._surname_weights)[0]
        middle = self.rng.choice(MIDDLE_M if sex == "m" else MIDDLE_F)
        given = self.rng.choice(GIVEN_M if sex == "m" else GIVEN_F)
        return f"{surname} {middle} {given}"

    def birth_date(self, age: int) -> str:
        year = self.today.year - age
        if self.rng.random() < 0.18:  # older registers often hold only the year
            return str(year)
        day = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        return min(day, self.today).isoformat()

    def cccd(self, birth_year: int, sex: str) -> str:
        century = (birth_year // 100 - 19) * 2 if birth_year >= 1900 else 8
        digit = century + (1 if sex == "f" else 0)
        return f"{CCCD_PROVINCE}{digit}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}"

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def smartphone(self, age: int) -> bool | None:
        if age < 12:
            return None
        chance = 0.93 if age < 40 else 0.82 if age < 60 else 0.55 if age < 75 else 0.22
        if self.rng.random() < 0.04:
            return None  # not asked yet
        return self.rng.random() < chance

    def person(self, household_id: str, relation: str, age: int, sex: str, surname: str) -> dict:
        age = max(0, min(age, 98))
        birth_date = self.birth_date(age)
        birth_year = int(birth_date[:4])
        roll = self.rng.random()
        status = (
            "present"
            if roll < 0.91
            else "away"
            if roll < 0.975
            else "moved"
            if roll < 0.99
            else "deceased"
        )
        has_cccd = age >= 14 and self.rng.random() < 0.72
        has_phone = age >= 16 and self.rng.random() < 0.55
        return {
            "id": self.uuid(),
            "household_id": household_id,
            "full_name": self.name(sex, surname),
            "birth_date": birth_date,
            "sex": sex,
            "cccd": self.cccd(birth_year, sex) if has_cccd else None,
            "phone": self.phone() if has_phone else None,
            "relation": relation,
            "has_smartphone": self.smartphone(age),
            "status": status,
            "note": "Đi làm ở Bình Dương" if status == "away" and self.rng.random() < 0.5 else "",
        }

    def members(self, household_id: str, size: int) -> list[dict]:
        rng = self.rng
        head_sex = "m" if rng.random() < 0.72 else "f"
        head_age = rng.randint(24, 82)
        surname = rng.choices(self._surnames, self._surname_weights)[0]
        people = [self.person(household_id, "head", head_age, head_sex, surname)]
        if size >= 2 and rng.random() < 0.85:
            spouse_sex = "f" if head_sex == "m" else "m"
            people.append(
                self.person(
                    household_id,
                    "spouse",
                    head_age + rng.randint(-6, 4),
                    spouse_sex,
                    rng.choices(self._surnames, self._surname_weights)[0],
                )
            )
        while len(people) < size:
            sex = rng.choice("mf")
            if head_age > 58 and rng.random() < 0.45:
                relation, age = "grandchild", head_age - rng.randint(45, 60)
            elif head_age < 45 and rng.random() < 0.2:
                relation, age = "parent", head_age + rng.randint(22, 32)
            elif rng.random() < 0.06:
                relation, age = "other", rng.randint(5, 70)
            else:
                relation, age = "child", head_age - rng.randint(20, 38)
            same_name = relation in ("child", "grandchild")
            people.append(
                self.person(
                    household_id,
                    relation,
                    max(age, 0),
                    sex,
                    surname if same_name else rng.choices(self._surnames, self._surname_weights)[0],
                )
            )
        return people

    # -- support items and visits ---------------------------------------------------------------

    def item_row(self, subject_type: str, subject_id: str, code: str, state: str) -> dict:
        reasons = REASON_FOR.get(state)
        reason = self.rng.choice(reasons) if reasons else None
        if state == "pending" and code == "bank_account":
            reason = "waiting_bank"
        elif state == "pending" and code == "vneid_l2":
            reason = "waiting_police"
        return {
            "id": ids.support_item_id(subject_id, code),
            "subject_type": subject_type,
            "subject_id": subject_id,
            "item_code": code,
            "state": state,
            "reason": reason,
            "note": "",
        }

    def household(self, hamlet: dict, number: int) -> None:
        rng = self.rng
        household_id = self.uuid()
        status_roll = rng.random()
        status = "active" if status_roll < 0.975 else "moved" if status_roll < 0.99 else "gone"
        size = rng.choices(*zip(*HOUSEHOLD_SIZES, strict=True))[0]
        people = self.members(household_id, size)
        head_phone = people[0]["phone"]
        tổ = 1 + number // 40
        street = rng.choice(STREETS)
        self.out.households.append(
            {
                "id": household_id,
                "hamlet_id": hamlet["id"],
                "address": f"Số {number + 1}, {street}, tổ {tổ}, {hamlet['name']}",
                "phone": head_phone,
                "note": "",
                "status": status,
            }
        )
        self.out.persons.extend(people)
        visited = status == "active" and rng.random() < 0.9
        touched: list[dict] = []
        if visited:
            for item in self.catalogue.household_items():
                if rng.random() < 0.9:
                    state = self.pick(STATE_WEIGHTS[item.code])
                    touched.append(self.item_row("household", household_id, item.code, state))
            for person in people:
                if person["status"] not in ("present", "away"):
                    continue
                facts = PersonFacts(
                    person["id"],
                    household_id,
                    int(person["birth_date"][:4]),
                    person["has_smartphone"],
                    person["status"],
                )
                for item in self.catalogue.person_items():
                    if not person_counts_for(item, facts, True, self.today.year):
                        continue
                    if rng.random() < 0.12:
                        continue  # not talked about yet: no row, i.e. not_started
                    state = self.pick(STATE_WEIGHTS[item.code])
                    touched.append(self.item_row("person", person["id"], item.code, state))
        self.out.support_items.extend(touched)
        self.visits(household_id, hamlet["id"], status, touched if visited else [])

    def visits(self, household_id: str, hamlet_id: str, status: str, touched: list[dict]) -> None:
        rng = self.rng
        count = (
            0 if not touched and status == "active" and rng.random() < 0.5 else rng.randint(1, 4)
        )
        if status != "active":
            count = 1
        days = sorted(rng.sample(range(1, 180), count))[::-1]  # oldest first
        progress = [t for t in touched if t["state"] not in ("not_started", "not_eligible")]
        for index, days_ago in enumerate(days):
            last = index == len(days) - 1
            when = dt.datetime.combine(
                self.today - dt.timedelta(days=days_ago),
                dt.time(rng.randint(7, 19), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))),
                tzinfo=VN_TZ,
            )
            if status != "active":
                outcome = "moved"
            else:
                outcome = (
                    "met"
                    if last and progress
                    else self.pick({"met": 66, "not_home": 26, "refused": 4})
                )
            items = []
            if outcome == "met":
                share = progress if last else rng.sample(progress, min(len(progress), 2))
                items = sorted(
                    (
                        {
                            "subject_id": t["subject_id"],
                            "item_code": t["item_code"],
                            "state": t["state"],
                        }
                        for t in share
                    ),
                    key=lambda e: (e["subject_id"], e["item_code"]),
                )
            follow_up = None
            if outcome == "not_home" or (
                last and any(t["state"] in ("pending", "guided") for t in touched)
            ):
                follow_up = (when.date() + dt.timedelta(days=rng.randint(3, 30))).isoformat()
            self.out.visits.append(
                {
                    "id": self.uuid(),
                    "household_id": household_id,
                    "visited_at": when.isoformat(timespec="seconds"),
                    "volunteer_id": self.volunteer_of[hamlet_id],
                    "outcome": outcome,
                    "note": "Hẹn quay lại buổi tối" if outcome == "not_home" else "",
                    "follow_up_on": follow_up,
                    "items": items,
                }
            )

    def targets(self) -> None:
        period = str(self.today.year)
        for indicator in self.catalogue.indicators:
            if indicator.target is None:
                continue
            self.out.targets.append(
                {
                    "id": ids.target_id(COMMUNE["id"], indicator.code, period),
                    "area_id": COMMUNE["id"],
                    "indicator_code": indicator.code,
                    "period": period,
                    "percent": indicator.target,
                }
            )


def generate(
    households: int,
    seed: int = 1,
    today: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> DemoCommune:
    """A commune with ``households`` households spread over 8 to 15 hamlets."""
    gen = _Generator(seed, today or dt.date.today(), catalogue or default_catalogue())
    gen.areas_and_users()
    hamlets = gen.out.hamlets
    # Hamlets differ in size (a market hamlet is bigger than one along the canal).
    weights = [gen.rng.uniform(0.6, 1.6) for _ in hamlets]
    counters = dict.fromkeys((h["id"] for h in hamlets), 0)
    for hamlet in gen.rng.choices(hamlets, weights=weights, k=households):
        gen.household(hamlet, counters[hamlet["id"]])
        counters[hamlet["id"]] += 1
    gen.targets()
    return gen.out


def households_for_persons(persons: int) -> int:
    """Households to ask for to get about this many persons (mean household size ~3.6)."""
    return max(1, round(persons / 3.62))
