"""Saved replies per OPD and private notes on conversations (the console's reply tools).

Revision ID: 0011_console2
Revises: 0010_areas
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_console2"
down_revision = "0010_areas"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "saved_replies",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("opd", sa.String(32), nullable=False),  # "" for every OPD (made by the PPID Utama)
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_replies"),
    )
    op.create_index("ix_saved_replies_opd", "saved_replies", ["opd"])
    op.create_table(
        "conversation_notes",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("conversation_id", BigId, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("body_enc", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name="fk_conversation_notes_conversation_id_conversations",
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name="pk_conversation_notes"),
    )
    op.create_index("ix_conversation_notes_conversation_id", "conversation_notes", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_notes_conversation_id", table_name="conversation_notes")
    op.drop_table("conversation_notes")
    op.drop_index("ix_saved_replies_opd", table_name="saved_replies")
    op.drop_table("saved_replies")
