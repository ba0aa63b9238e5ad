"""Checking an uploaded register or FAQ file in the background, with its progress, in any worker.

An upload becomes a job named by a random id and bound to the session that sent it (the account and
a hash of the session's CSRF token): no other session sees its progress or preview, nor applies it.
Jobs are rows of ``upload_jobs`` (``storage.upload_job_repository``), so with ``tanya serve
--workers N`` the progress poll, the preview page and "apply" may each land on any worker:

- the file's bytes are stored sealed (AES-GCM, never on disk in the clear) and dropped as soon as
  the file cannot be applied (the check failed, or found bad rows), once it is applied, or when
  the job expires after :data:`JOB_MINUTES`;
- the check runs in a worker thread of the process that received the file and reports every row
  (``knowledge.tabular.OnRow``); that process writes the count to the row at least every
  :data:`BEAT_SECONDS`, so any worker can say "memeriksa baris 4.000 dari 12.000" (the receiving
  one from memory, at once). A check whose row has not been updated for :data:`STALE_SECONDS`
  lost its worker and is reported failed;
- the preview (counts, the first :data:`PREVIEW_ITEMS` entries added, changed and retired, the
  first :data:`PREVIEW_PROBLEMS` bad rows, and a digest of every id) is stored sealed, and any
  worker renders it;
- "apply" takes the row (deleted in the same transaction: a file is applied once), parses the
  file again in a thread, compares it with the stored preview again, and applies it only when it
  still says the same (:class:`Changed` otherwise): the register may have changed meanwhile.

At most one check runs per account and :data:`MAX_RUNNING` in all, counted over every process (the
start of a check holds a lock while it counts); the file size is capped by the caller (20 MB).
Expired jobs are deleted whenever a check starts or is applied, when an expired or dead job is
looked at, and by ``tanya requester erase`` (the retention run).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.console.session import ConsoleSession
from bot.knowledge_edits import Preview, Sheet, apply_upload, preview_upload
from bot.runtime import Runtime
from handlers.services.actor import Actor
from handlers.types import Lang
from knowledge.faq import parse_faq
from knowledge.importing import ParsedFile
from knowledge.models import FaqEntry, ImportProblem, RegisterEntry
from knowledge.register import parse_register
from knowledge.tabular import MemoryFile, OnRow
from storage.crypto import Crypto
from storage.db import Database
from storage.upload_job_repository import StoredJob, UploadJobRepository

log = logging.getLogger(__name__)

MAX_RUNNING = 3  # checks at once, in all (every process)
PER_ACCOUNT = 1  # checks at once, per account
WAITING_PER_ACCOUNT = 3  # checked files waiting for "apply", per account (the oldest is dropped)
JOB_MINUTES = 120
BEAT_SECONDS = 1.0  # a running check's progress is written at least this often
STALE_SECONDS = 60  # a check not updated for this long lost its worker: failed
PREVIEW_ITEMS = 200  # entries listed per kind (added, changed, retired) in the stored preview
PREVIEW_PROBLEMS = 1000  # bad rows listed in the stored preview

Parser = Callable[..., ParsedFile[RegisterEntry] | ParsedFile[FaqEntry]]
PARSERS: dict[Sheet, Parser] = {Sheet.REGISTER: parse_register, Sheet.FAQ: parse_faq}


class JobState(StrEnum):
    CHECKING = "checking"
    READY = "ready"
    FAILED = "failed"


class Busy(Exception):
    """Too many checks running: ``mine`` (this account's) or ``all``."""

    def __init__(self, whose: str) -> None:
        super().__init__(whose)
        self.whose = whose


class Changed(Exception):
    """The file, checked again at "apply", no longer gives the preview shown: nothing was applied."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(sheet.value)
        self.sheet = sheet


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Summary:
    """What the preview page shows of a checked file (the first items of each list, all counts),
    and a digest of every id it would add, change and retire, to compare at "apply"."""

    sheet: Sheet
    rows: int
    added: int
    changed: int
    retired: int
    problems: int
    added_items: tuple[Item, ...]
    changed_items: tuple[Item, ...]
    retired_ids: tuple[str, ...]
    problem_items: tuple[ImportProblem, ...]
    digest: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "sheet": self.sheet.value,
                "rows": self.rows,
                "added": self.added,
                "changed": self.changed,
                "retired": self.retired,
                "problems": self.problems,
                "added_items": [[i.id, i.title] for i in self.added_items],
                "changed_items": [[i.id, i.title] for i in self.changed_items],
                "retired_ids": list(self.retired_ids),
                "problem_items": [[p.row, p.column, p.message] for p in self.problem_items],
                "digest": self.digest,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Summary:
        data = json.loads(text)
        return cls(
            Sheet(data["sheet"]), int(data["rows"]), int(data["added"]), int(data["changed"]),
            int(data["retired"]), int(data["problems"]),
            tuple(Item(str(i), str(t)) for i, t in data["added_items"]),
            tuple(Item(str(i), str(t)) for i, t in data["changed_items"]),
            tuple(str(i) for i in data["retired_ids"]),
            tuple(ImportProblem(int(r), str(m), str(c)) for r, c, m in data["problem_items"]),
            str(data["digest"]),
        )  # fmt: skip


def _title(entry: RegisterEntry | FaqEntry) -> str:
    return entry.judul if isinstance(entry, RegisterEntry) else entry.pertanyaan


def summarize(preview: Preview) -> Summary:
    ids = {
        "added": [e.id for e in preview.added], "changed": [e.id for e in preview.changed],
        "retired": list(preview.retired), "rows": preview.rows, "problems": len(preview.problems),
    }  # fmt: skip
    digest = hashlib.sha256(json.dumps([preview.sheet.value, ids], sort_keys=True).encode()).hexdigest()
    return Summary(
        preview.sheet, preview.rows, len(preview.added), len(preview.changed), len(preview.retired),
        len(preview.problems),
        tuple(Item(e.id, _title(e)) for e in preview.added[:PREVIEW_ITEMS]),
        tuple(Item(e.id, _title(e)) for e in preview.changed[:PREVIEW_ITEMS]),
        tuple(preview.retired[:PREVIEW_ITEMS]),
        tuple(preview.problems[:PREVIEW_PROBLEMS]),
        digest,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class UploadJob:
    """A job as one session sees it."""

    id: str
    sheet: Sheet
    retire_missing: bool
    state: JobState
    read: int
    total: int
    preview: Summary | None


class _Progress:
    """A check running in this process, told of every row by its thread (plain assignments)."""

    __slots__ = ("read", "total")

    def __init__(self) -> None:
        self.read = self.total = 0

    def __call__(self, read: int, total: int) -> None:
        self.read, self.total = read, total


def _owner(actor: Actor, session: ConsoleSession) -> tuple[int | None, str]:
    return actor.id, hashlib.sha256(session.csrf.encode()).hexdigest()


class UploadJobs:
    """The jobs of every process (in the database); the checks this process runs (in memory)."""

    def __init__(self) -> None:
        self._running: dict[str, _Progress] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(
        self, runtime: Runtime, actor: Actor, session: ConsoleSession, sheet: Sheet, *, name: str,
        data: bytes, retire_missing: bool, lang: Lang,
    ) -> str:  # fmt: skip
        """Store ``data`` sealed and start checking it (the caller has checked who may upload it and
        its size); the job's id. :class:`Busy` when the bounds are reached, in all processes."""
        now = runtime.clock()
        account, session_hash = _owner(actor, session)
        job_id = secrets.token_urlsafe(24)
        async with runtime.db.write() as db_session:
            jobs = UploadJobRepository(db_session, runtime.crypto)
            await jobs.lock_starts()
            await jobs.sweep(stale_before=_stale_before(now), expired_before=_expired_before(now))
            running = await jobs.running(alive_after=_stale_before(now))
            if sum(a == account for a in running) >= PER_ACCOUNT:
                raise Busy("mine")
            if len(running) >= MAX_RUNNING:
                raise Busy("all")
            waiting = await jobs.waiting(account)
            await jobs.delete(waiting[: max(0, len(waiting) - WAITING_PER_ACCOUNT + 1)])
            jobs.add(
                job_id, account_id=account, session_hash=session_hash, sheet=sheet.value, file_name=name,
                retire_missing=retire_missing, lang=lang.value, data=data, now=now,
            )  # fmt: skip
        progress = self._running[job_id] = _Progress()
        check = self._check(
            job_id, runtime, actor, sheet, MemoryFile(name, data), progress, retire_missing, lang
        )
        task = asyncio.create_task(check)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job_id

    async def stop(self, runtime: Runtime) -> None:
        """The server stops: end this process's checks and say so at once (the others would see them
        stop beating only after :data:`STALE_SECONDS`). Their threads end on their own."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        ended, self._running = list(self._running), {}
        if not ended:
            return
        try:
            async with runtime.db.write() as db_session:
                jobs = UploadJobRepository(db_session, runtime.crypto)
                for job_id in ended:
                    await jobs.finish(
                        job_id, state=JobState.FAILED, read=0, total=0, preview=None, keep_file=False,
                        now=runtime.clock(),
                    )  # fmt: skip
        except Exception:  # they stop beating: every worker reports them failed within a minute
            log.exception("stopped checks could not be marked failed")

    async def _check(
        self, job_id: str, runtime: Runtime, actor: Actor, sheet: Sheet, source: MemoryFile,
        progress: _Progress, retire_missing: bool, lang: Lang,
    ) -> None:  # fmt: skip
        ended = asyncio.Event()
        beat = asyncio.create_task(self._beat(job_id, runtime, progress, ended))
        summary: Summary | None = None
        try:
            on_row: OnRow = progress
            parsed = await asyncio.to_thread(PARSERS[sheet], source, on_row=on_row)
            del source  # this process needs the bytes no more (the sealed copy waits for "apply")
            progress(parsed.rows, parsed.rows)
            preview = await preview_upload(
                runtime, actor, sheet, parsed, retire_missing=retire_missing, lang=lang
            )
            summary = summarize(preview)
        except Exception:  # a crash of one check must not take the page down: it says "failed"
            log.exception("checking an uploaded %s file failed", sheet.value)
        finally:
            ended.set()
            await beat
        try:
            async with runtime.db.write() as db_session:
                await UploadJobRepository(db_session, runtime.crypto).finish(
                    job_id, state=JobState.READY if summary else JobState.FAILED, read=progress.read,
                    total=progress.total, preview=summary.to_json() if summary else None,
                    keep_file=summary is not None and not summary.problems, now=runtime.clock(),
                )  # fmt: skip
        except Exception:  # the row stops beating: every worker reports it failed within a minute
            log.exception("the outcome of checking an uploaded file could not be stored")
        finally:
            self._running.pop(job_id, None)

    @staticmethod
    async def _beat(job_id: str, runtime: Runtime, progress: _Progress, ended: asyncio.Event) -> None:
        """Write the check's progress (and that its worker lives) every :data:`BEAT_SECONDS`."""
        while not ended.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), BEAT_SECONDS)
            if ended.is_set():
                return
            try:
                async with runtime.db.write() as db_session:
                    await UploadJobRepository(db_session, runtime.crypto).progress(
                        job_id, read=progress.read, total=progress.total, now=runtime.clock()
                    )
            except Exception:  # the database is away for a moment: the next beat tries again
                log.warning("the progress of an upload's check could not be written", exc_info=True)

    async def get(
        self, runtime: Runtime, job_id: str, actor: Actor, session: ConsoleSession
    ) -> UploadJob | None:
        """The job, if it is this session's (and has not expired)."""
        if not 0 < len(job_id) <= 64:
            return None
        async with runtime.db.session() as db_session:
            stored = await UploadJobRepository(db_session, runtime.crypto).get(job_id)
        if stored is None or not _owned(stored, actor, session):
            return None
        now = runtime.clock()
        state = JobState(stored.state)
        dead = state is JobState.CHECKING and stored.updated_at < _stale_before(now)
        expired = state is not JobState.CHECKING and stored.created_at < _expired_before(now)
        if dead or expired:
            await sweep(runtime.db, runtime.crypto, now)  # persisted: the file goes now
            if expired:
                return None
            state = JobState.FAILED
        read, total = stored.rows_read, stored.rows_total
        here = self._running.get(job_id)
        if here is not None and state is JobState.CHECKING:  # checked in this process: the latest count
            read, total = here.read, here.total
        preview = Summary.from_json(stored.preview) if stored.preview and state is JobState.READY else None
        return UploadJob(stored.id, Sheet(stored.sheet), stored.retire_missing, state, read, total, preview)

    async def apply(
        self, runtime: Runtime, actor: Actor, session: ConsoleSession, job_id: str
    ) -> Sheet | None:
        """Apply this session's checked job once; None when there is no such job to apply.
        :class:`Changed` when the file no longer gives its preview; ``UploadStale`` as
        :func:`~bot.knowledge_edits.apply_upload` raises it. Either way the job is gone."""
        if not 0 < len(job_id) <= 64:
            return None
        now = runtime.clock()
        account, session_hash = _owner(actor, session)
        async with runtime.db.write() as db_session:
            jobs = UploadJobRepository(db_session, runtime.crypto)
            await jobs.sweep(stale_before=_stale_before(now), expired_before=_expired_before(now))
            taken = await jobs.take(
                job_id, account_id=account, session_hash=session_hash, state=JobState.READY
            )
        if taken is None:
            return None
        stored, data = taken
        sheet = Sheet(stored.sheet)
        if stored.preview is None:
            return None
        shown = Summary.from_json(stored.preview)
        parsed = await asyncio.to_thread(PARSERS[sheet], MemoryFile(stored.file_name, data), on_row=_quiet)
        del data, taken
        lang = Lang(stored.lang) if stored.lang in set(Lang) else Lang.ID
        preview = await preview_upload(
            runtime, actor, sheet, parsed, retire_missing=stored.retire_missing, lang=lang
        )
        if preview.problems or summarize(preview).digest != shown.digest:
            raise Changed(sheet)
        await apply_upload(runtime, actor, preview, retire_missing=stored.retire_missing)
        return sheet


def _quiet(read: int, total: int) -> None:
    """No progress is shown while a file is checked again at "apply"."""


def _owned(stored: StoredJob, actor: Actor, session: ConsoleSession) -> bool:
    account, session_hash = _owner(actor, session)
    return stored.account_id == account and secrets.compare_digest(stored.session_hash, session_hash)


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=STALE_SECONDS)


def _expired_before(now: datetime) -> datetime:
    return now - timedelta(minutes=JOB_MINUTES)


async def sweep(db: Database, crypto: Crypto, now: datetime) -> int:
    """Mark dead checks failed (their files dropped) and delete expired jobs with their files; how
    many were deleted."""
    async with db.write() as db_session:
        return await UploadJobRepository(db_session, crypto).sweep(
            stale_before=_stale_before(now), expired_before=_expired_before(now)
        )
