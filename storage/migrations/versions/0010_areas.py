"""Areas, subscriptions, coordinators' areas and broadcasts (issue 12).

Areas form a tree kota -> kecamatan -> kelurahan -> RW -> RT; a subscription ties a conversation
(no personal data) to an area; a broadcast's outbox rows carry its id (``outbox.broadcast_id``)
so its delivery figures are counted from the outbox itself.

Revision ID: 0010_areas
Revises: 0009_gaps
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_areas"
down_revision = "0009_gaps"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("parent_id", BigId, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["areas.id"], name="fk_areas_parent_id_areas", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_areas"),
        sa.UniqueConstraint("key", name="uq_areas_key"),
    )
    op.create_index("ix_areas_parent_id", "areas", ["parent_id"])
    op.create_table(
        "account_areas",
        sa.Column("account_id", BigId, nullable=False),
        sa.Column("area_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_account_areas_account_id_accounts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="fk_account_areas_area_id_areas", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", "area_id", name="pk_account_areas"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("conversation_id", BigId, nullable=False),
        sa.Column("area_id", BigId, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_subscriptions_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="fk_subscriptions_area_id_areas", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint("conversation_id", "area_id", name="uq_subscriptions_conversation_area"),
    )
    op.create_index("ix_subscriptions_area", "subscriptions", ["area_id", "conversation_id"])
    op.create_table(
        "broadcasts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("area_id", BigId, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("cursor", BigId, nullable=False),
        sa.Column("recipients", sa.Integer, nullable=False),
        sa.Column("fanned_out_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="fk_broadcasts_area_id_areas", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
    )
    op.create_index("ix_broadcasts_status", "broadcasts", ["status", "id"])
    op.create_table(
        "coordinator_links",
        sa.Column("account_id", BigId, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("code_expires_at", TS, nullable=True),
        sa.Column("conversation_id", BigId, nullable=True),
        sa.Column("linked_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_coordinator_links_account_id_accounts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_coordinator_links_conversation_id_conversations",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("account_id", name="pk_coordinator_links"),
    )
    op.create_index("ix_coordinator_links_code_hash", "coordinator_links", ["code_hash"])
    op.create_index("ix_coordinator_links_conversation_id", "coordinator_links", ["conversation_id"])
    op.add_column("outbox", sa.Column("broadcast_id", BigId, nullable=True))
    op.create_index("ix_outbox_broadcast_id", "outbox", ["broadcast_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_broadcast_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("broadcast_id")
    op.drop_index("ix_coordinator_links_conversation_id", table_name="coordinator_links")
    op.drop_index("ix_coordinator_links_code_hash", table_name="coordinator_links")
    op.drop_table("coordinator_links")
    op.drop_index("ix_broadcasts_status", table_name="broadcasts")
    op.drop_table("broadcasts")
    op.drop_index("ix_subscriptions_area", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_table("account_areas")
    op.drop_index("ix_areas_parent_id", table_name="areas")
    op.drop_table("areas")
