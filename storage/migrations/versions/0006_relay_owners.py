"""Relay: claim owners and heartbeats (issue 9 crash recovery and several instances).

Outbox rows being sent name the relay that claimed them (``outbox.owner``); ``relay_owners``
holds each running relay's heartbeat, so a dead relay's rows are taken back within seconds
instead of waiting out a lease.

Revision ID: 0006_relay_owners
Revises: 0005_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_relay_owners"
down_revision = "0005_privacy"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "relay_owners",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("heartbeat_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relay_owners"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("owner", sa.String(32), nullable=False, server_default=""))
    # Only the rows waiting to be sent (a few per chat): sent rows, which delivery reports keep
    # updating, stay out of it. Queries spell the condition out literally so that SQLite uses it.
    unsent = sa.text("status IN ('pending', 'sending')")
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["conversation_id", "id"],
        sqlite_where=unsent,
        postgresql_where=unsent,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("owner")
    op.drop_table("relay_owners")
