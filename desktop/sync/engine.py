"""The device side of SYNC.md: hello, push the outbox, pull the change feed.

No Qt: progress and cancel go through plain callables, so the same engine runs in the app's
background thread, in ``gocua sync`` and in tests. Every step that changes the store is one
transaction (a pulled page and its cursor; a push batch's results), so a killed process
resumes where it stopped and nothing is applied twice.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, select, update

from desktop.store import Store, bulk, deferred_indexes
from desktop.store.areas import local_commune, local_hamlets
from desktop.store.identity import LEADER_ROLES, load_clock, save_clock, signed_in_role
from desktop.store.rows import OUTBOX, has_pending, now_utc, pending_count
from desktop.store.schema import SYNCED_TABLES
from desktop.store.state_keys import (
    CLIENT_ID,
    COMMUNE_ID,
    CURSOR,
    EPOCH,
    FULL_PULL,
    HELLO_APP_VERSION,
    HELLO_AT,
    HELLO_DIRECTORY,
    HELLO_EXTENSIONS,
    LAST_SYNC_AT,
    LOCAL_USER_ID,
    MUTATION_OFFSET,
    PULL_RATE,
    SCOPE_HAMLETS,
    USER_ID,
)
from desktop.sync import errors, join
from desktop.sync.apply import (
    MARKS,
    apply_changes,
    drop_released,
    has_synced_rows,
    local_checksums,
    sweep_unmarked,
)
from desktop.sync.client import SyncClient
from desktop.sync.held import (
    WriteScope,
    has_refused,
    held_row_ids,
    release_ready,
    settle_rejected,
    state_for,
)
from desktop.sync.join import JoinPlan
from gocua import __version__, hlc

log = logging.getLogger(__name__)

# A full pull into a store that holds synced rows marks every row it receives, so that those it
# did not send (deleted or out of scope before its snapshot) are swept at the end. One that
# began with none, a first pull, needs neither: every synced row then came from its own pages
# (writing and sweeping ~142,000 marks cost ~1.5 s of a 20,000-person first pull).
MARKING, FROM_EMPTY = "1", "empty"
KEEP_ACKED_DAYS = 30
PUSH_BATCH = 500
RELEASE_PASSES = 4  # pushes per sync while held rows keep becoming ready
# Pages of at most 5,000 (the server's maximum): a first pull of ~145,000 rows took 10.2 s in
# pages of 1,000 and 7.4 s in pages of 5,000 on loopback (fewer commits, fewer round trips).
PULL_PAGE = 5000
# On a slow link a page is sized to take about PAGE_SECONDS (desktop.sync.engine.PageSizer):
# short enough that a cut or a cancel loses little and the user's own requests wait little
# behind it (desktop.sync.share), long enough that the round trip per page costs little.
PAGE_SECONDS = 2.0
FIRST_PAGE = 1000  # before anything was measured: about 2 s on a 2G line
MIN_PAGE = 100
# What hello answered, kept so that a sync with nothing to do is one checked pull
# (docs/protocol.md, "Checked pulls"); hello again when it says so, after an app update, and
# at least daily.
HELLO_EVERY = dt.timedelta(hours=24)

# progress(phase, done, total) or progress(phase, done, total, seconds_left): a callback that
# takes a fourth argument is given the engine's estimate of the seconds left (None: unknown).
Progress = Callable[..., None]


def takes_estimate(callback: Callable) -> bool:
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 4 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class PageSizer:
    """Rows a second, measured page by page, and the page that takes about PAGE_SECONDS.

    A page's time is its request's, from sending to its last byte (round trip, the server's
    work, the transfer): with a fixed cost per page the sizes settle where a page takes
    PAGE_SECONDS on 3G, 2G or an office line alike. ``fixed``: always that size (tests)."""

    def __init__(self, fixed: int | None, rate: float | None):
        self.fixed = fixed
        self.rate = rate  # rows per second, None until measured

    def limit(self) -> int:
        if self.fixed is not None:
            return self.fixed
        if self.rate is None:
            return FIRST_PAGE
        return max(MIN_PAGE, min(PULL_PAGE, int(self.rate * PAGE_SECONDS)))

    def measured(self, rows: int, seconds: float, limit: int) -> None:
        if seconds <= 0 or rows < min(limit, MIN_PAGE):
            return  # a short last page says little about the link
        rate = rows / seconds
        self.rate = rate if self.rate is None else 0.5 * self.rate + 0.5 * rate

    def seconds_for(self, rows: int) -> float | None:
        return None if not self.rate else rows / self.rate


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    deleted: int = 0
    evicted: int = 0
    kept: int = 0
    swept: int = 0
    full_pull: bool = False
    checksum_ok: bool | None = None
    epoch_changed: bool = False
    held: int = 0  # mutations refused for a cause the device can fix (desktop.sync.held)
    released: int = 0  # held rows queued again once their cause was gone
    # A joined profile that still has hamlets of its own: what a join would do now.
    join_offer: JoinPlan | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


_SAVE_RESULT = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("b_id"))
    .values(
        state=bindparam("b_state"),
        result_status=bindparam("b_status"),
        result_code=bindparam("b_code"),
        result_message=bindparam("b_message"),
    )
)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        page_size: int | None = None,
        push_batch: int = PUSH_BATCH,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        """``page_size``: a fixed pull page; None sizes pages to the link (PageSizer)."""
        self.store = store
        self.client = client
        self.page_size = page_size
        self.push_batch = push_batch
        callback = progress or (lambda phase, done, total: None)
        if takes_estimate(callback):
            self.progress = callback
        else:
            self.progress = lambda phase, done, total, seconds_left=None: callback(
                phase, done, total
            )
        self.cancelled = cancelled or (lambda: False)
        self.today = today
        self.client_id: str | None = None
        self.epoch: str | None = None
        self.scope = WriteScope(frozenset(), False)
        self.extensions: frozenset[str] = frozenset()
        self.directory: str | None = None
        self.hellos = 0  # hello requests this engine made (a no-op sync makes none)
        self.fresh = False  # this sync said hello (else it runs on an earlier hello's answer)

    # -- the whole round ----------------------------------------------------------------------

    def sync(self) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport()
        resumed = self.resume()  # hello's answer kept: no hello unless the server says so
        if not resumed:
            self.hello(report)
        for _ in range(3):  # an epoch change mid-round restarts the round, at most twice
            try:
                self.push_all(report)
                with self.store.write() as conn:
                    # Rows kept past their eviction for unsent changes go once those are sent.
                    report.evicted += drop_released(conn)
                self.pull(report)
                if self._release(report):
                    # What the pull brought back (a parent, the scope's households) freed held
                    # rows: send them, and pull their new versions so the copy stays whole.
                    self.push_all(report)
                    self.pull(report)
                break
            except errors.EpochMismatch:
                report.notes.append("epoch changed during sync")
                self.hello(report)
            except errors.ExtensionsRefused:
                # An older server than its hello said (downgraded): plain requests from now.
                report.notes.append("server refused the extensions")
                with self.store.write() as conn:
                    HELLO_EXTENSIONS.set(conn, None)
                self.hello(report)
            except errors.ClientMismatch:
                if not resumed:
                    raise
                # The server lost this device's registration: hello registers it again.
                resumed = False
                self.hello(report)
        else:
            raise errors.ProtocolError("the server's epoch keeps changing")
        with self.store.write() as conn:
            self._purge_acked(conn)
            LAST_SYNC_AT.set(conn, now_utc())
        report.seconds = time.perf_counter() - started
        return report

    def _check_cancel(self) -> None:
        if self.cancelled():
            raise errors.Cancelled()

    def _observe(self, conn: Connection, server_hlc: str | None) -> None:
        if server_hlc and hlc.is_valid(server_hlc):
            clock = load_clock(conn)
            clock.observe(server_hlc)
            save_clock(conn, clock)

    # -- hello --------------------------------------------------------------------------------

    def resume(self) -> bool:
        """Take up what the last hello answered, when it may stand for this sync's: the server
        has checked pulls, the app is the same version, the last hello is under a day old and
        the profile has nothing of its own to join. False: this sync must say hello."""
        with self.store.read() as conn:
            client_id, epoch = CLIENT_ID.get(conn), EPOCH.get(conn)
            extensions = frozenset(HELLO_EXTENSIONS.get(conn) or [])
            directory = HELLO_DIRECTORY.get(conn)
            version, said = HELLO_APP_VERSION.get(conn), HELLO_AT.get(conn)
            hamlets = SCOPE_HAMLETS.get(conn)
            role = signed_in_role(conn)
            if not (client_id and epoch and directory and said and role) or hamlets is None:
                return False
            if "checked_pull" not in extensions or version != __version__:
                return False
            try:
                age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(said)
            except ValueError:
                return False
            if not dt.timedelta(0) <= age < HELLO_EVERY:
                return False
            if local_commune(conn) is not None or local_hamlets(conn):
                return False  # hello's answer plans the join (desktop.sync.join)
        self.client_id, self.epoch = client_id, epoch
        self.extensions, self.directory = extensions, directory
        leader = role in LEADER_ROLES
        self.scope = WriteScope(None if leader else frozenset(h for h in hamlets if h), leader)
        return True

    def hello(self, report: SyncReport) -> dict:
        with self.store.read() as conn:
            sent_client = CLIENT_ID.get(conn)
        answer = self.client.hello(sent_client)
        self.hellos += 1
        self.fresh = True
        user = answer["user"]
        with self.store.read() as conn:
            # Before anything is written: an account of another commune changes nothing, and a
            # profile made offline sends nothing before it has joined (desktop.sync.join).
            join.check_commune(conn, user, areas=tuple(answer.get("areas", [])))
            plan = join.plan_join(conn, answer)
        if plan is not None and plan.first_join:
            with self.store.write() as conn:
                CLIENT_ID.set(conn, answer["client_id"])  # one device on the server
            raise errors.JoinRequired(plan)
        report.join_offer = plan
        self.scope = WriteScope(
            None if user.get("role") in LEADER_ROLES else frozenset(user.get("hamlet_ids") or []),
            user.get("role") in LEADER_ROLES,
        )
        with self.store.write() as conn:
            self.client_id = answer["client_id"]
            self.epoch = answer["epoch"]
            old_epoch = EPOCH.get(conn)
            bulk.insert_areas(conn, answer.get("areas", []))
            bulk.insert_users(conn, answer.get("users", []))
            if user.get("commune_id"):
                COMMUNE_ID.set(conn, user["commune_id"])
            old_hamlets = SCOPE_HAMLETS.get(conn)
            new_hamlets = sorted(user.get("hamlet_ids") or [])
            SCOPE_HAMLETS.set(conn, new_hamlets)
            self._adopt_identity(conn, self.client_id, user["id"])
            restored = old_epoch is not None and old_epoch != self.epoch
            reregistered = sent_client is not None and sent_client != self.client_id
            if restored or reregistered:
                # The server may have lost what we sent: send again everything we still hold
                # past what it says it has, and rebuild our copy from a full pull.
                report.epoch_changed = True
                self._requeue_after(conn, int(answer.get("last_mutation_id") or 0))
                self._restart_full_pull(conn)
            elif old_hamlets is not None and old_hamlets != new_hamlets:
                report.notes.append("scope changed")
            EPOCH.set(conn, self.epoch)
            self._observe(conn, answer.get("server_hlc"))
            # Kept for the syncs that need no hello (resume); an older server lists no
            # extensions, and every sync with it says hello as before.
            self.extensions = frozenset(answer.get("extensions") or ())
            self.directory = answer.get("directory")
            HELLO_EXTENSIONS.set(conn, sorted(self.extensions) or None)
            HELLO_DIRECTORY.set(conn, self.directory)
            HELLO_APP_VERSION.set(conn, __version__)
            HELLO_AT.set(conn, now_utc())
        return answer

    def _adopt_identity(self, conn: Connection, client_id: str, user_id: str) -> None:
        """Make unsent work carry the real user and clock node once the server names them."""
        CLIENT_ID.set(conn, client_id)
        USER_ID.set(conn, user_id)
        local_user = LOCAL_USER_ID.get(conn)
        node = hlc.node_for_client(client_id)
        pending = conn.execute(
            select(OUTBOX.c.id, OUTBOX.c.hlc, OUTBOX.c.table_name, OUTBOX.c.fields).where(
                OUTBOX.c.state == "pending"
            )
        ).all()
        visits = SYNCED_TABLES["visits"]
        for mutation_id, stamp, table, fields in pending:
            values: dict = {}
            if not stamp.endswith(node):
                values["hlc"] = stamp[: -len(node)] + node
            if table == "visits" and local_user and fields.get("volunteer_id") == local_user:
                values["fields"] = {**fields, "volunteer_id": user_id}
            if values:
                conn.execute(update(OUTBOX).where(OUTBOX.c.id == mutation_id).values(**values))
        if local_user:
            conn.execute(
                update(visits)
                .where(visits.c.volunteer_id == local_user)
                .values(volunteer_id=user_id)
            )

    def _offset(self, conn: Connection) -> int:
        return MUTATION_OFFSET.get(conn) or 0

    def _requeue_after(self, conn: Connection, server_last: int) -> None:
        """Mark kept acknowledged mutations the server does not have as pending again."""
        offset = self._offset(conn)
        conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.state == "acked", OUTBOX.c.id > server_last + offset)
            .values(state="pending")
        )
        first = conn.execute(
            select(OUTBOX.c.id).where(OUTBOX.c.state == "pending").order_by(OUTBOX.c.id).limit(1)
        ).scalar()
        if first is not None and first - offset > server_last + 1:
            # Older mutations were purged: number what we have right after what it has.
            MUTATION_OFFSET.set(conn, first - server_last - 1)

    def _restart_full_pull(self, conn: Connection) -> None:
        CURSOR.set(conn, None)
        FULL_PULL.set(conn, MARKING if has_synced_rows(conn) else FROM_EMPTY)
        conn.execute(delete(MARKS))

    # -- push -----------------------------------------------------------------------------------

    def push_all(self, report: SyncReport) -> None:
        """Push, and again while held rows became ready meanwhile: a household released by
        this push frees its persons for the next (at most a few passes; what is left goes
        with the next sync)."""
        self._release(report)
        for _ in range(RELEASE_PASSES):
            held = report.held
            self.push(report)
            if report.held > held and not self.fresh:
                # Refused for a cause the device can fix, on hello's answer of an earlier
                # sync: the user's hamlets may have changed. Ask before sending any again.
                self.hello(report)
            if not self._release(report):
                break

    def _release(self, report: SyncReport) -> int:
        with self.store.write() as conn:
            released = release_ready(conn, self.scope)
        report.released += released
        return released

    def push(self, report: SyncReport) -> None:
        """Send the outbox in id order, a batch at a time. The next batch is read from the
        store while the server works on this one, goes out as soon as this one's answer
        arrives, and this one's results are saved while the server works on the next: reading
        and saving 500 outbox rows was about a quarter of each round here, and the server sat
        idle while the next batch was read.
        Safe: one batch is in flight at a time (the server sees ids in order), and a crash
        before a batch's results are saved only means it is sent again, answered as
        ``duplicate`` with the stored results."""
        gaps = 0
        with self.store.read() as conn:
            total = pending_count(conn)
        if not total:
            return
        done = 0
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gocua-push") as sender:
            while True:
                self._check_cancel()
                batch, offset = self._read_batch(after=None)
                if not batch:
                    return
                in_flight = sender.submit(self.client.push, self.client_id, self.epoch, batch)
                try:
                    while batch:
                        sent = batch
                        batch = (
                            []
                            if self.cancelled()
                            else self._read_batch(after=sent[-1]["id"] + offset)[0]
                        )
                        answer = in_flight.result()
                        if batch and self.cancelled():
                            batch = []
                        if batch:
                            in_flight = sender.submit(
                                self.client.push, self.client_id, self.epoch, batch
                            )
                        self._save_results(answer, offset, sent, report)  # kept at once
                        done += len(sent)
                        elapsed = time.monotonic() - started
                        left = (total - done) * elapsed / done if done and elapsed > 0 else None
                        self.progress("push", done, total, left)
                    self._check_cancel()
                    return
                except errors.MutationGap as gap:
                    gaps += 1
                    if gaps > 2:
                        raise
                    with self.store.write() as conn:
                        self._requeue_after(conn, gap.expected - 1)

    def _read_batch(self, after: int | None) -> tuple[list[dict], int]:
        """The next pending mutations (after outbox id ``after``), as the wire has them."""
        with self.store.read() as conn:
            offset = self._offset(conn)
            query = select(OUTBOX).where(OUTBOX.c.state == "pending")
            if after is not None:
                query = query.where(OUTBOX.c.id > after)
            rows = conn.execute(query.order_by(OUTBOX.c.id).limit(self.push_batch)).mappings()
            batch = [
                {
                    "id": m["id"] - offset,
                    "hlc": m["hlc"],
                    "table": m["table_name"],
                    "row_id": m["row_id"],
                    "op": m["op"],
                    "base_version": m["base_version"],
                    "fields": m["fields"] if m["op"] == "upsert" else {},
                }
                for m in rows
            ]
        return batch, offset

    def _save_results(
        self, answer: dict, offset: int, sent: list[dict], report: SyncReport
    ) -> None:
        acked_at = now_utc()
        by_id = {m["id"]: m for m in sent}
        results = answer.get("results", [])
        refused = [r for r in results if r["status"] == "rejected" or r.get("code")]
        rows, accepted = [], []
        with self.store.write() as conn:
            # A refusal the device can fix is held, and so is any later refusal of a row held
            # already (desktop.sync.held): nothing the volunteer made is dropped.
            held = held_row_ids(
                conn, [by_id[r["id"]]["row_id"] for r in refused if r["id"] in by_id]
            )
            for result in results:
                status = result["status"]
                if status == "duplicate" and result.get("code"):
                    status = "rejected"  # the answer to a refusal was lost: it still counts
                mutation = by_id.get(result["id"], {})
                row_id = mutation.get("row_id")
                if status == "rejected":
                    state = state_for(result.get("code"), row_id in held)
                    if state == "held":
                        held.add(row_id)
                else:
                    state = "acked"
                    if mutation:
                        accepted.append(
                            (result["id"] + offset, row_id, mutation["op"], mutation["fields"])
                        )
                rows.append(
                    {
                        "b_id": int(result["id"]) + offset,
                        "b_status": status,
                        "b_state": state,
                        "b_code": result.get("code") if status == "rejected" else None,
                        "b_message": result.get("message") if status == "rejected" else None,
                    }
                )
                report.held += state == "held"
                report.rejected += state == "rejected"
                report.pushed += status != "rejected"
                report.conflicts += status == "conflict"
            # One executemany for the batch: 500 single UPDATEs cost more than the push itself.
            if rows:
                conn.execute(_SAVE_RESULT.values(acked_at=acked_at), rows)
            if refused or has_refused(conn):
                settle_rejected(conn, accepted)
            self._observe(conn, answer.get("server_hlc"))

    # -- pull -----------------------------------------------------------------------------------

    def pull(self, report: SyncReport) -> None:
        for attempt in range(2):
            try:
                self._pull_pages(report)
                return
            except errors.ResetRequired as reset:
                if attempt:
                    raise
                report.notes.append(f"reset required: {reset.details.get('reason')}")
                with self.store.write() as conn:
                    self._restart_full_pull(conn)

    def _pull_pages(self, report: SyncReport) -> None:
        with self.store.read() as conn:
            cursor = CURSOR.get(conn)
            mode = FULL_PULL.get(conn)
        if cursor is None and mode is None:
            with self.store.write() as conn:
                if CURSOR.get(conn) is None and FULL_PULL.get(conn) is None:
                    self._restart_full_pull(conn)
                cursor, mode = CURSOR.get(conn), FULL_PULL.get(conn)
        full, marking = mode is not None, mode == MARKING
        report.full_pull = report.full_pull or full
        self._check_cancel()
        defer = mode == FROM_EMPTY  # see deferred_indexes
        try:
            self._save_pages(report, cursor, full, marking, defer=defer)
        except BaseException:
            if not defer:
                raise
            # Cancelled or failed: the indexes set aside are built again now (a finished pull
            # builds them with its last step; a killed one when the profile opens next).
            try:
                with self.store.write() as conn:
                    deferred_indexes.restore_in(conn)
            except Exception:
                log.exception("indexes set aside by the pull: built when the profile opens")
            raise

    def _fetch(self, cursor: str | None, limit: int, first: bool) -> tuple[dict, float]:
        """One page, and the seconds its request took. The first page of a pull is a checked
        one where the server has them (what hello would say, asked in the same request) and
        asks how many rows are left; every page comes column by column where it can."""
        checked = first and "checked_pull" in self.extensions
        page = self.client.pull(
            self.client_id,
            cursor,
            limit,
            epoch=self.epoch if checked else None,
            directory=self.directory if checked else None,
            columns="columns" in self.extensions,
            count=first and "remaining" in self.extensions,
        )
        last = self.client.last
        return page, last.seconds if last is not None else 0.0

    def _save_pages(
        self, report: SyncReport, cursor: str | None, full: bool, marking: bool, defer: bool
    ) -> None:
        # The first page is fetched here (a sync with nothing new needs no other thread); the
        # next one while this one is saved: on a first pull the network and the store's writes
        # then overlap instead of adding up.
        with self.store.read() as conn:
            rate = PULL_RATE.get(conn)
        sizer = PageSizer(self.page_size, float(rate) if rate else None)
        limit = sizer.limit()
        page, seconds = self._fetch(cursor, limit, first=True)
        directory = page.get("directory")
        if directory is not None and directory != self.directory:
            # Areas, users or the user's hamlets changed: say hello now, before saving rows.
            restarted = report.epoch_changed
            self.hello(report)
            if report.epoch_changed and not restarted:
                raise errors.EpochMismatch("the server's epoch changed")  # start the round over
        done = report.pulled + report.deleted + report.evicted
        total = None
        if page.get("remaining") is not None:
            total = done + len(page.get("changes", [])) + int(page["remaining"])
        summary: Future | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gocua-pull") as fetcher:
            while True:
                cursor = page["next_cursor"]
                more = bool(page.get("has_more"))
                sizer.measured(len(page.get("changes", [])), seconds, limit)
                upcoming = None
                if more and not self.cancelled():
                    limit = sizer.limit()
                    upcoming = fetcher.submit(self._fetch, cursor, limit, False)
                elif not more and full:
                    # The server works out its summary (0.65 s for a 20,000-person commune)
                    # while the last page is saved and ours is computed.
                    summary = fetcher.submit(self.client.summary)
                with self.store.write() as conn:
                    if defer:  # with the first page
                        deferred_indexes.defer(conn)
                        defer = False
                    counts = apply_changes(
                        conn, page.get("changes", []), self.today(), mark=marking
                    )
                    CURSOR.set(conn, cursor)
                    if sizer.rate and self.page_size is None:
                        PULL_RATE.set(conn, round(sizer.rate))
                    self._observe(conn, page.get("server_hlc"))
                report.pulled += counts["upsert"]
                report.deleted += counts["delete"]
                report.evicted += counts["evict"]
                report.kept += counts["kept"]
                done = report.pulled + report.deleted + report.evicted
                left = None
                if more and total is not None:
                    left = sizer.seconds_for(max(total - done, 0))
                self.progress("pull", done, total if more else None, left)
                if not more:
                    break
                if upcoming is None:
                    raise errors.Cancelled()
                self._check_cancel()
                page, seconds = upcoming.result()
            if full:
                with self.store.write() as conn:
                    if marking:
                        report.swept += sweep_unmarked(conn)
                    deferred_indexes.restore_in(conn)
                    FULL_PULL.set(conn, None)
                assert summary is not None  # asked for with the last page of a full pull
                report.checksum_ok = self.verify_summary(summary)

    def verify_summary(self, answer: Future) -> bool:
        """Compare the server's summary (``answer``: asked for when the last page came in, so
        that the server works it out while we save that page and compute ours) with ours; on
        a mismatch the next pull starts over."""
        with self.store.read() as conn:
            unsent = has_pending(conn)
            # Unsent work makes the figures differ by design: checked on a later full pull.
            ours = {} if unsent else local_checksums(conn)
        summary = answer.result()  # a failed request fails the sync, unsent work or not
        if unsent:
            return True
        theirs = summary.get("tables", {})
        same = all(theirs.get(table) == ours[table] for table in ours)
        if not same:
            log.warning("summary mismatch: server %s, device %s", theirs, ours)
            with self.store.write() as conn:
                self._restart_full_pull(conn)
        return same

    # -- housekeeping -----------------------------------------------------------------------

    def _purge_acked(self, conn: Connection) -> None:
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=KEEP_ACKED_DAYS)).isoformat()
        # Superseded refusals go with them: their rows went again in newer mutations.
        conn.execute(
            delete(OUTBOX).where(
                OUTBOX.c.state.in_(("acked", "superseded")), OUTBOX.c.acked_at < cutoff
            )
        )
