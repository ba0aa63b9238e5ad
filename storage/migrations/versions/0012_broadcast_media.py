"""A broadcast's one photo or PDF: a reference into the sealed attachment store (stored once,
never copied per subscriber), and its type, size and name for the console and the status.

Revision ID: 0012_broadcast_media
Revises: 0011_console2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_broadcast_media"
down_revision = "0011_console2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(sa.Column("attachment_ref", sa.String(40), nullable=True))
        batch.add_column(sa.Column("attachment_type", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("attachment_size", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("attachment_name", sa.String(120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        for name in ("attachment_name", "attachment_size", "attachment_type", "attachment_ref"):
            batch.drop_column(name)
