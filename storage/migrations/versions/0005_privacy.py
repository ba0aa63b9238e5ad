"""Privacy: the key check value, sealed chat addresses and a web-session epoch per conversation.

``key_check`` holds one row: an HMAC of a constant under the installed key, written on first
start, so a different key is refused at start-up (``storage.privacy.check_key``).
``conversations.address`` is the sealed address (a WhatsApp number) of a chat whose ``chat_id``
is a keyed pseudonym; ``conversations.session_epoch`` goes up when the conversation's personal
data is erased, so web-chat sessions issued before end.

Revision ID: 0005_privacy
Revises: 0004_request_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_privacy"
down_revision = "0004_request_access"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_check",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_key_check"),
    )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("address", sa.Text, nullable=True))
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("session_epoch")
        batch.drop_column("address")
    op.drop_table("key_check")
