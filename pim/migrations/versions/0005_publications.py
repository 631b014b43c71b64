"""publications

Revision ID: 0005_publications
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

from pim.db import JSONType, UTCDateTime

revision = "0005_publications"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("channel_code", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("running_channel_id", sa.Integer(), nullable=True),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("started", UTCDateTime(), nullable=True),
        sa.Column("finished", UTCDateTime(), nullable=True),
        sa.Column("considered", sa.Integer(), nullable=False),
        sa.Column("exported", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("filtered", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=True),
        sa.Column("archive_key", sa.String(length=512), nullable=True),
        sa.Column("deliveries", JSONType, nullable=False),
        sa.Column("isolation", sa.String(length=60), nullable=True),
        sa.Column("details", JSONType, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE",
                                name=op.f("fk_publications_channel_id_channels")),
        sa.ForeignKeyConstraint(["base_id"], ["publications.id"], ondelete="SET NULL",
                                name=op.f("fk_publications_base_id_publications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
        sa.UniqueConstraint("running_channel_id",
                            name=op.f("uq_publications_running_channel_id")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publications_channel_id"), ["channel_id"])
        batch_op.create_index(batch_op.f("ix_publications_status"), ["status"])
    op.create_table(
        "publication_records",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["publications.id"], ondelete="CASCADE",
                                name=op.f("fk_publication_records_publication_id_publications")),
        sa.PrimaryKeyConstraint("publication_id", "product_id",
                                name=op.f("pk_publication_records")),
    )
    op.create_table(
        "publication_problems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("value", JSONType, nullable=True),
        sa.ForeignKeyConstraint(["publication_id"], ["publications.id"], ondelete="CASCADE",
                                name=op.f("fk_publication_problems_publication_id_publications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_problems")),
    )
    with op.batch_alter_table("publication_problems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_problems_publication_id"),
                              ["publication_id"])
    op.create_table(
        "channel_listings",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("published", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE",
                                name=op.f("fk_channel_listings_channel_id_channels")),
        sa.ForeignKeyConstraint(["publication_id"], ["publications.id"], ondelete="CASCADE",
                                name=op.f("fk_channel_listings_publication_id_publications")),
        sa.PrimaryKeyConstraint("channel_id", "product_id", name=op.f("pk_channel_listings")),
    )
    with op.batch_alter_table("channel_listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_listings_publication_id"),
                              ["publication_id"])
    op.create_table(
        "channel_feeds",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE",
                                name=op.f("fk_channel_feeds_channel_id_channels")),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_feeds")),
    )


def downgrade() -> None:
    op.drop_table("channel_feeds")
    op.drop_table("channel_listings")
    op.drop_table("publication_problems")
    op.drop_table("publication_records")
    op.drop_table("publications")
