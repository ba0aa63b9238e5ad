"""Gaps: questions citizens could not find an answer to (placeholder, filled by issue 13).

Revision ID: 0009_gaps
Revises: 0008_search
"""

from __future__ import annotations

revision = "0009_gaps"
down_revision = "0008_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
