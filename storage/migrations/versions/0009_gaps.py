"""Gaps: questions citizens could not find an answer to, the bot's service counts, and disputes
taken to the Komisi Informasi (issue 13).

Revision ID: 0009_gaps
Revises: 0008_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_gaps"
down_revision = "0008_search"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "gap_groups",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("example", sa.Text, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("opd", sa.String(200), nullable=False),
        sa.Column("referral", sa.Text, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gap_groups"),
    )
    op.create_index("ix_gap_groups_status", "gap_groups", ["status"])
    op.create_table(
        "gap_questions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("group_id", ID, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gap_questions"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["gap_groups.id"], name="fk_gap_questions_group_id_gap_groups"
        ),
    )
    op.create_index("ix_gap_questions_group_id", "gap_questions", ["group_id"])
    op.create_index("ix_gap_questions_seen_at", "gap_questions", ["seen_at"])
    op.create_table(
        "service_counts",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "channel", name="pk_service_counts"),
    )
    with op.batch_alter_table("objections") as batch:
        batch.add_column(sa.Column("commission_on", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("objections") as batch:
        batch.drop_column("commission_on")
    op.drop_table("service_counts")
    op.drop_index("ix_gap_questions_seen_at", table_name="gap_questions")
    op.drop_index("ix_gap_questions_group_id", table_name="gap_questions")
    op.drop_table("gap_questions")
    op.drop_index("ix_gap_groups_status", table_name="gap_groups")
    op.drop_table("gap_groups")
