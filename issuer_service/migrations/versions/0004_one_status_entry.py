"""One status entry per credential: a position in a ``message`` list (statusSize 2).

Credentials issued before keep their revocation and suspension positions, which become optional.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("status_list_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_credentials_status_list_id", "status_lists", ["status_list_id"], ["id"])
        batch.add_column(sa.Column("status_index", sa.Integer(), nullable=True))
        for column in ("revocation_list_id", "revocation_index", "suspension_list_id", "suspension_index"):
            batch.alter_column(column, existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    """Only while no credential has a message entry (those have no revocation position)."""
    with op.batch_alter_table("credentials") as batch:
        for column in ("revocation_list_id", "revocation_index", "suspension_list_id", "suspension_index"):
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("fk_credentials_status_list_id", type_="foreignkey")
        batch.drop_column("status_index")
        batch.drop_column("status_list_id")
