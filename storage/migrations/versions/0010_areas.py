"""Areas, subscriptions and broadcasts (placeholder, filled by issue 12).

Revision ID: 0010_areas
Revises: 0009_gaps
"""

from __future__ import annotations

revision = "0010_areas"
down_revision = "0009_gaps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
