"""Initial tables: keys, tokens, status lists and allocations, credentials, audit log.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "org_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_key_multibase", sa.String(64), nullable=False, unique=True),
        sa.Column("did", sa.String(255), nullable=False),
        sa.Column("verification_method", sa.String(512), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("retired_at", TZ, nullable=True),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("types", sa.JSON, nullable=True),
        sa.Column("scopes", sa.JSON, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_table(
        "status_lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("issuer_did", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("bits", sa.LargeBinary, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("next_list_id", sa.Integer, sa.ForeignKey("status_lists.id"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_status_lists_open", "status_lists", ["issuer_did", "purpose", "full"])
    op.create_table(
        "status_allocations",
        sa.Column("list_id", sa.Integer, sa.ForeignKey("status_lists.id"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("credential_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("subject_did", sa.String(255), nullable=False),
        sa.Column("issuer_did", sa.String(255), nullable=False),
        sa.Column("issued_at", TZ, nullable=False),
        sa.Column("issued_by", sa.String(200), nullable=False),
        sa.Column("revocation_list_id", sa.Integer, sa.ForeignKey("status_lists.id"), nullable=False),
        sa.Column("revocation_index", sa.Integer, nullable=False),
        sa.Column("suspension_list_id", sa.Integer, sa.ForeignKey("status_lists.id"), nullable=False),
        sa.Column("suspension_index", sa.Integer, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("suspended", sa.Boolean, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_index("ix_credentials_subject_did", "credentials", ["subject_did"])
    op.create_index("ix_credentials_issued_at", "credentials", ["issued_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("credential_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("details", sa.JSON, nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_credential_id", "audit_log", ["credential_id"])


def downgrade() -> None:
    for table in ("audit_log", "credentials", "status_allocations", "status_lists", "tokens", "org_keys"):
        op.drop_table(table)
