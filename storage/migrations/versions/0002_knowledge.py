"""Knowledge: the register (DIP) and the FAQ.

Revision ID: 0002_knowledge
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_knowledge"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "register_entries",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("judul", sa.Text, nullable=False),
        sa.Column("ringkasan", sa.Text, nullable=False),
        sa.Column("kategori", sa.String(16), nullable=False),
        sa.Column("opd", sa.String(255), nullable=False),
        sa.Column("opd_singkatan", sa.String(64), nullable=False),
        sa.Column("penanggung_jawab", sa.String(255), nullable=False),
        sa.Column("bentuk", sa.String(64), nullable=False),
        sa.Column("tahun", sa.Integer, nullable=True),
        sa.Column("retensi", sa.String(255), nullable=False),
        sa.Column("tautan", sa.String(1000), nullable=False),
        sa.Column("kata_kunci", sa.Text, nullable=False),
        sa.Column("alasan_pengecualian", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("retired_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_register_entries"),
    )
    op.create_index("ix_register_entries_active", "register_entries", ["active"])
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("pertanyaan", sa.Text, nullable=False),
        sa.Column("jawaban", sa.Text, nullable=False),
        sa.Column("tautan", sa.String(1000), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("retired_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_faq_entries"),
    )
    op.create_index("ix_faq_entries_active", "faq_entries", ["active"])


def downgrade() -> None:
    op.drop_index("ix_faq_entries_active", table_name="faq_entries")
    op.drop_table("faq_entries")
    op.drop_index("ix_register_entries_active", table_name="register_entries")
    op.drop_table("register_entries")
