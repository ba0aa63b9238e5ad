"""What citizens could not find, on the database: the handlers' effects applied, and the services
the console's "could not find" page (``/console/gaps``) and ``tanya gaps`` call.

Applying (:class:`GapStore`, on the pipeline's transaction): a :class:`~handlers.types.GapObserved`
question joins the most similar group or opens one (``handlers.gaps.nearest_group``); a
:class:`~handlers.types.ServiceCounted` adds one to the day's count. Officers' actions
(:func:`link_group`, :func:`mark_to_publish`, :func:`mark_not_ours`, :func:`reopen`) each run in
their own transaction. Linking turns the group's phrasings into learned search terms
(``search_concepts``) pointing at the entry, so the running index rebuilds and the same questions
find it (``bot.knowledge_loader`` watches that table).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.domain.deadlines import ServiceHours, office_date
from handlers.gaps import GapStatus, gap_observed, group_key, nearest_group
from handlers.types import Effect, GapObserved, GapReason, ServiceCounted
from knowledge.concepts import MAX_SERVICES, Concept, ConceptError
from storage.db import Database
from storage.gap_repository import GapRepository
from storage.knowledge_repository import KnowledgeRepository
from storage.models.gaps import GapQuestionRow

EXAMPLES = 3
LINKED_PHRASINGS = 50  # at most this many of a group's phrasings become learned terms
TREND_DAYS = 28  # the trend compares the last four weeks with the four before


class GroupKeys:
    """The groups' keys, kept by a process between messages and read incrementally (only groups
    with a higher id than the last one seen), so a new question is not a read of every group.

    A key read inside a transaction that then rolled back may name a group that does not exist:
    :meth:`GapStore._observe` notices (nothing to count) and forgets it. A group opened by another
    process in a transaction that commits after a later-numbered one was read is missed, and the
    question opens a group of its own (two groups for one question: the officer still sees both).
    """

    def __init__(self) -> None:
        self._keys: dict[int, str] = {}
        self._last = 0

    async def current(self, repo: GapRepository) -> dict[int, str]:
        for group, key in await repo.group_keys_after(self._last):
            self._keys[group] = key
            self._last = max(self._last, group)
        return self._keys

    def forget(self, group: int) -> None:
        self._keys.pop(group, None)


class GapStore:
    """The gaps side of one pipeline transaction: read referrals, apply effects. ``keys``: the
    process's cache of group keys (a fresh one reads them all)."""

    def __init__(self, session: AsyncSession, hours: ServiceHours, keys: GroupKeys | None = None) -> None:
        self._repo = GapRepository(session)
        self._hours = hours
        self._keys = keys or GroupKeys()

    async def referral_for(self, question: str) -> str | None:
        """The referral of the "not ours" group this question would join, if any."""
        referrals = await self._repo.referrals(GapStatus.NOT_OURS.value)
        if not referrals:
            return None
        key = group_key(gap_observed(question, GapReason.ABSTAINED).question)
        found = nearest_group(key, ((i, k) for i, k, _ in referrals))
        return next((r for i, _, r in referrals if i == found), None) if found is not None else None

    async def apply(self, effects: Iterable[Effect], *, channel: str, at: datetime) -> None:
        for effect in effects:
            if isinstance(effect, GapObserved):
                await self._observe(effect, channel, at)
            elif isinstance(effect, ServiceCounted):
                await self._repo.count_service(office_date(at, self._hours), effect.kind.value, channel)

    async def _observe(self, effect: GapObserved, channel: str, at: datetime) -> None:
        scrubbed = gap_observed(effect.question, effect.reason)  # scrubbed again: whoever built it
        if not scrubbed.question:
            return
        key = group_key(scrubbed.question)
        group = nearest_group(key, await self._keys.current(self._repo))
        if group is not None:
            if await self._repo.add_question(group, scrubbed.question, effect.reason.value, channel, at):
                return
            self._keys.forget(group)  # cached from a transaction that rolled back
        group = await self._repo.add_group(key, scrubbed.question, GapStatus.OPEN.value, at)
        await self._repo.add_question(group, scrubbed.question, effect.reason.value, channel, at)

    async def observe_handoff(self, question: str, *, channel: str, at: datetime) -> None:
        """For the console's hand-off: the question a conversation handed to an officer ended with."""
        await self.apply((gap_observed(question, GapReason.HANDOFF),), channel=channel, at=at)


# --- what the console's page and ``tanya gaps`` show ---


@dataclass(frozen=True, slots=True)
class GapGroupView:
    """One group of similar questions as an officer sees it."""

    id: int
    count: int  # questions in the period asked for (all, without one)
    examples: tuple[str, ...]  # the most frequent phrasings, scrubbed
    first_seen: datetime
    last_seen: datetime
    status: GapStatus
    entry_id: str = ""
    opd: str = ""
    referral: str = ""
    recent: int = 0  # questions in the last TREND_DAYS days
    previous: int = 0  # ... and in the TREND_DAYS before them
    reasons: tuple[tuple[str, int], ...] = ()  # (GapReason value, count)

    @property
    def trend(self) -> str:
        """ "rising", "falling" or "steady": the last four weeks against the four before."""
        if self.recent > self.previous:
            return "rising"
        return "falling" if self.recent < self.previous else "steady"

    def as_json(self) -> dict[str, object]:
        return {
            "group": self.id,
            "count": self.count,
            "examples": list(self.examples),
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "status": self.status.value,
            "trend": self.trend,
            "entry_id": self.entry_id,
            "opd": self.opd,
            "referral": self.referral,
        }


class GapGroupNotFound(LookupError):
    pass


