"""The ``gocua`` command: the app, and subcommands for headless work.

``gocua`` alone opens the window. ``gocua demo``, ``gocua stats`` and ``gocua search`` work
on a profile's database file without a display.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from gocua import __version__

STARTED = time.perf_counter()  # the app's start-up probe counts from here


def _open_store(path: str):
    from desktop.store import Store

    if not Path(path).exists():
        raise SystemExit(f"gocua: {path}: no such database")
    return Store.open(path)


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.demo_profile import create_demo_profile

    started = time.perf_counter()
    try:
        commune = create_demo_profile(args.db, args.households, seed=args.seed)
    except FileExistsError as exc:
        print(f"gocua: {exc}", file=sys.stderr)
        return 1
    print(
        f"{args.db}: {len(commune.hamlets)} hamlets, {len(commune.households)} households, "
        f"{len(commune.persons)} persons, {len(commune.support_items)} support items, "
        f"{len(commune.visits)} visits in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from desktop.reports.tables import coverage_table, render_text_table

    store = _open_store(args.db)
    try:
        year = int(args.period[:4]) if args.period else dt.date.today().year
        headers, rows = coverage_table(store, year, lang=args.lang)
    finally:
        store.close()
    print(render_text_table(headers, rows))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """The commune's (or a hamlet's) figures as the text pasted into its Zalo group."""
    from desktop.reports.zalo import zalo_text
    from gocua.catalogue import default_catalogue
    from gocua.dates import now_vn

    store = _open_store(args.db)
    try:
        today = now_vn().date()
        with store.read() as conn:
            print(
                zalo_text(
                    conn,
                    default_catalogue(),
                    args.period or str(today.year),
                    today,
                    hamlet_id=args.hamlet,
                )
            )
    finally:
        store.close()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from desktop.store.search import search_persons

    store = _open_store(args.db)
    try:
        with store.read() as conn:
            hits = search_persons(conn, " ".join(args.text), limit=args.limit)
    finally:
        store.close()
    for hit in hits:
        born = hit.birth_date or "?"
        print(f"{hit.full_name}\t{born}\t{hit.address}\t{hit.hamlet_name}")
    if not hits:
        print("Không tìm thấy ai. / Nobody found.", file=sys.stderr)
    return 0


# Exit codes of ``gocua sync``: scripts and support staff tell the outcomes apart.
EXIT_OK, EXIT_ERROR, EXIT_JOIN, EXIT_HELD = 0, 2, 3, 4


def cmd_new(args: argparse.Namespace) -> int:
    """An offline profile, as the first-run dialog makes it: the commune and its hamlets typed."""
    from desktop.store import Store
    from desktop.store.areas import create_offline_areas

    path = Path(args.db)
    if path.exists():
        print(f"gocua: {path}: đã có / already exists", file=sys.stderr)
        return 1
    hamlets = [h for h in (args.hamlets or "").split(",") if h.strip()]
    store = Store.open(path)
    try:
        with store.write() as conn:
            create_offline_areas(conn, args.commune, hamlets)
    finally:
        store.close()
    print(f"{path}: {args.commune}, {len(hamlets)} ấp/thôn")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from desktop.sync import errors
    from desktop.sync.session import SyncSession

    store = _open_store(args.db) if Path(args.db).exists() else _create_store(args.db)
    session = SyncSession(store)
    try:
        mapping = _parse_maps(args.map or [])
        if not session.is_signed_in() or session.server_url != args.server.rstrip("/"):
            _sign_in(session, args)
        if args.same_commune:
            session.accept_commune(args.same_commune)
        if args.join:
            joined = _join(session, mapping, args.create_missing)
            if joined is not None:
                print(joined)
        report = session.sync(progress=_print_progress if args.verbose else None)
    except errors.JoinRequired as needed:
        print(needed.plan.text_vi())
        print(
            "Hồ sơ chưa ghép với xã trên máy chủ: chưa gửi gì. Chạy lại với --join "
            '(và --map "TÊN ẤP=MÃ ẤP" để đổi một cặp). / Not joined yet: nothing sent; '
            "run again with --join.",
            file=sys.stderr,
        )
        return EXIT_JOIN
    except errors.SyncError as exc:
        print(f"gocua sync: {exc.message_vi} ({exc})", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:  # a --map naming no local hamlet or no server hamlet
        print(f"gocua sync: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        totals = _counts(store)
    finally:
        store.close()
    print(
        f"pushed {report.pushed} (held {report.held}, rejected {report.rejected}, "
        f"conflicts {report.conflicts}, sent again {report.released}); "
        f"pulled {report.pulled}, deleted {report.deleted}, evicted {report.evicted}"
        + (f", kept {report.kept} with unsent changes" if report.kept else "")
        + ("; full pull" if report.full_pull else "")
        + ("" if report.checksum_ok is not False else "; CHECKSUM MISMATCH: next sync pulls all")
        + f" in {report.seconds:.2f} s"
    )
    if report.join_offer is not None:
        print("Còn ấp chưa ghép (--join để ghép): / Hamlets still unmatched:")
        print(report.join_offer.text_vi())
    if totals.held or totals.rejected:
        print(
            f"Đang giữ {totals.held}, bị từ chối {totals.rejected} bản ghi "
            f"(gocua status --db {args.db}). / {totals.held} held, {totals.rejected} refused.",
            file=sys.stderr,
        )
        return EXIT_HELD
    return EXIT_OK


def _sign_in(session, args: argparse.Namespace) -> None:
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass(f"Mật khẩu của {args.user} / password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    signed = session.sign_in(args.server, args.user, password)
    if not signed.token_saved:
        print(
            "Lưu ý: máy này không có kho khóa bảo mật; lần sau cần nhập lại mật khẩu. "
            "/ No secure keyring here: the password is asked again next time.",
            file=sys.stderr,
        )


def _parse_maps(maps: list[str]) -> dict[str, str]:
    """``--map "LOCAL NAME=SERVER_ID"``: the local hamlet by its typed name (or local id)."""
    found = {}
    for item in maps:
        name, sep, server_id = item.partition("=")
        if not sep or not name.strip() or not server_id.strip():
            raise ValueError(f'--map {item!r}: expected "TÊN ẤP=MÃ ẤP" (LOCAL NAME=SERVER_ID)')
        found[name.strip()] = server_id.strip()
    return found


def _join(session, names: dict[str, str], create_missing: bool) -> str | None:
    """Join (or match the hamlets still unmatched) with the automatic matches, ``names``
    overriding them; returns what was done, None when there was nothing to join."""
    from desktop.sync import errors
    from desktop.sync.join import JoinPlan

    plan: JoinPlan | None = session.plan_join()
    if plan is None:
        return None
    mapping: dict[str, str | None] = plan.default_mapping()
    by_name = {h.name: h.id for h in plan.hamlets} | {h.id: h.id for h in plan.hamlets}
    for name, server_id in names.items():
        if name not in by_name:
            raise ValueError(f"--map: {name!r} is not a local hamlet of this profile")
        if server_id == "-":
            mapping[by_name[name]] = None  # leave it unmatched
            continue
        if plan.server_name(server_id) is None:
            raise ValueError(f"--map: {server_id!r} is not a hamlet of {plan.commune_name}")
        mapping[by_name[name]] = server_id
    create = ()
    if create_missing:
        if not plan.can_create:
            raise errors.Forbidden("only leaders and commune admins create hamlets")
        create = tuple(local for local, target in mapping.items() if target is None)
    result = session.join(plan, mapping, create=create)
    return (
        f"Đã ghép {result.matched} ấp ({result.households} hộ), tạo mới {len(create)}, "
        f"còn {result.unmatched} ấp chưa ghép. / Joined {result.matched} hamlets, "
        f"created {len(create)}, {result.unmatched} unmatched."
    )


def _counts(store):
    from desktop.sync.held import counts

    with store.read() as conn:
        return counts(conn)


def cmd_status(args: argparse.Namespace) -> int:
    """Unsent, held and refused changes of a profile (``--json`` for scripts)."""
    import json

    from desktop.store.areas import commune_name, joined_commune, local_hamlets
    from desktop.sync.held import counts, held_list

    store = _open_store(args.db)
    try:
        with store.read() as conn:
            totals = counts(conn)
            rows = held_list(conn)
            status = {
                "unsent": totals.unsent,
                "held": totals.held,
                "rejected": totals.rejected,
                "commune_id": joined_commune(conn),
                "commune_name": commune_name(conn),
                "unmatched_hamlets": [h.name for h in local_hamlets(conn)],
                "rows": [row.as_dict() for row in rows],
            }
    finally:
        store.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    print(f"Xã / commune: {status['commune_name'] or '-'} ({status['commune_id'] or 'chưa ghép'})")
    print(f"Chưa gửi / unsent: {totals.unsent}")
    print(f"Đang giữ / held: {totals.held}")
    print(f"Bị từ chối / refused: {totals.rejected}")
    if status["unmatched_hamlets"]:
        print("Ấp chưa ghép / unmatched hamlets: " + ", ".join(status["unmatched_hamlets"]))
    for row in rows:
        print("  " + row.text_vi())
    return 0


def _create_store(path: str):
    from desktop.store import Store

    return Store.open(path)


def _print_progress(phase: str, done: int, total: int | None) -> None:
    print(f"{phase}: {done}" + (f"/{total}" if total else ""), file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    """Coverage tallies for the commune meeting as XLSX, PDF or CSV (logged in the profile)."""
    from desktop.reports.exports import export
    from gocua.validation import ValidationFailed

    pdf_writer = None
    if args.format == "pdf":
        from desktop.ui.reports_pdf import write_pdf as pdf_writer
    store = _open_store(args.db)
    started = time.perf_counter()
    try:
        result = export(
            store,
            args.format,
            args.out,
            period=args.period,
            hamlet_ids=args.hamlet or None,
            unmask=args.unmask,
            pdf_writer=pdf_writer,
        )
    except ValidationFailed as failed:
        print("gocua: " + "; ".join(e.message_vi for e in failed.errors), file=sys.stderr)
        return 1
    finally:
        store.close()
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    masked = "không che CCCD/SĐT" if args.unmask else "CCCD/SĐT đã che"
    print(f"{result.path}: {counts} ({masked}) in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Households and persons from a household list (.xlsx, .xls, .ods, .csv); prints the
    per-row report first (``--json``: every source row's fate, for scripts)."""
    import json

    from desktop.reports.importer import (
        CREATE,
        ImportFileError,
        commit_plan,
        plan_import,
        plan_json,
        read_workbook,
        report_vi,
    )
    from desktop.services import Services
    from gocua.areas import area_key
    from gocua.validation import ValidationFailed

    try:
        book = read_workbook(args.file)
    except ImportFileError as exc:
        print(f"gocua: {exc.message_vi}", file=sys.stderr)
        return 1
    choices = {}
    for spec in args.map_hamlet or []:
        name, _, target = spec.partition("=")
        choices[area_key(name)] = CREATE if target == "new" else target
    store = _open_store(args.db)
    try:
        with store.read() as conn:
            plan = plan_import(conn, book, hamlet_id=args.hamlet, hamlet_choices=choices)
        if args.json:
            print(json.dumps(plan_json(plan), ensure_ascii=False, indent=1))
        else:
            print(report_vi(plan, skipped=args.verbose))
        if args.dry_run:
            if not args.json:
                print("(--dry-run: chưa ghi gì / nothing written)")
            return 0
        if not plan.writes:
            print("gocua: không có gì để nhập / nothing to import", file=sys.stderr)
            return 1
        outcome = commit_plan(Services(store), plan)
    except ImportFileError as exc:
        print(f"gocua: {exc.message_vi}", file=sys.stderr)
        return 1
    except ValidationFailed as failed:
        print(
            "gocua: không nhập gì (lỗi: "
            + "; ".join(f"{e.field}: {e.message_vi}" for e in failed.errors)
            + ")",
            file=sys.stderr,
        )
        return 1
    finally:
        store.close()
    done = f"Đã nhập {outcome.persons} người mới trong {len(outcome.household_ids)} hộ mới"
    if outcome.changed or outcome.households_changed:
        done += f", cập nhật {outcome.changed} người và {outcome.households_changed} hộ"
    if outcome.hamlets_created:
        done += f", tạo {outcome.hamlets_created} ấp mới"
    print(done + ".", file=sys.stderr if args.json else sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gocua", description="Gõ Cửa")
    parser.add_argument("--version", action="version", version=f"Gõ Cửa {__version__}")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="create a demo commune in a new database")
    demo.add_argument("--db", required=True)
    demo.add_argument("--households", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(func=cmd_demo)

    stats = sub.add_parser("stats", help="coverage per hamlet and indicator")
    stats.add_argument("--db", required=True)
    stats.add_argument("--period", help="YYYY or YYYY-Qn (default: this year)")
    stats.add_argument("--lang", choices=("vi", "en"), default="vi")
    stats.set_defaults(func=cmd_stats)

    summary = sub.add_parser("summary", help="coverage as a short text for the Zalo group")
    summary.add_argument("--db", required=True)
    summary.add_argument("--hamlet", help="a hamlet's id (default: the whole commune)")
    summary.add_argument("--period", help="YYYY or YYYY-Qn (default: this year)")
    summary.set_defaults(func=cmd_summary)

    search = sub.add_parser("search", help="find persons (accent-insensitive)")
    search.add_argument("--db", required=True)
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("text", nargs="+")
    search.set_defaults(func=cmd_search)
    new = sub.add_parser("new", help="an offline profile: its commune and hamlets typed")
    new.add_argument("--db", required=True)
    new.add_argument("--commune", required=True)
    new.add_argument("--hamlets", default="", help='comma-separated names, e.g. "Ấp A,Ấp B"')
    new.set_defaults(func=cmd_new)

    sync = sub.add_parser(
        "sync",
        help="push and pull with the server (password on stdin)",
        description="Exit status: 0 synced, nothing held or refused; 2 error; 3 the profile "
        "must join its commune first (the plan is printed, nothing sent); 4 synced, with rows "
        "held or refused (gocua status).",
    )
    sync.add_argument("--db", required=True)
    sync.add_argument("--server", required=True, help="e.g. https://gocua.example.vn")
    sync.add_argument("--user", required=True)
    sync.add_argument(
        "--join",
        action="store_true",
        help="join the server's commune (or match the hamlets still unmatched), then sync",
    )
    sync.add_argument(
        "--map",
        action="append",
        metavar="LOCAL NAME=SERVER_ID",
        help='with --join: map a local hamlet to a server hamlet ("NAME=-" leaves it unmatched)',
    )
    sync.add_argument(
        "--create-missing",
        action="store_true",
        help="with --join: create the unmatched hamlets on the server (leaders, admins)",
    )
    sync.add_argument(
        "--same-commune",
        metavar="COMMUNE_ID",
        help="the account's commune is the profile's though the names differ (renamed, merged)",
    )
    sync.add_argument("-v", "--verbose", action="store_true")
    sync.set_defaults(func=cmd_sync)

    status = sub.add_parser("status", help="unsent, held and refused changes of a profile")
    status.add_argument("--db", required=True)
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)

    export = sub.add_parser("export", help="coverage report as XLSX, PDF or CSV")
    export.add_argument("--db", required=True)
    export.add_argument("--format", required=True, choices=("xlsx", "pdf", "csv"))
    export.add_argument("--out", required=True)
    export.add_argument("--period", help="YYYY or YYYY-Qn (default: this year)")
    export.add_argument("--hamlet", action="append", help="hamlet id (repeat for several)")
    export.add_argument("--unmask", action="store_true", help="show CCCD and phone numbers")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import", help="households and persons from a household list (.xlsx, .xls, .ods, .csv)"
    )
    imp.add_argument("--db", required=True)
    imp.add_argument("file")
    imp.add_argument("--hamlet", help="hamlet id for households nothing else places")
    imp.add_argument(
        "--map-hamlet",
        action="append",
        metavar="NAME=ID|new",
        help="an unknown hamlet of the list: an existing hamlet's id, or 'new' to create it "
        "(profiles not joined yet)",
    )
    imp.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    imp.add_argument("--json", action="store_true", help="every source row's fate as JSON")
    imp.add_argument("--verbose", action="store_true", help="list skipped rows too")
    imp.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--selftest"]:
        from desktop.ui.selftest import run_selftest

        return run_selftest()
    parser = build_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        from desktop.ui.app import main as run_app

        return run_app(argv, started=STARTED)
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.ui.app import main as run_app

        return run_app([], started=STARTED)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
