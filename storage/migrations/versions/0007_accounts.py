"""Accounts, roles, console sessions and audit (placeholder, filled by issue 10).

Revision ID: 0007_accounts
Revises: 0006_relay_owners
"""

from __future__ import annotations

revision = "0007_accounts"
down_revision = "0006_relay_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
