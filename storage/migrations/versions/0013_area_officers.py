"""Officers bound to the kelurahan (or kecamatan) whose coordinators' announcements they approve
(issue 12: "approval by the kelurahan's officer").

Revision ID: 0013_area_officers
Revises: 0012_broadcast_media
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_area_officers"
down_revision = "0012_broadcast_media"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "area_officers",
        sa.Column("account_id", BigId, nullable=False),
        sa.Column("area_id", BigId, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_area_officers_account_id_accounts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="fk_area_officers_area_id_areas", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "area_id", name="pk_area_officers"),
    )
    op.create_index("ix_area_officers_area", "area_officers", ["area_id", "account_id"])


def downgrade() -> None:
    op.drop_index("ix_area_officers_area", table_name="area_officers")
    op.drop_table("area_officers")
