"""`prism users`, `prism clients`, `prism tokens`: people and API credentials."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from pim.auth import oauth, personal, users
from pim.auth.models import ROLES
from pim.errors import AlreadyExists, PrismError, ValidationError


def _session() -> Session:
    return current_app.extensions["prism.sessions"]()


def _when(moment: object) -> str:
    return moment.isoformat(timespec="seconds") if moment else "never"


def _fail(exc: PrismError) -> click.ClickException:
    if isinstance(exc, ValidationError):
        return click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors))
    return click.ClickException(exc.message)


@click.group("users")
def users_group() -> None:
    """People who use Prism."""


@users_group.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", default=None, help="Asked for when not given.")
@click.option("--email", default=None)
@click.option("--if-missing", is_flag=True, help="Do nothing when the user already exists.")
@with_appcontext
def create_user_command(username: str, role: str, password: str | None, email: str | None,
                        if_missing: bool) -> None:
    """Create a user with a role (viewer, editor, reviewer, admin)."""
    with _session() as session:
        if if_missing and username in {u.username for u in users.list_users(session)}:
            click.echo(f"User {username} already exists; left as it is.")
            return
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            users.create_user(session, username, password, role, email=email)
        except AlreadyExists as exc:
            raise click.ClickException(f"{exc.message} (use --if-missing to skip it)") from None
        except PrismError as exc:
            raise _fail(exc) from None
    click.echo(f"Created user {username} with role {role}.")


@users_group.command("list")
@with_appcontext
def list_users_command() -> None:
    """List users and their roles."""
    with _session() as session:
        for user in users.list_users(session):
            state = "active" if user.active else "inactive"
            click.echo(f"{user.username}\t{user.role}\t{state}")


@click.group("clients")
def clients_group() -> None:
    """OAuth clients of the REST API."""


@clients_group.command("create")
@click.option("--label", required=True)
@with_appcontext
def create_client_command(label: str) -> None:
    """Create an API client and print its id and secret (the secret is shown once)."""
    with _session() as session:
        try:
            client, secret = oauth.create_client(session, label)
        except PrismError as exc:
            raise _fail(exc) from None
        click.echo(f"client_id: {client.client_id}\nsecret: {secret}\nlabel: {client.label}")


@clients_group.command("list")
@with_appcontext
def list_clients_command() -> None:
    """List API clients."""
    with _session() as session:
        for client in oauth.list_clients(session):
            state = f"revoked {_when(client.revoked)}" if client.revoked else "active"
            click.echo(f"{client.client_id}\t{client.label}\t{state}")


@clients_group.command("revoke")
@click.argument("client_id")
@with_appcontext
def revoke_client_command(client_id: str) -> None:
    """Revoke an API client and every token it was given."""
    with _session() as session:
        try:
            oauth.revoke_client(session, client_id)
        except PrismError as exc:
            raise _fail(exc) from None
    click.echo(f"Revoked client {client_id}.")


@click.group("tokens")
def tokens_group() -> None:
    """Personal API tokens."""


@tokens_group.command("create")
@click.option("--user", "username", required=True)
@click.option("--scope", required=True, type=click.Choice(personal.SCOPES))
@click.option("--label", default=None)
@with_appcontext
def create_token_command(username: str, scope: str, label: str | None) -> None:
    """Create a personal token and print it once (only its digest is stored)."""
    with _session() as session:
        try:
            token, plain = personal.create_personal_token(session, username, scope, label=label)
        except PrismError as exc:
            raise _fail(exc) from None
        click.echo(f"id: {token.id}\ntoken: {plain}\nscope: {scope}\n"
                   "Keep it now: it cannot be shown again.")


@tokens_group.command("list")
@click.option("--user", "username", default=None)
@with_appcontext
def list_tokens_command(username: str | None) -> None:
    """List personal tokens with their scope and last use."""
    with _session() as session:
        try:
            tokens = personal.list_personal_tokens(session, username)
        except PrismError as exc:
            raise _fail(exc) from None
        for token in tokens:
            state = f"revoked {_when(token.revoked)}" if token.revoked else "active"
            click.echo(f"{token.id}\t{token.user.username}\t{token.scope}\t{token.prefix}…\t"
                       f"last used {_when(token.last_used)}\t{state}\t{token.label or ''}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke a personal token by its id."""
    with _session() as session:
        try:
            personal.revoke_personal_token(session, token_id)
        except PrismError as exc:
            raise _fail(exc) from None
    click.echo(f"Revoked token {token_id}.")


def register_commands(app: Flask) -> None:
    """Attach `prism users`, `prism clients` and `prism tokens` to `app`."""
    for group in (users_group, clients_group, tokens_group):
        app.cli.add_command(group)
