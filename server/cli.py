"""``gocua-server``: init, load-areas, add-user, add-hamlet, set-hamlets, serve, demo, new-epoch,
snapshot, rebuild-tallies.

Every subcommand takes ``--database URL`` (default: ``GOCUA_DATABASE_URL``, else a SQLite
file in the user's data folder). ``python -m server.cli`` works the same.
"""

from __future__ import annotations

import argparse
import os
import sys

import sqlalchemy as sa

from server import accounts, admin, hamlets, schema, snapshots, tallies
from server.db import create_engine, run_transaction
from server.errors import ApiError
from server.models import records_t
from server.settings import Settings

DEMO_PASSWORD = "gocua-demo"


def _engine(settings: Settings):
    return create_engine(settings.database_url, settings.db_pool_size)


def cmd_init(settings: Settings, _args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    with engine.connect() as conn:
        print(f"schema at revision {schema.head_revision()}, epoch {schema.epoch(conn)}")
    return 0


def cmd_new_epoch(settings: Settings, _args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    epoch = schema.new_epoch(engine)
    print(f"new epoch {epoch}: every device will re-push what it holds and pull from scratch")
    return 0


def cmd_load_areas(settings: Settings, args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    count = admin.load_areas_file(engine, args.file)
    print(f"{count} areas loaded")
    return 0


def cmd_add_user(settings: Settings, args) -> int:
    if args.commune is None and args.province is None:
        raise admin.AdminError("give --commune ID (with --hamlets for volunteers) or --province ID")
    password = sys.stdin.readline().rstrip("\r\n")
    engine = _engine(settings)
    schema.upgrade(engine)
    hamlets = [h.strip() for h in (args.hamlets or "").split(",") if h.strip()]
    user_id = admin.add_user(
        engine,
        settings,
        args.username,
        password,
        args.role,
        commune_id=args.commune,
        hamlet_ids=hamlets,
        province_id=args.province,
        display_name=args.display_name,
    )
    print(f"user {args.username} ({args.role}) id {user_id}")
    return 0


def cmd_add_hamlet(settings: Settings, args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    hamlet = run_transaction(
        engine, lambda conn: hamlets.create(conn, args.commune, args.name, args.id, None)
    )
    print(hamlet["id"])
    return 0


def cmd_set_hamlets(settings: Settings, args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    wanted = [h.strip() for h in args.hamlets.split(",") if h.strip()]
    user = run_transaction(
        engine, lambda conn: accounts.assign_hamlets(conn, args.username, wanted)
    )
    print(f"user {user['username']} ({user['role']}) hamlets {','.join(user['hamlet_ids'])}")
    return 0


def cmd_demo(settings: Settings, args) -> int:
    from gocua import demo

    engine = _engine(settings)
    schema.upgrade(engine)
    commune = demo.generate(args.households, seed=args.seed)
    admin.load_areas(engine, commune.areas)
    logins = []
    leader = next(u for u in commune.users if u["role"] == "leader")
    volunteers = [u for u in commune.users if u["role"] == "volunteer"][:3]
    for user in [leader, *volunteers]:
        admin.add_user(
            engine,
            settings,
            user["username"],
            DEMO_PASSWORD,
            user["role"],
            commune_id=user["commune_id"],
            hamlet_ids=user["hamlet_ids"],
            display_name=user["display_name"],
            user_id=user["id"],
        )
        logins.append(user)
    with engine.connect() as conn:
        present = conn.execute(
            sa.select(sa.func.count())
            .select_from(records_t)
            .where(records_t.c.commune_id == demo.COMMUNE["id"])
        ).scalar_one()
    if present:
        print(f"demo commune already has {present} rows; left as it is")
    else:
        count = admin.bulk_load(engine, commune.rows())
        print(f"demo commune {demo.COMMUNE['name']}: {count} rows")
    print(f"database: {settings.database_url}")
    print(f"logins (password for all: {DEMO_PASSWORD}):")
    for user in logins:
        hamlets = ", ".join(user["hamlet_ids"]) or "whole commune"
        print(f"  {user['username']:<12} {user['role']:<10} {user['display_name']} ({hamlets})")
    return 0


def cmd_snapshot(settings: Settings, args) -> int:
    import datetime as dt

    engine = _engine(settings)
    schema.upgrade(engine)
    day = dt.date.fromisoformat(args.day) if args.day else snapshots.today()
    taken = run_transaction(engine, lambda conn: snapshots.take(conn, day))
    print(f"snapshot of {day}: {'taken' if taken else 'already taken'}")
    return 0


def cmd_rebuild_tallies(settings: Settings, args) -> int:
    engine = _engine(settings)
    schema.upgrade(engine)
    communes = [c.strip() for c in (args.commune or "").split(",") if c.strip()] or None
    if args.check:
        differences = tallies.check(engine, communes)
        for commune, keys in sorted(differences.items()):
            print(f"commune {commune}: {len(keys)} tallies differ from the records")
        print("tallies match the records" if not differences else "run rebuild-tallies")
        return 1 if differences else 0
    count = tallies.rebuild(
        engine, communes, progress=lambda c, n: print(f"commune {c}: {n} tallies", flush=True)
    )
    print(f"{count} tallies rebuilt from the records")
    return 0


def cmd_serve(settings: Settings, args) -> int:
    import uvicorn

    engine = _engine(settings)
    schema.upgrade(engine)
    engine.dispose()
    # Worker processes build the app from the environment, so hand the settings over there.
    os.environ["GOCUA_DATABASE_URL"] = settings.database_url
    workers = args.workers or settings.workers
    if workers > 1 and settings.database_url.startswith("sqlite"):
        print("SQLite serves from one process; ignoring --workers", file=sys.stderr)
        workers = 1
    uvicorn.run(
        "server.api:serving_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port if args.port is not None else settings.port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=args.access_log,
        http="server.http_protocol:NoDelayProtocol",
    )
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gocua-server", description="The Gõ Cửa sync server.")
    sub = top.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--database", metavar="URL", help="SQLAlchemy URL of the database")
        p.set_defaults(func=func)
        return p

    command("init", cmd_init, "create or upgrade the schema")
    command("new-epoch", cmd_new_epoch, "give the database a new epoch (after a restore)")
    p = command("load-areas", cmd_load_areas, 'load {"areas": [{id, kind, name, parent_id}]}')
    p.add_argument("file")
    p = command("add-user", cmd_add_user, "create or update a user; password on stdin")
    p.add_argument("username")
    p.add_argument(
        "--role", required=True, choices=("volunteer", "leader", "commune_admin", "province_viewer")
    )
    p.add_argument("--commune")
    p.add_argument("--hamlets", help="comma-separated hamlet ids (volunteers)")
    p.add_argument("--province")
    p.add_argument("--display-name")
    p = command("add-hamlet", cmd_add_hamlet, "add a hamlet to a commune; prints its id")
    p.add_argument("--commune", required=True, metavar="ID")
    p.add_argument("--id", metavar="ID", help="the new hamlet's id (default: COMMUNE-nn)")
    p.add_argument("name", metavar="NAME")
    p = command("set-hamlets", cmd_set_hamlets, "set the hamlets of a volunteer")
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("hamlets", metavar="ID,ID", help="comma-separated hamlet ids")
    p = command("snapshot", cmd_snapshot, "keep today's tallies for the web view (cron, daily)")
    p.add_argument("--day", metavar="YYYY-MM-DD", help="the day to file them under (today)")
    p = command(
        "rebuild-tallies", cmd_rebuild_tallies, "recompute the coverage tallies from the records"
    )
    p.add_argument("--commune", metavar="ID,ID", help="only these communes")
    p.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    p = command("serve", cmd_serve, "serve the API and the web view")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)
    p.add_argument("--access-log", action="store_true")
    p = command("demo", cmd_demo, "a demo commune with one leader and three volunteers")
    p.add_argument("--households", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env(database_url=args.database)
    try:
        return args.func(settings, args)
    except ApiError as error:  # AdminError, and any other refusal of the shared rules
        print(f"gocua-server: {error.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
