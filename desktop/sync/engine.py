"""The device side of SYNC.md: hello, push the outbox, pull the change feed.

No Qt: progress and cancel go through plain callables, so the same engine runs in the app's
background thread, in ``gocua sync`` and in tests. Every step that changes the store is one
transaction (a pulled page and its cursor; a push batch's results), so a killed process
resumes where it stopped and nothing is applied twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, select, update

from desktop.store import Store, bulk, deferred_indexes
from desktop.store.identity import (
    CLIENT_ID,
    LOCAL_USER_ID,
    USER_ID,
    load_clock,
    save_clock,
)
from desktop.store.rows import OUTBOX, get_state, has_pending, now_utc, pending_count, set_state
from desktop.store.schema import SYNCED_TABLES
from desktop.sync import errors
from desktop.sync.apply import (
    MARKS,
    apply_changes,
    drop_released,
    has_synced_rows,
    local_checksums,
    sweep_unmarked,
)
from desktop.sync.client import SyncClient
from gocua import hlc

log = logging.getLogger(__name__)

EPOCH = "epoch"
CURSOR = "cursor"
FULL_PULL = "full_pull_in_progress"
# A full pull into a store that holds synced rows marks every row it receives, so that those it
# did not send (deleted or out of scope before its snapshot) are swept at the end. One that
# began with none, a first pull, needs neither: every synced row then came from its own pages
# (writing and sweeping ~142,000 marks cost ~1.5 s of a 20,000-person first pull).
MARKING, FROM_EMPTY = "1", "empty"
MUTATION_OFFSET = "mutation_offset"
LAST_SYNC_AT = "last_sync_at"
SCOPE_HAMLETS = "scope_hamlets"
KEEP_ACKED_DAYS = 30
PUSH_BATCH = 500
# Pages of 5,000 (the server's maximum): a first pull of ~145,000 rows took 10.2 s in pages
# of 1,000 and 7.4 s in pages of 5,000 (fewer commits, fewer round trips; measured).
PULL_PAGE = 5000

Progress = Callable[[str, int, int | None], None]


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
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        page_size: int = PULL_PAGE,
        push_batch: int = PUSH_BATCH,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        self.store = store
        self.client = client
        self.page_size = page_size
        self.push_batch = push_batch
        self.progress = progress or (lambda phase, done, total: None)
        self.cancelled = cancelled or (lambda: False)
        self.today = today
        self.client_id: str | None = None
        self.epoch: str | None = None

    # -- the whole round ----------------------------------------------------------------------

    def sync(self) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport()
        self.hello(report)
        for _ in range(3):  # an epoch change mid-round restarts the round, at most twice
            try:
                self.push(report)
                with self.store.write() as conn:
                    # Rows kept past their eviction for unsent changes go once those are sent.
                    report.evicted += drop_released(conn)
                self.pull(report)
                break
            except errors.EpochMismatch:
                report.notes.append("epoch changed during sync")
                self.hello(report)
        else:
            raise errors.ProtocolError("the server's epoch keeps changing")
        with self.store.write() as conn:
            self._purge_acked(conn)
            set_state(conn, LAST_SYNC_AT, now_utc())
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

    def hello(self, report: SyncReport) -> dict:
        with self.store.read() as conn:
            sent_client = get_state(conn, CLIENT_ID)
        answer = self.client.hello(sent_client)
        with self.store.write() as conn:
            self.client_id = answer["client_id"]
            self.epoch = answer["epoch"]
            old_epoch = get_state(conn, EPOCH)
            bulk.insert_areas(conn, answer.get("areas", []))
            bulk.insert_users(conn, answer.get("users", []))
            user = answer["user"]
            old_hamlets = get_state(conn, SCOPE_HAMLETS)
            new_hamlets = ",".join(sorted(user.get("hamlet_ids") or []))
            set_state(conn, SCOPE_HAMLETS, new_hamlets)
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
            set_state(conn, EPOCH, self.epoch)
            self._observe(conn, answer.get("server_hlc"))
        return answer

    def _adopt_identity(self, conn: Connection, client_id: str, user_id: str) -> None:
        """Make unsent work carry the real user and clock node once the server names them."""
        set_state(conn, CLIENT_ID, client_id)
        set_state(conn, USER_ID, user_id)
        local_user = get_state(conn, LOCAL_USER_ID)
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
        return int(get_state(conn, MUTATION_OFFSET) or 0)

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
            set_state(conn, MUTATION_OFFSET, str(first - server_last - 1))

    def _restart_full_pull(self, conn: Connection) -> None:
        set_state(conn, CURSOR, None)
        set_state(conn, FULL_PULL, MARKING if has_synced_rows(conn) else FROM_EMPTY)
        conn.execute(delete(MARKS))

    # -- push -----------------------------------------------------------------------------------

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
                        self._save_results(answer, offset, report)  # what came back is kept
                        done += len(sent)
                        self.progress("push", done, total)
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

    def _save_results(self, answer: dict, offset: int, report: SyncReport) -> None:
        acked_at = now_utc()
        rows = []
        for result in answer.get("results", []):
            status = result["status"]
            rejected = status == "rejected"
            rows.append(
                {
                    "b_id": int(result["id"]) + offset,
                    "b_status": status,
                    "b_state": "rejected" if rejected else "acked",
                    "b_code": result.get("code") if rejected else None,
                    "b_message": result.get("message") if rejected else None,
                }
            )
            report.rejected += rejected
            report.pushed += not rejected
            report.conflicts += status == "conflict"
        # One executemany for the batch: 500 single UPDATEs cost more than the push itself.
        statement = (
            update(OUTBOX)
            .where(OUTBOX.c.id == bindparam("b_id"))
            .values(
                state=bindparam("b_state"),
                result_status=bindparam("b_status"),
                result_code=bindparam("b_code"),
                result_message=bindparam("b_message"),
                acked_at=acked_at,
            )
        )
        with self.store.write() as conn:
            if rows:
                conn.execute(statement, rows)
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
            cursor = get_state(conn, CURSOR)
            mode = get_state(conn, FULL_PULL)
        if cursor is None and mode is None:
            with self.store.write() as conn:
                if get_state(conn, CURSOR) is None and get_state(conn, FULL_PULL) is None:
                    self._restart_full_pull(conn)
                cursor, mode = get_state(conn, CURSOR), get_state(conn, FULL_PULL)
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

    def _save_pages(
        self, report: SyncReport, cursor: str | None, full: bool, marking: bool, defer: bool
    ) -> None:
        # The first page is fetched here (a sync with nothing new needs no other thread); the
        # next one while this one is saved: on a first pull the network and the store's writes
        # then overlap instead of adding up.
        page = self.client.pull(self.client_id, cursor, self.page_size)
        summary: Future | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gocua-pull") as fetcher:
            while True:
                cursor = page["next_cursor"]
                more = bool(page.get("has_more"))
                upcoming = None
                if more and not self.cancelled():
                    upcoming = fetcher.submit(
                        self.client.pull, self.client_id, cursor, self.page_size
                    )
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
                    set_state(conn, CURSOR, cursor)
                    self._observe(conn, page.get("server_hlc"))
                report.pulled += counts["upsert"]
                report.deleted += counts["delete"]
                report.evicted += counts["evict"]
                report.kept += counts["kept"]
                self.progress("pull", report.pulled + report.deleted + report.evicted, None)
                if not more:
                    break
                if upcoming is None:
                    raise errors.Cancelled()
                self._check_cancel()
                page = upcoming.result()
            if full:
                with self.store.write() as conn:
                    if marking:
                        report.swept += sweep_unmarked(conn)
                    deferred_indexes.restore_in(conn)
                    set_state(conn, FULL_PULL, None)
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
        conn.execute(delete(OUTBOX).where(OUTBOX.c.state == "acked", OUTBOX.c.acked_at < cutoff))
