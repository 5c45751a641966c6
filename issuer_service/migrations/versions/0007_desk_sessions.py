"""The issuing desk's browser sessions (only the SHA-256 of each cookie secret).

Revision ID: 0007_desk_sessions
Revises: 0006_oid4vci
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_desk_sessions"
down_revision = "0006_oid4vci"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("staff_name", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_desk_sessions_token_id", "desk_sessions", ["token_id"])
    op.create_index("ix_desk_sessions_expires_at", "desk_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_desk_sessions_expires_at", "desk_sessions")
    op.drop_index("ix_desk_sessions_token_id", "desk_sessions")
    op.drop_table("desk_sessions")
