"""assets: stored files, assets, versions, tags, renditions, link rules

Revision ID: 0003_assets
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

from pim.db import JSONType

revision = "0003_assets"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asset_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("extension", sa.String(length=10), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("metadata", JSONType, nullable=False),
        sa.Column("meta_text", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_asset_files_sha256")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_asset_files_storage_key")),
    )
    with op.batch_alter_table("asset_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_files_media_type"), ["media_type"], unique=False)

    op.create_table(
        "asset_link_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("pattern", sa.String(length=255), nullable=False),
        sa.Column("attribute", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_link_rules")),
        sa.UniqueConstraint("code", name=op.f("uq_asset_link_rules_code")),
    )
    op.create_table(
        "asset_renditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.String(length=255), nullable=False),
        sa.Column("focal_key", sa.String(length=32), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["asset_files.id"],
            name=op.f("fk_asset_renditions_file_id_asset_files"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_renditions")),
        sa.UniqueConstraint(
            "file_id", "spec", "focal_key", name=op.f("uq_asset_renditions_file_id")
        ),
    )
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("title", JSONType, nullable=False),
        sa.Column("alt_text", JSONType, nullable=False),
        sa.Column("focal_x", sa.Float(), nullable=True),
        sa.Column("focal_y", sa.Float(), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "focal_x IS NULL OR (focal_x >= 0 AND focal_x <= 1)", name=op.f("ck_assets_focal_x")
        ),
        sa.CheckConstraint(
            "focal_y IS NULL OR (focal_y >= 0 AND focal_y <= 1)", name=op.f("ck_assets_focal_y")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["asset_files.id"],
            name=op.f("fk_assets_file_id_asset_files"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("code", name=op.f("uq_assets_code")),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assets_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assets_updated"), ["updated"], unique=False)

    op.create_table(
        "asset_tags",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"],
            name=op.f("fk_asset_tags_asset_id_assets"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "tag", name=op.f("pk_asset_tags")),
    )
    with op.batch_alter_table("asset_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "asset_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=1024), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"],
            name=op.f("fk_asset_versions_asset_id_assets"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["asset_files.id"],
            name=op.f("fk_asset_versions_file_id_asset_files"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_versions")),
        sa.UniqueConstraint("asset_id", "number", name=op.f("uq_asset_versions_asset_id")),
    )
    with op.batch_alter_table("asset_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_versions_file_id"), ["file_id"], unique=False)


def downgrade() -> None:
    op.drop_table("asset_versions")
    op.drop_table("asset_tags")
    op.drop_table("assets")
    op.drop_table("asset_renditions")
    op.drop_table("asset_link_rules")
    op.drop_table("asset_files")
