"""Request access: access codes and per-conversation try counters (placeholder, filled by issue 9 item 1).

Revision ID: 0004_request_access
Revises: 0003_requests
"""

from __future__ import annotations

revision = "0004_request_access"
down_revision = "0003_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
