"""Checking an uploaded register or FAQ file in the background, with its progress.

An upload becomes a job named by a random id and bound to the session that sent it (the account and
a hash of the session's CSRF token): no other session sees its progress or preview, nor applies it.
The file's bytes stay in memory only until the check has read them - never on disk - and the checked
entries wait for "apply" at most :data:`JOB_MINUTES`. A check runs in a worker thread and reports
every row (``knowledge.tabular.OnRow``), so the page can say "memeriksa baris 4.000 dari 12.000".
At most one check runs per account and :data:`MAX_RUNNING` in all; the file size is capped by the
caller (20 MB). Jobs live in this process: with ``--workers N`` each worker keeps its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.console.session import ConsoleSession
from bot.knowledge_edits import Preview, Sheet, preview_upload
from bot.runtime import Runtime
from handlers.services.actor import Actor
from handlers.types import Lang
from knowledge.faq import parse_faq
from knowledge.importing import ParsedFile
from knowledge.models import FaqEntry, RegisterEntry
from knowledge.register import parse_register
from knowledge.tabular import MemoryFile, OnRow

log = logging.getLogger(__name__)

MAX_RUNNING = 3  # checks at once, in all
PER_ACCOUNT = 1  # checks at once, per account
WAITING_PER_ACCOUNT = 3  # checked files waiting for "apply", per account (the oldest is dropped)
JOB_MINUTES = 120

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


@dataclass(eq=False, slots=True)
class UploadJob:
    id: str
    owner: tuple[int | None, str]
    sheet: Sheet
    retire_missing: bool
    started: float
    read: int = 0
    total: int = 0
    state: JobState = JobState.CHECKING
    preview: Preview | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def progress(self, read: int, total: int) -> None:
        """Told of every row by the check's thread (plain assignments: no lock needed)."""
        self.read, self.total = read, total


def _owner(actor: Actor, session: ConsoleSession) -> tuple[int | None, str]:
    return actor.id, hashlib.sha256(session.csrf.encode()).hexdigest()


class UploadJobs:
    """The jobs of this process, by id."""

    def __init__(self) -> None:
        self._jobs: dict[str, UploadJob] = {}

    def _sweep(self, now: float) -> None:
        for key, job in list(self._jobs.items()):
            if job.state is not JobState.CHECKING and now - job.started > JOB_MINUTES * 60:
                del self._jobs[key]

    def start(
        self, runtime: Runtime, actor: Actor, session: ConsoleSession, sheet: Sheet, *, name: str,
        data: bytes, retire_missing: bool, lang: Lang,
    ) -> UploadJob:  # fmt: skip
        """Start checking ``data`` (the caller has checked who may upload it and its size)."""
        now = time.monotonic()
        self._sweep(now)
        checking = [j for j in self._jobs.values() if j.state is JobState.CHECKING]
        if sum(j.owner[0] == actor.id for j in checking) >= PER_ACCOUNT:
            raise Busy("mine")
        if len(checking) >= MAX_RUNNING:
            raise Busy("all")
        waiting = sorted(
            (j for j in self._jobs.values() if j.owner[0] == actor.id and j.state is not JobState.CHECKING),
            key=lambda j: j.started,
        )
        for old in waiting[: max(0, len(waiting) - WAITING_PER_ACCOUNT + 1)]:
            self._jobs.pop(old.id, None)
        job = UploadJob(secrets.token_urlsafe(24), _owner(actor, session), sheet, retire_missing, now)
        self._jobs[job.id] = job
        job.task = asyncio.create_task(self._check(job, runtime, actor, MemoryFile(name, data), lang))
        return job

    async def _check(
        self, job: UploadJob, runtime: Runtime, actor: Actor, source: MemoryFile, lang: Lang
    ) -> None:
        parse = PARSERS[job.sheet]
        try:
            on_row: OnRow = job.progress
            parsed = await asyncio.to_thread(parse, source, on_row=on_row)
            del source  # the bytes are not needed any more
            job.read = job.total = parsed.rows
            job.preview = await preview_upload(
                runtime, actor, job.sheet, parsed, retire_missing=job.retire_missing, lang=lang
            )
            job.state = JobState.READY
        except Exception:  # a crash of one check must not take the page down: it says "failed"
            log.exception("checking an uploaded %s file failed", job.sheet.value)
            job.state = JobState.FAILED

    def get(self, job_id: str, actor: Actor, session: ConsoleSession) -> UploadJob | None:
        """The job, if it is this session's."""
        self._sweep(time.monotonic())
        job = self._jobs.get(job_id) if 0 < len(job_id) <= 64 else None
        if job is None or not secrets.compare_digest(repr(job.owner), repr(_owner(actor, session))):
            return None
        return job

    def take(self, job_id: str, actor: Actor, session: ConsoleSession) -> UploadJob | None:
        """The checked job for "apply", forgotten at once (a file is applied once)."""
        job = self.get(job_id, actor, session)
        if job is None or job.state is not JobState.READY:
            return None
        del self._jobs[job.id]
        return job
