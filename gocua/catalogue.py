"""The support-item catalogue (``resources/catalogue.toml``): items, reasons, indicators."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gocua.resources import resource_path
from gocua.states import STATES

PERSON = "person"
HOUSEHOLD = "household"
SMARTPHONE_ATTRIBUTE = "has_smartphone"


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Item:
    code: str
    level: str  # "person" | "household"
    name_vi: str
    name_en: str
    short_vi: str
    short_en: str
    min_age: int = 0
    needs_smartphone: bool = False
    needs_chip_id: bool = False

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi

    def short(self, lang: str = "vi") -> str:
        return self.short_en if lang == "en" else self.short_vi


@dataclass(frozen=True)
class Reason:
    code: str
    name_vi: str
    name_en: str
    states: frozenset[str]

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Indicator:
    """One coverage figure. Exactly one of ``item`` and ``attribute`` is set."""

    code: str
    name_vi: str
    name_en: str
    level: str
    item: str | None = None
    attribute: str | None = None
    min_age: int = 0  # effective: the larger of this and the item's own
    needs_smartphone: bool = False
    target: float | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Catalogue:
    version: int
    items: tuple[Item, ...]
    reasons: tuple[Reason, ...]
    indicators: tuple[Indicator, ...]
    _items_by_code: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)
    _reasons_by_code: dict[str, Reason] = field(default_factory=dict, repr=False, compare=False)
    _indicators_by_code: dict[str, Indicator] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._items_by_code.update({i.code: i for i in self.items})
        self._reasons_by_code.update({r.code: r for r in self.reasons})
        self._indicators_by_code.update({i.code: i for i in self.indicators})

    def item(self, code: str) -> Item:
        return self._items_by_code[code]

    def has_item(self, code: str) -> bool:
        return code in self._items_by_code

    def reason(self, code: str) -> Reason:
        return self._reasons_by_code[code]

    def has_reason(self, code: str) -> bool:
        return code in self._reasons_by_code

    def indicator(self, code: str) -> Indicator:
        return self._indicators_by_code[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._indicators_by_code

    def person_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.level == PERSON)

    def household_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.level == HOUSEHOLD)


def _require(entry: dict, key: str, kind: str, typ: type):
    if key not in entry:
        raise CatalogueError(f"{kind} {entry.get('code', '?')!r}: missing {key!r}")
    value = entry[key]
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        raise CatalogueError(f"{kind} {entry.get('code', '?')!r}: {key!r} must be {typ.__name__}")
    return value


def _optional(entry: dict, key: str, kind: str, typ: type | tuple[type, ...], default):
    """An optional key of the declared type (a TOML ``"false"`` is not ``False``)."""
    if key not in entry:
        return default
    value = entry[key]
    if not isinstance(value, typ) or (typ is not bool and isinstance(value, bool)):
        raise CatalogueError(f"{kind} {entry.get('code', '?')!r}: {key!r} has the wrong type")
    return value


def _min_age(entry: dict, kind: str) -> int:
    min_age = _optional(entry, "min_age", kind, int, 0)
    if min_age < 0:
        raise CatalogueError(f"{kind} {entry.get('code', '?')!r}: 'min_age' must be >= 0")
    return min_age


def _check_unique(codes: list[str], kind: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CatalogueError(f"duplicate {kind} code {code!r}")
        seen.add(code)


def parse_catalogue(data: dict) -> Catalogue:
    items = []
    for entry in data.get("items", []):
        level = _require(entry, "level", "item", str)
        if level not in (PERSON, HOUSEHOLD):
            raise CatalogueError(f"item {entry.get('code')!r}: level must be person or household")
        name_vi = _require(entry, "name_vi", "item", str)
        name_en = _require(entry, "name_en", "item", str)
        items.append(
            Item(
                code=_require(entry, "code", "item", str),
                level=level,
                name_vi=name_vi,
                name_en=name_en,
                short_vi=_optional(entry, "short_vi", "item", str, name_vi),
                short_en=_optional(entry, "short_en", "item", str, name_en),
                min_age=_min_age(entry, "item"),
                needs_smartphone=_optional(entry, "needs_smartphone", "item", bool, False),
                needs_chip_id=_optional(entry, "needs_chip_id", "item", bool, False),
            )
        )
    _check_unique([i.code for i in items], "item")
    by_code = {i.code: i for i in items}

    reasons = []
    for entry in data.get("reasons", []):
        states = frozenset(_optional(entry, "states", "reason", list, []))
        if not states <= set(STATES):
            raise CatalogueError(f"reason {entry.get('code')!r}: unknown state in {sorted(states)}")
        reasons.append(
            Reason(
                code=_require(entry, "code", "reason", str),
                name_vi=_require(entry, "name_vi", "reason", str),
                name_en=_require(entry, "name_en", "reason", str),
                states=states,
            )
        )
    _check_unique([r.code for r in reasons], "reason")

    indicators = []
    for entry in data.get("indicators", []):
        code = _require(entry, "code", "indicator", str)
        item_code, attribute = entry.get("item"), entry.get("attribute")
        if (item_code is None) == (attribute is None):
            raise CatalogueError(f"indicator {code!r}: set exactly one of 'item' and 'attribute'")
        if item_code is not None:
            if item_code not in by_code:
                raise CatalogueError(f"indicator {code!r}: unknown item {item_code!r}")
            item = by_code[item_code]
            level, min_age = item.level, max(item.min_age, _min_age(entry, "indicator"))
            needs_smartphone = item.needs_smartphone
        else:
            if attribute != SMARTPHONE_ATTRIBUTE:
                raise CatalogueError(f"indicator {code!r}: unknown attribute {attribute!r}")
            level, min_age, needs_smartphone = PERSON, _min_age(entry, "indicator"), False
        target = _optional(entry, "target", "indicator", (int, float), None)
        if target is not None and not 0 <= float(target) <= 100:
            raise CatalogueError(f"indicator {code!r}: target must be 0..100")
        indicators.append(
            Indicator(
                code=code,
                name_vi=_require(entry, "name_vi", "indicator", str),
                name_en=_require(entry, "name_en", "indicator", str),
                level=level,
                item=item_code,
                attribute=attribute,
                min_age=min_age,
                needs_smartphone=needs_smartphone,
                target=None if target is None else float(target),
            )
        )
    _check_unique([i.code for i in indicators], "indicator")
    return Catalogue(
        version=int(data.get("version", 1)),
        items=tuple(items),
        reasons=tuple(reasons),
        indicators=tuple(indicators),
    )


def load_catalogue(path: Path | str) -> Catalogue:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    return parse_catalogue(data)


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue(resource_path("catalogue.toml"))
