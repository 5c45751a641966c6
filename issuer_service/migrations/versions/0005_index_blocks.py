"""Status indexes reserved in blocks: an allocation may have no credential yet; a credential's
position is unique per list (the second guard against handing an index out twice).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_allocations") as batch:
        batch.alter_column("credential_id", existing_type=sa.String(64), nullable=True)
    op.create_index("uq_credentials_status_position", "credentials", ["status_list_id", "status_index"], unique=True)


def downgrade() -> None:
    """Each allocation names its credential again; a reserved index no credential holds keeps an
    empty name, so it stays taken (it may have been handed out by a transaction whose fate is unknown)."""
    op.drop_index("uq_credentials_status_position", table_name="credentials")
    op.execute("""UPDATE status_allocations SET credential_id = (
                      SELECT credentials.id FROM credentials WHERE credentials.status_list_id = status_allocations.list_id
                      AND credentials.status_index = status_allocations.idx)
                  WHERE credential_id IS NULL""")
    op.execute("UPDATE status_allocations SET credential_id = '' WHERE credential_id IS NULL")
    with op.batch_alter_table("status_allocations") as batch:
        batch.alter_column("credential_id", existing_type=sa.String(64), nullable=False)
