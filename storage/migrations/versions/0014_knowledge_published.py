"""A serta merta entry's publication as data: ``register_entries.published_at`` and
``published_by`` (the actor label, as in the audit log), filled from the existing
``entry_publish`` audit rows (the first one of each entry).

Revision ID: 0014_knowledge_published
Revises: 0013_area_officers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_knowledge_published"
down_revision = "0013_area_officers"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
FIRST = (
    "(SELECT min(b.id) FROM audit_log b WHERE b.action = 'entry_publish' AND b.target = register_entries.id)"
)
BACKFILL = f"""
UPDATE register_entries
SET published_at = (SELECT a.at FROM audit_log a WHERE a.id = {FIRST}),
    published_by = (SELECT a.actor FROM audit_log a WHERE a.id = {FIRST})
WHERE published_at IS NULL AND {FIRST} IS NOT NULL
"""


def upgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.add_column(sa.Column("published_at", TS, nullable=True))
        batch.add_column(sa.Column("published_by", sa.String(64), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.drop_column("published_by")
        batch.drop_column("published_at")
