"""Example questions of register and FAQ entries (``contoh_pertanyaan``, see ``knowledge.examples``):
how citizens ask for an entry in their own words, searched as a low-weight field.

Revision ID: 0017_example_questions
Revises: 0016_upload_jobs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_example_questions"
down_revision = "0016_upload_jobs"
branch_labels = None
depends_on = None

TABLES = ("register_entries", "faq_entries")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("contoh_pertanyaan", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("contoh_pertanyaan")
