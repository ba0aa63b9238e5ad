"""Revision 0015_outbox_claim_index: the partial index of pending outbox rows by kind and due
time, on SQLite and PostgreSQL, up and down again; and the relay's claim uses it on SQLite (no
statement of the claim walks every unsent row: that held the writer for tens of ms behind a
broadcast of 10,000 rows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage import migrate
from storage.db import Database
from storage.outbox_claims import ClaimRepository, _claim_statement

BEFORE = "0014_knowledge_published"
NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)


async def _indexes(db: Database) -> dict[str, list[str]]:
    def names(conn: Connection) -> dict[str, list[str]]:
        return {
            str(i["name"]): [str(c) for c in i["column_names"]] for i in inspect(conn).get_indexes("outbox")
        }

    async with db.session() as session:
        return await (await session.connection()).run_sync(names)


async def test_the_claim_index_goes_up_and_down(empty_db: Database) -> None:
    await migrate.upgrade(empty_db, BEFORE)
    assert "ix_outbox_due" not in await _indexes(empty_db)
    await migrate.upgrade(empty_db)
    assert (await _indexes(empty_db))["ix_outbox_due"] == ["kind", "next_attempt_at", "id"]
    await migrate.upgrade(empty_db, "head")  # again: nothing to do
    await migrate.downgrade(empty_db, BEFORE)
    assert await migrate.current_revision(empty_db) == BEFORE
    assert "ix_outbox_due" not in await _indexes(empty_db)
    await migrate.upgrade(empty_db)
    assert "ix_outbox_due" in await _indexes(empty_db)


async def test_sqlite_claims_through_the_indexes(sqlite_db: Database) -> None:
    """The plan SQLite picks on an un-analysed database (as after an upgrade): due heads from
    ix_outbox_due, each candidate's rows from ix_outbox_unsent, never a walk over every pending or
    unsent row through ix_outbox_pending; the flood check likewise."""
    traced: list[str] = []
    async with sqlite_db.write() as session:
        raw = await (await session.connection()).get_raw_connection()
        sqlite_conn = raw.driver_connection._conn  # type: ignore[union-attr]
        sqlite_conn.set_trace_callback(traced.append)  # the statements with their values bound
        try:
            await ClaimRepository.claim(
                session, "r1", {"telegram": 250, "whatsapp": 250}, NOW, NOW - timedelta(seconds=5), 10,
                recipients={"telegram": "42"}, reclaim=False,
            )  # fmt: skip
            await ClaimRepository.over_cap(session, ["telegram", "whatsapp"], 30)
        finally:
            sqlite_conn.set_trace_callback(None)
        claim = next(sql for sql in traced if sql.startswith("WITH"))
        flood = next(sql for sql in traced if "HAVING" in sql)
        conn = await session.connection()
        plan = [str(row[-1]) for row in await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {claim}")]
        flood_plan = [str(row[-1]) for row in await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {flood}")]
    assert sum("ix_outbox_due (kind=? AND next_attempt_at<?)" in step for step in plan) == 5, plan
    assert any("USING INDEX ix_outbox_unsent (conversation_id=?)" in step for step in plan), plan
    for steps in (plan, flood_plan):
        assert not any("ix_outbox_pending" in step for step in steps), steps
        assert not any(step.startswith("SCAN outbox") for step in steps), steps
    assert any("ix_outbox_due (kind=?)" in step for step in flood_plan), flood_plan


async def test_over_cap_and_claim_queries_name_the_literal_statuses(sqlite_db: Database) -> None:
    """ix_outbox_due and ix_outbox_unsent are partial: SQLite uses them only when the query spells
    their condition out; a bound parameter in its place would silently walk the table."""
    statement = _claim_statement(("telegram",), False, False, ())
    sql = str(statement.compile(dialect=sqlite_db.engine.dialect))
    assert "outbox.status = 'pending'" in sql
    assert "status IN ('pending', 'sending')" in sql
    async with sqlite_db.session() as session:
        assert (await session.execute(text("SELECT 1"))).scalar() == 1
