"""Request access: access codes (keyed hash and ciphertext) and failed tries per conversation.

Revision ID: 0004_request_access
Revises: 0003_requests
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_request_access"
down_revision = "0003_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("access_code_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("access_code_enc", sa.LargeBinary, nullable=True))
    op.create_index("ix_personal_data_access_actor", "personal_data_access", ["actor", "action", "at"])


def downgrade() -> None:
    op.drop_index("ix_personal_data_access_actor", table_name="personal_data_access")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("access_code_enc")
        batch.drop_column("access_code_hash")
