"""Gap grouping benchmark: how long one "could not find" question takes to be grouped and stored
(``GapStore.apply``: the group keys read, the nearest group found, the row written) on SQLite with
1,000 / 10,000 / 50,000 existing groups, and ``nearest_group`` alone. The apply runs inside the
pipeline's transaction, so it is time the write lock is held.

    python bench/gaps.py [--sizes 1000 10000 50000] [--questions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bot.gap_store import GapStore, GroupKeys
from handlers.domain.deadlines import ServiceHours
from handlers.gaps import gap_observed, group_key, nearest_group
from handlers.types import GapReason
from storage import migrate
from storage.db import Database
from storage.models.gaps import GapGroupRow

HOURS = ServiceHours.from_settings("08:00", "16:00", "Asia/Jakarta")
WORDS = [
    "jadwal",
    "data",
    "jumlah",
    "izin",
    "pajak",
    "sekolah",
    "jalan",
    "rusak",
    "lomba",
    "kelurahan",
    "posyandu",
    "bansos",
    "akta",
    "ktp",
    "sim",
    "parkir",
    "pasar",
    "sampah",
    "banjir",
    "lampu",
    "taman",
    "puskesmas",
    "vaksin",
    "beasiswa",
    "umkm",
    "lowongan",
    "tarif",
    "retribusi",
    "anggaran",
    "laporan",
    "rw",
    "rt",
    "kecamatan",
    "dinas",
    "tahun",
    "2024",
    "2025",
    "2026",
    "kucing",
    "anjing",
    "kolam",
    "renang",
    "listrik",
    "air",
]


def question(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))


async def run(size: int, questions: int, rng: random.Random) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite+aiosqlite:///{Path(tmp)}/bench.db")
        await migrate.upgrade(db)
        now = datetime.now(UTC)
        keys = [group_key(question(rng)) for _ in range(size)]
        async with db.write() as session:
            await session.execute(
                insert(GapGroupRow),
                [
                    {"key": k, "example": k, "count": 1, "first_seen": now, "last_seen": now, "status": "open",
                     "entry_id": "", "opd": "", "referral": "", "updated_at": now}
                    for k in keys
                ],
            )  # fmt: skip
        pairs = list(enumerate(keys, start=1))
        asked = [question(rng) for _ in range(questions)]
        pure = []
        for text in asked:
            start = time.perf_counter()
            nearest_group(group_key(text), pairs)
            pure.append((time.perf_counter() - start) * 1000)
        applied = []
        keys_cache = GroupKeys()  # as the runtime keeps one per process
        for text in asked:
            start = time.perf_counter()
            async with db.write() as session:
                await GapStore(session, HOURS, keys_cache).apply(
                    [gap_observed(text, GapReason.ABSTAINED)], channel="web", at=datetime.now(UTC)
                )
            applied.append((time.perf_counter() - start) * 1000)
        await db.dispose()
    for name, values in (("nearest_group", pure), ("apply+commit", applied)):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(f"{size:>6} groups  {name:<14} median {statistics.median(values):6.2f} ms  p99 {p99:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(13)
    for size in args.sizes:
        asyncio.run(run(size, args.questions, rng))


if __name__ == "__main__":
    main()
