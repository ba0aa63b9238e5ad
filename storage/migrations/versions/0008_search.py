"""Search: the concepts PPID officers teach the search (issue 11).

Revision ID: 0008_search
Revises: 0007_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_search"
down_revision = "0007_accounts"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "search_concepts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("situation", sa.String(200), nullable=False),
        sa.Column("services", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_concepts"),
    )
    op.create_index("ix_search_concepts_active", "search_concepts", ["active"])


def downgrade() -> None:
    op.drop_index("ix_search_concepts_active", table_name="search_concepts")
    op.drop_table("search_concepts")
