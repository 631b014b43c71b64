"""version storage: a creation's changes are not stored twice; history as json text

A version that creates its entity stores its snapshot and leaves `changes` null: every
value of the snapshot is new (`Version.changes` says so). On PostgreSQL, versions keep
their documents as json text, read whole, never queried inside.

Revision ID: 0007_version_storage
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_version_storage"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for column in ("changes", "snapshot"):
            op.alter_column("versions", column, type_=postgresql.JSON(none_as_null=True),
                            postgresql_using=f"{column}::json")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.alter_column("changes", existing_type=sa.JSON(), nullable=True)


def downgrade() -> None:
    bind = op.get_bind()
    versions = sa.table("versions", sa.column("id", sa.Integer),
                        sa.column("changes", sa.JSON(none_as_null=True)),
                        sa.column("snapshot", sa.JSON(none_as_null=True)))
    creations = bind.execute(sa.select(versions.c.id, versions.c.snapshot)
                             .where(versions.c.changes.is_(None))).all()
    for version_id, snapshot in creations:
        state = snapshot or {}
        changes = {key: {"old": None, "new": state[key]} for key in sorted(state)
                   if state[key] is not None}
        bind.execute(versions.update().where(versions.c.id == version_id)
                     .values(changes=changes))
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.alter_column("changes", existing_type=sa.JSON(), nullable=False)
    if bind.dialect.name == "postgresql":
        for column in ("changes", "snapshot"):
            op.alter_column("versions", column, type_=postgresql.JSONB(none_as_null=True),
                            postgresql_using=f"{column}::jsonb")
