"""write indexes: no index that only repeats another's first columns; completeness clustered

Each index is written on every insert: an import of 100,000 products writes half a million
completeness rows. Two indexes only repeated the first columns of a unique constraint
(versions by resource, unique values by attribute). Completeness loses its index on the
ratio alone, read by no query, and its index on the channel becomes one on channel,
locale and ratio, the columns a completeness filter compares. On SQLite the completeness
table is stored in the order of its primary key (WITHOUT ROWID), one tree instead of two.

Revision ID: 0008_write_indexes
Revises: 0007_version_storage
"""

from alembic import op

revision = "0008_write_indexes"
down_revision = "0007_version_storage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_versions_resource", table_name="versions")
    op.drop_index("ix_unique_values_attribute_id", table_name="unique_values")
    op.drop_index("ix_completeness_ratio", table_name="completeness")
    op.drop_index("ix_completeness_channel_id", table_name="completeness")
    if op.get_bind().dialect.name == "sqlite":
        _recreate_completeness(rowid=False)
    op.create_index("ix_completeness_channel_locale_ratio", "completeness",
                    ["channel_id", "locale", "ratio"])


def downgrade() -> None:
    op.drop_index("ix_completeness_channel_locale_ratio", table_name="completeness")
    if op.get_bind().dialect.name == "sqlite":
        _recreate_completeness(rowid=True)
    op.create_index("ix_completeness_ratio", "completeness", ["ratio"])
    op.create_index("ix_completeness_channel_id", "completeness", ["channel_id"])
    op.create_index("ix_unique_values_attribute_id", "unique_values", ["attribute_id"])
    op.create_index("ix_versions_resource", "versions", ["resource_type", "resource_id"])


def _recreate_completeness(rowid: bool) -> None:
    """Copy the completeness rows into a table stored with or without a rowid."""
    with op.batch_alter_table("completeness", recreate="always",
                              table_kwargs={"sqlite_with_rowid": rowid}):
        pass  # the batch copies the table as it is, into the new storage
