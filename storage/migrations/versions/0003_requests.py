"""Requests: requesters (encrypted personal data), requests, events, objections, holidays,
attachments, number sequences and the personal-data access log.

Revision ID: 0003_requests
Revises: 0002_knowledge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_requests"
down_revision = "0002_knowledge"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "requesters",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("requester_type", sa.String(16), nullable=False),
        sa.Column("filing_as", sa.String(16), nullable=False),
        sa.Column("nik_hash", sa.String(64), nullable=True),
        sa.Column("name_enc", sa.LargeBinary, nullable=True),
        sa.Column("nik_enc", sa.LargeBinary, nullable=True),
        sa.Column("legal_entity_enc", sa.LargeBinary, nullable=True),
        sa.Column("address_enc", sa.LargeBinary, nullable=True),
        sa.Column("phone_enc", sa.LargeBinary, nullable=True),
        sa.Column("email_enc", sa.LargeBinary, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("erased_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_requesters"),
    )
    op.create_index("ix_requesters_nik_hash", "requesters", ["nik_hash"])
    op.create_table(
        "requests",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("number", sa.String(24), nullable=False),
        sa.Column("requester_id", BigId, nullable=False),
        sa.Column("conversation_id", BigId, nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("information", sa.Text, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("obtain_method", sa.String(24), nullable=False),
        sa.Column("copy_delivery", sa.String(24), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("original_due_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("extension_reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("pasal17", sa.String(1), nullable=False),
        sa.Column("decision_reason", sa.Text, nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("notice", sa.Text, nullable=False),
        sa.Column("answered_on", sa.Date, nullable=True),
        sa.Column("opd", sa.String(64), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.UniqueConstraint("number", name="uq_requests_number"),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["requesters.id"], name="fk_requests_requester_id_requesters"
        ),
    )
    op.create_index("ix_requests_requester_id", "requests", ["requester_id"])
    op.create_index("ix_requests_conversation_id", "requests", ["conversation_id"])
    op.create_index("ix_requests_status_due", "requests", ["status", "due_on"])
    op.create_table(
        "request_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("request_id", BigId, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("from_status", sa.String(24), nullable=False),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_request_events_request_id_requests"
        ),
    )
    op.create_index("ix_request_events_request_id", "request_events", ["request_id"])
    op.create_table(
        "objections",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("number", sa.String(24), nullable=False),
        sa.Column("request_id", BigId, nullable=False),
        sa.Column("conversation_id", BigId, nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("ground", sa.String(1), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("answered_on", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_objections"),
        sa.UniqueConstraint("number", name="uq_objections_number"),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"], name="fk_objections_request_id_requests"),
    )
    op.create_index("ix_objections_request_id", "objections", ["request_id"])
    op.create_table(
        "holidays",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_holidays"),
    )
    op.create_table(
        "attachments",
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("file_name_enc", sa.LargeBinary, nullable=True),
        sa.Column("data_enc", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("request_id", BigId, nullable=True),
        sa.PrimaryKeyConstraint("ref", name="pk_attachments"),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"], name="fk_attachments_request_id_requests"),
    )
    op.create_index("ix_attachments_request_id", "attachments", ["request_id"])
    op.create_table(
        "number_sequences",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("last", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("kind", "year", name="pk_number_sequences"),
    )
    op.create_table(
        "personal_data_access",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("requester_id", BigId, nullable=True),
        sa.Column("request_id", BigId, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_personal_data_access"),
    )
    op.create_index(
        "ix_personal_data_access_request", "personal_data_access", ["request_id", "action", "at"]
    )


def downgrade() -> None:
    op.drop_table("personal_data_access")
    op.drop_table("number_sequences")
    op.drop_table("attachments")
    op.drop_table("holidays")
    op.drop_table("objections")
    op.drop_table("request_events")
    op.drop_table("requests")
    op.drop_table("requesters")
