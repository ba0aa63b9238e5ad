"""Privacy: key check value, keyed chat ids (placeholder, filled by issue 9 privacy items).

Revision ID: 0005_privacy
Revises: 0004_request_access
"""

from __future__ import annotations

revision = "0005_privacy"
down_revision = "0004_request_access"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
