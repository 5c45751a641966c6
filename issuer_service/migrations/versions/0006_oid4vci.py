"""OpenID4VCI: offers, access tokens and c_nonces (only hashes of their secrets).

Revision ID: 0006_oid4vci
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_oid4vci"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oid4vci_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("tx_code_hash", sa.String(64), nullable=False),
        sa.Column("configuration_id", sa.String(64), nullable=False),
        sa.Column("credential", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("staff_token_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tx_tries", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("credential_id", sa.String(64), nullable=True),
    )
    op.create_index("ix_oid4vci_offers_expires_at", "oid4vci_offers", ["expires_at"])
    op.create_table(
        "oid4vci_access_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("offer_id", sa.Integer(), sa.ForeignKey("oid4vci_offers.id"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_oid4vci_access_tokens_offer_id", "oid4vci_access_tokens", ["offer_id"])
    op.create_table(
        "oid4vci_nonces",
        sa.Column("nonce_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_oid4vci_nonces_expires_at", "oid4vci_nonces", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_oid4vci_nonces_expires_at", "oid4vci_nonces")
    op.drop_table("oid4vci_nonces")
    op.drop_index("ix_oid4vci_access_tokens_offer_id", "oid4vci_access_tokens")
    op.drop_table("oid4vci_access_tokens")
    op.drop_index("ix_oid4vci_offers_expires_at", "oid4vci_offers")
    op.drop_table("oid4vci_offers")
