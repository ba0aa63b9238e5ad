"""The console's uploaded register and FAQ files, shared by every worker process: ``upload_jobs``
(the file and its preview sealed; see ``bot.console.upload_jobs``).

Revision ID: 0016_upload_jobs
Revises: 0015_outbox_claim_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_upload_jobs"
down_revision = "0015_outbox_claim_index"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "upload_jobs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", BigId, nullable=True),
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("sheet", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(32), nullable=False),
        sa.Column("retire_missing", sa.Boolean, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("data_enc", sa.LargeBinary, nullable=True),
        sa.Column("preview_enc", sa.LargeBinary, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_upload_jobs"),
    )
    op.create_index("ix_upload_jobs_account_id", "upload_jobs", ["account_id"])
    op.create_index("ix_upload_jobs_state", "upload_jobs", ["state"])


def downgrade() -> None:
    op.drop_index("ix_upload_jobs_state", table_name="upload_jobs")
    op.drop_index("ix_upload_jobs_account_id", table_name="upload_jobs")
    op.drop_table("upload_jobs")