class EntryNotFound(LookupError):
    pass


def _start_of(day: date, hours: ServiceHours) -> datetime:
    return datetime.combine(day, time(0), hours.tz).astimezone(UTC)


async def list_groups(
    db: Database, hours: ServiceHours, *, now: datetime, since: date | None = None,
    statuses: Sequence[GapStatus] = (), limit: int | None = None,
) -> list[GapGroupView]:  # fmt: skip
    """Groups with questions since ``since`` (office date; all time without it), most asked first."""
    start = _start_of(since, hours) if since else datetime(1970, 1, 1, tzinfo=UTC)
    recent_from = now - timedelta(days=TREND_DAYS)
    previous_from = recent_from - timedelta(days=TREND_DAYS)
    async with db.session() as session:
        repo = GapRepository(session)
        groups = await repo.groups(statuses=[s.value for s in statuses], seen_since=start)
        asked = await repo.questions_since(min(start, previous_from))
    by_group: dict[int, list[GapQuestionRow]] = {}
    for question in asked:
        by_group.setdefault(question.group_id, []).append(question)
    views: list[GapGroupView] = []
    for group in groups:
        every = by_group.get(group.id, [])
        questions = [q for q in every if q.seen_at >= start]
        if not questions:
            continue
        phrasings = Counter(q.question for q in questions)
        views.append(
            GapGroupView(
                id=group.id,
                count=len(questions),
                examples=tuple(p for p, _ in phrasings.most_common(EXAMPLES)),
                first_seen=min(q.seen_at for q in questions),
                last_seen=max(q.seen_at for q in questions),
                status=GapStatus(group.status),
                entry_id=group.entry_id,
                opd=group.opd,
                referral=group.referral,
                recent=sum(q.seen_at >= recent_from for q in every),
                previous=sum(previous_from <= q.seen_at < recent_from for q in every),
                reasons=tuple(sorted(Counter(q.reason for q in questions).items())),
            )
        )
    views.sort(key=lambda v: (-v.count, v.id))
    return views[:limit] if limit is not None else views


async def group_phrasings(db: Database, group_id: int) -> list[str]:
    """Every distinct phrasing of a group, most frequent first."""
    async with db.session() as session:
        questions = await GapRepository(session).questions(group_id)
    return [p for p, _ in Counter(q.question for q in questions).most_common()]


async def link_group(db: Database, group_id: int, entry_id: str, *, now: datetime) -> list[str]:
    """Link a group to the entry that answers it: each of its phrasings becomes a learned search
    term whose services are the entry's title and keywords, and the most frequent ones become
    example questions of the entry (``knowledge.examples``), so that other wordings of the same
    need find it too. Returns the phrasings taught."""
    async with db.write() as session:
        repo = GapRepository(session)
        if await repo.get_group(group_id) is None:
            raise GapGroupNotFound(group_id)
        names = await repo.entry_names(entry_id)
        if names is None:
            raise EntryNotFound(entry_id)
        services = [n[:200] for n in dict.fromkeys(names)][:MAX_SERVICES]
        phrasings = [p for p, _ in Counter(q.question for q in await repo.questions(group_id)).most_common()]
        knowledge = KnowledgeRepository(session)
        known = {c.situation for _, c in await knowledge.list_concepts()}
        taught: list[str] = []
        for phrasing in phrasings[:LINKED_PHRASINGS]:
            try:
                concept = Concept.make(phrasing, services)
            except ConceptError:
                continue  # a phrasing that is only markers or too long teaches nothing
            if concept.situation not in known:
                await knowledge.add_concept(concept, now=now)
                known.add(concept.situation)
            taught.append(concept.situation)
        await knowledge.add_examples(entry_id, phrasings[:LINKED_PHRASINGS], now=now)
        await repo.set_status(group_id, GapStatus.LINKED.value, now, entry_id=entry_id)
    return taught


async def _set(db: Database, group_id: int, status: GapStatus, now: datetime, **values: str) -> None:
    async with db.write() as session:
        if not await GapRepository(session).set_status(group_id, status.value, now, **values):
            raise GapGroupNotFound(group_id)


async def mark_to_publish(db: Database, group_id: int, opd: str, *, now: datetime) -> None:
    """Note the group as information the body should publish: a to-do for ``opd``."""
    if not opd.strip():
        raise ValueError("name the OPD that should publish it")
    await _set(db, group_id, GapStatus.TO_PUBLISH, now, opd=" ".join(opd.split())[:200])


async def mark_not_ours(db: Database, group_id: int, referral: str, *, now: datetime) -> None:
    """Mark the group as another body's business; ``referral`` (where to send people, e.g.
    SP4N-LAPOR!) is what the bot then tells citizens asking the same (UU 14/2008 Pasal 22(7) b)."""
    if not referral.strip():
        raise ValueError("say where to send people (e.g. SP4N-LAPOR! at lapor.go.id)")
    await _set(db, group_id, GapStatus.NOT_OURS, now, referral=referral.strip()[:1000])


async def reopen(db: Database, group_id: int, *, now: datetime) -> None:
    """Back to open (a linked group's learned terms stay: ``tanya concepts remove`` retires them)."""
    await _set(db, group_id, GapStatus.OPEN, now)


async def to_publish_by_opd(
    db: Database, hours: ServiceHours, *, now: datetime
) -> dict[str, list[GapGroupView]]:
    """The to-do list per OPD: groups noted as information to publish."""
    todo: dict[str, list[GapGroupView]] = {}
    for view in await list_groups(db, hours, now=now, statuses=(GapStatus.TO_PUBLISH,)):
        todo.setdefault(view.opd, []).append(view)
    return todo
