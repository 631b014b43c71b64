"""OAuth grants, token expiry and revocation, personal tokens, rate limit, CLI."""

from __future__ import annotations

import pytest

from pim.auth import personal, users
from tests.api.conftest import PASSWORD

TOKEN = "/api/oauth/v1/token"
FAMILIES = "/api/rest/v1/families"


def _password_grant(client, basic, username="editor", password=PASSWORD):
    return client.post(TOKEN, json={"grant_type": "password", "username": username,
                                    "password": password}, headers=basic)


def test_password_grant_gives_a_bearer_token_that_reads(client, catalog, people, api_client):
    response = _password_grant(client, api_client[2])
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["scope"] is None and body["refresh_token"]
    read = client.get(FAMILIES, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert read.status_code == 200
    assert [f["code"] for f in read.json["_embedded"]["items"]] == ["accessories", "shoes"]


def test_form_encoded_grant_works_too(client, catalog, people, api_client):
    response = client.post(TOKEN, data={"grant_type": "password", "username": "viewer",
                                        "password": PASSWORD}, headers=api_client[2])
    assert response.status_code == 200


@pytest.mark.parametrize("change, message", [
    ({"password": "wrong password"}, "No user found for the given username and password"),
    ({"username": "nobody"}, "No user found for the given username and password"),
    ({"grant_type": "client_credentials"}, 'Parameter "grant_type" must be one of'),
])
def test_bad_grants_are_refused_with_422(client, people, api_client, change, message):
    body = {"grant_type": "password", "username": "editor", "password": PASSWORD, **change}
    response = client.post(TOKEN, json=body, headers=api_client[2])
    assert response.status_code == 422
    assert response.json["message"].startswith(message)


def test_wrong_client_secret_is_refused(client, people, api_client):
    import base64

    bad = base64.b64encode(f"{api_client[0]}:not-the-secret".encode()).decode()
    response = _password_grant(client, {"Authorization": f"Basic {bad}"})
    assert response.status_code == 422
    assert "client_id" in response.json["message"]


def test_refresh_grant_trades_once(client, people, api_client):
    first = _password_grant(client, api_client[2]).json
    refreshed = client.post(TOKEN, json={"grant_type": "refresh_token",
                                         "refresh_token": first["refresh_token"]},
                            headers=api_client[2])
    assert refreshed.status_code == 200
    assert refreshed.json["access_token"] != first["access_token"]
    again = client.post(TOKEN, json={"grant_type": "refresh_token",
                                     "refresh_token": first["refresh_token"]},
                        headers=api_client[2])
    assert again.status_code == 422 and again.json["message"] == "Invalid refresh token"


def test_expired_access_token_is_refused(app, client, people, api_client):
    app.config["ACCESS_TOKEN_TTL"] = 0
    token = _password_grant(client, api_client[2]).json["access_token"]
    response = client.get(FAMILIES, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json == {"code": 401, "message": "The access token provided has expired."}


def test_expired_refresh_token_is_refused(app, client, people, api_client):
    app.config["REFRESH_TOKEN_TTL"] = 0
    refresh = _password_grant(client, api_client[2]).json["refresh_token"]
    response = client.post(TOKEN, json={"grant_type": "refresh_token", "refresh_token": refresh},
                           headers=api_client[2])
    assert response.status_code == 422 and response.json["message"] == "Refresh token has expired"


def test_password_change_revokes_tokens(client, session, people, api_client):
    token = _password_grant(client, api_client[2]).json["access_token"]
    users.set_password(session, "editor", "another long password")
    response = client.get(FAMILIES, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc"])
def test_missing_or_unknown_tokens_get_401(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(FAMILIES, headers=headers)
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_personal_token_revocation_and_last_use(client, session, people):
    token, plain = personal.create_personal_token(session, "viewer", "read", label="laptop")
    assert token.last_used is None and plain.startswith("prism_pat_")
    assert token.token_hash != plain and plain not in token.token_hash
    assert client.get(FAMILIES, headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    session.refresh(token)
    assert token.last_used is not None
    personal.revoke_personal_token(session, token.id)
    response = client.get(FAMILIES, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 401


def test_token_endpoint_is_rate_limited(app, client, people, api_client):
    app.config["TOKEN_RATE_LIMIT"] = 3
    statuses = [_password_grant(client, api_client[2]).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = _password_grant(client, api_client[2])
    assert limited.json["code"] == 429 and limited.headers["Retry-After"] == "60"


def test_cli_creates_users_clients_and_tokens(app, session):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["users", "create", "--username", "zoë", "--role", "editor",
                               "--password", "long enough pass"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(args=["users", "create", "--username", "zoë", "--role", "editor",
                                "--password", "long enough pass"])
    assert again.exit_code != 0 and "already exists" in again.output
    skipped = runner.invoke(args=["users", "create", "--username", "zoë", "--role", "editor",
                                  "--if-missing"])
    assert skipped.exit_code == 0 and "already exists" in skipped.output
    listed = runner.invoke(args=["users", "list"])
    assert "zoë\teditor\tactive" in listed.output
    client = runner.invoke(args=["clients", "create", "--label", "ERP"])
    assert "client_id: " in client.output and "secret: " in client.output
    token = runner.invoke(args=["tokens", "create", "--user", "zoë", "--scope", "read"])
    assert "token: prism_pat_" in token.output
    token_id = token.output.split("id: ")[1].split()[0]
    listing = runner.invoke(args=["tokens", "list", "--user", "zoë"])
    assert "last used never" in listing.output and "active" in listing.output
    revoked = runner.invoke(args=["tokens", "revoke", token_id])
    assert revoked.exit_code == 0
    assert "revoked" in runner.invoke(args=["tokens", "list"]).output
    weak = runner.invoke(args=["users", "create", "--username", "x", "--role", "viewer",
                               "--password", "short"])
    assert weak.exit_code != 0 and "at least 8" in weak.output
