"""Relay: claim owners and heartbeats (placeholder, filled by issue 9 crash recovery).

Revision ID: 0006_relay_owners
Revises: 0005_privacy
"""

from __future__ import annotations

revision = "0006_relay_owners"
down_revision = "0005_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
