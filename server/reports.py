"""``GET /reports/coverage``: aggregates only, computed with :mod:`gocua.coverage`, under the
hamlets of the period's time (:mod:`server.report_hamlets`), against the targets that apply by
:mod:`gocua.targets` (the area's own, else its nearest ancestor's; a quarter's, else its
year's; else the catalogue's default), as the app's dashboard shows them."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import validation
from gocua.catalogue import Catalogue
from gocua.coverage import HouseholdFacts, PersonFacts, Tally, compute_coverage, roll_up
from gocua.names import indicator_name
from gocua.targets import Targets, period_chain, resolve_target
from server import report_hamlets
from server.auth import iso_utc
from server.db import read
from server.errors import ApiError, forbidden
from server.models import records_t
from server.scope import AuthUser, ancestors, area_subtree, hamlets_of, report_areas


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        "invalid_request",
        f"{field}: {message}",
        details=[{"field": field, "message": message}],
    )


def coverage(
    engine: Engine, catalogue: Catalogue, user: AuthUser, area_id: str, period: str
) -> dict:
    try:
        parsed = validation.parse_period(period)
    except validation.FieldError as error:
        raise _invalid("period", error.message_en) from None
    if user.role not in ("leader", "commune_admin", "province_viewer"):
        raise forbidden("reports are for leaders, admins and province viewers")

    def work(conn: Connection) -> dict:
        if area_id not in report_areas(conn, user):
            raise forbidden("this area is outside your scope")
        areas = area_subtree(conn, area_id)
        parent_of = {a["id"]: a["parent_id"] for a in areas.values()}
        # Targets are inherited from the area's ancestors too (gocua.targets).
        above = {a["id"]: a["parent_id"] for a in ancestors(conn, area_id)}
        hamlets = [a["id"] for a in areas.values() if a["kind"] == "hamlet"]
        span = report_hamlets.window(parsed, time.time())
        searched = hamlets
        if span.ended and areas[area_id]["kind"] == "hamlet":
            # Households that were in this hamlet then may be in a sibling now.
            searched = hamlets_of(conn, areas[area_id]["parent_id"])
        households, persons, states = _facts(conn, searched)
        targets = _targets(conn, [*areas, *above], period_chain(parsed))
        if span.ended:
            then = report_hamlets.hamlets_at_end(conn, searched, span.end)
            households = [
                HouseholdFacts(h.id, then.get(h.id, h.area_id), h.status) for h in households
            ]
            households = [h for h in households if h.area_id in areas]
        tallies = compute_coverage(catalogue, households, persons, states, parsed.year)
        totals = roll_up(tallies, {k: v for k, v in parent_of.items() if k != area_id})
        shown = [area_id] + sorted(
            a
            for a, p in parent_of.items()
            if p == area_id
            and (areas[a]["kind"] != "hamlet" or report_hamlets.shown(areas[a], span))
        )
        rows = []
        for shown_id in shown:
            for indicator in catalogue.indicators:
                tally = totals.get((shown_id, indicator.code), Tally())
                target = resolve_target(
                    targets, {**above, **parent_of}, shown_id, indicator, parsed
                )
                rows.append(
                    {
                        "area_id": shown_id,
                        "area_name": areas[shown_id]["name"],
                        "indicator_code": indicator.code,
                        "indicator_name": indicator_name(indicator),
                        "eligible": tally.eligible,
                        "covered": tally.covered,
                        "percent": tally.percent,
                        "target": target,
                    }
                )
        return {
            "area": area_id,
            "period": parsed.code,
            "generated_at": iso_utc(time.time()),
            "rows": rows,
        }

    return read(engine, work)


def _facts(conn: Connection, hamlets: list[str]):
    r = records_t.c
    households, persons, states = [], [], {}
    if hamlets:
        query = sa.select(r.tbl, r.id, r.scope_area, r.data).where(
            r.scope_area.in_(hamlets),
            r.deleted.is_(False),
            r.tbl.in_(("households", "persons", "support_items")),
        )
        for tbl, row_id, scope_area, data in conn.execute(query):
            row = json.loads(data)
            if tbl == "households":
                households.append(HouseholdFacts(row_id, scope_area, row["status"]))
            elif tbl == "persons":
                persons.append(
                    PersonFacts(
                        row_id,
                        row["household_id"],
                        validation.birth_year_of(row["birth_date"]),
                        row["has_smartphone"],
                        row["status"],
                    )
                )
            else:
                states[(row["subject_id"], row["item_code"])] = row["state"]
    return households, persons, states


def _targets(conn: Connection, areas: list[str], periods: tuple[str, ...]) -> Targets:
    r = records_t.c
    query = sa.select(r.data).where(
        r.tbl == "targets", r.deleted.is_(False), r.scope_area.in_(areas)
    )
    targets = {}
    for (data,) in conn.execute(query):
        row = json.loads(data)
        if row["period"] in periods:
            targets[(row["area_id"], row["indicator_code"], row["period"])] = row["percent"]
    return targets
