"""Search: learned terms and concepts (placeholder, filled by issue 11).

Revision ID: 0008_search
Revises: 0007_accounts
"""

from __future__ import annotations

revision = "0008_search"
down_revision = "0007_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
