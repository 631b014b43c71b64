"""API credentials: OAuth clients, access and refresh tokens, personal tokens, rate limits

Revision ID: 0002_api
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_api"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("created", TIME, nullable=False),
        sa.Column("revoked", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_api_clients_client_id")),
    )
    for table in ("api_access_tokens", "api_refresh_tokens"):
        columns = [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("client_id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("credentials_version", sa.Integer(), nullable=False),
            sa.Column("created", TIME, nullable=False),
            sa.Column("expires", TIME, nullable=False),
        ]
        if table == "api_refresh_tokens":
            columns.append(sa.Column("used", TIME, nullable=True))
        op.create_table(
            table,
            *columns,
            sa.ForeignKeyConstraint(["client_id"], ["api_clients.id"],
                                    name=op.f(f"fk_{table}_client_id_api_clients"),
                                    ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                    name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("token_hash", name=op.f(f"uq_{table}_token_hash")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("client_id", "user_id", "expires"):
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
    op.create_table(
        "personal_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created", TIME, nullable=False),
        sa.Column("last_used", TIME, nullable=True),
        sa.Column("revoked", TIME, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_personal_tokens_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_personal_tokens_token_hash")),
    )
    with op.batch_alter_table("personal_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_tokens_user_id"), ["user_id"], unique=False)
    op.create_table(
        "api_rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window", name=op.f("pk_api_rate_limits")),
    )


def downgrade() -> None:
    op.drop_table("api_rate_limits")
    op.drop_table("personal_tokens")
    op.drop_table("api_refresh_tokens")
    op.drop_table("api_access_tokens")
    op.drop_table("api_clients")
