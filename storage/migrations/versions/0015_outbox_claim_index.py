"""Outbox: an index of the rows waiting for their turn, by kind and due time (issue 12).

The relay looks for the conversations whose next row is due, a kind at a time (serta merta
notices, replies, ..., RT/RW broadcasts), the longest due first. With ``ix_outbox_pending``
alone, looking for a citizen's reply behind a broadcast of 10,000 rows walked every one of those
rows on each claim, while the SQLite writer (and the webhooks' inbox commits behind it) waited.
This index holds the pending rows only (sent rows, which delivery reports keep updating, stay out
of it); queries spell ``status = 'pending'`` out literally so that SQLite uses it.

Revision ID: 0015_outbox_claim_index
Revises: 0014_knowledge_published
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_outbox_claim_index"
down_revision = "0014_knowledge_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pending = sa.text("status = 'pending'")
    op.create_index(
        "ix_outbox_due",
        "outbox",
        ["kind", "next_attempt_at", "id"],
        sqlite_where=pending,
        postgresql_where=pending,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_due", table_name="outbox")
