"""Every role's allowed and refused operations, table-driven."""

from __future__ import annotations

import pytest

from tests.builders import product

V = "/api/rest/v1"
# (method, path, body, roles allowed); "admin-read" is a read-only token of an admin
OPERATIONS = [
    ("GET", f"{V}/products/shoe-1", None, {"viewer", "editor", "reviewer", "admin",
                                            "admin-read"}),
    ("GET", f"{V}/families", None, {"viewer", "editor", "reviewer", "admin", "admin-read"}),
    ("PATCH", f"{V}/products/shoe-1", {"enabled": False}, {"editor", "reviewer", "admin"}),
    ("POST", f"{V}/products", {"identifier": "new-1", "family": "shoes"},
     {"editor", "reviewer", "admin"}),
    ("PATCH", f"{V}/products/shoe-1", {"status": "approved"}, {"reviewer", "admin"}),
    ("PATCH", f"{V}/products/shoe-1", {"status": "in_review"}, {"editor", "reviewer", "admin"}),
    ("DELETE", f"{V}/products/shoe-1", None, {"editor", "reviewer", "admin"}),
    ("POST", f"{V}/product-models", {"code": "pm_1", "family_variant": "shoes_size"},
     {"editor", "reviewer", "admin"}),
    ("PATCH", f"{V}/families/shoes", {"labels": {"de_DE": "Schuhe"}}, {"admin"}),
    ("POST", f"{V}/attributes", {"code": "brand", "type": "pim_catalog_text",
                                 "group": "general"}, {"admin"}),
    ("PATCH", f"{V}/attributes/color/options/green", {"labels": {"en_US": "Green"}}, {"admin"}),
    ("POST", f"{V}/categories", {"code": "women", "parent": "shoes"}, {"admin"}),
    ("PATCH", f"{V}/channels/mobile", {"labels": {"en_US": "Mobile"}}, {"admin"}),
    ("DELETE", f"{V}/categories/men", None, {"admin"}),
    ("POST", f"{V}/families/shoes/versions/1/restore", None, {"admin"}),
    ("POST", f"{V}/products/shoe-1/versions/1/restore", None, {"editor", "reviewer", "admin"}),
]
CALLERS = ("viewer", "editor", "reviewer", "admin", "admin-read")


@pytest.mark.parametrize("method, path, body, allowed", OPERATIONS,
                         ids=[f"{m} {p.removeprefix(V)} {b}" for m, p, b, _ in OPERATIONS])
def test_role_table(client, connection, catalog, headers, method, path, body, allowed):
    product(catalog, "shoe-1", categories=[])
    client.patch(f"{V}/products/shoe-1", json={"enabled": True}, headers=headers["admin"])
    kwargs = {"json": body} if body is not None else {}
    for caller in CALLERS:
        attempt = connection.begin_nested()
        response = client.open(path, method=method, headers=headers[caller], **kwargs)
        attempt.rollback()
        if caller in allowed:
            assert response.status_code < 300, (caller, response.get_data(as_text=True))
        else:
            assert response.status_code == 403, (caller, response.get_data(as_text=True))
            assert response.json["code"] == 403 and response.json["message"]


def test_refused_write_changes_nothing(client, catalog, headers):
    product(catalog, "shoe-1")
    before = client.get(f"{V}/products/shoe-1", headers=headers["viewer"]).json
    response = client.patch(f"{V}/products/shoe-1", json={"status": "approved"},
                            headers=headers["editor"])
    assert response.status_code == 403
    assert "reviewer" in response.json["message"]
    assert client.get(f"{V}/products/shoe-1", headers=headers["viewer"]).json == before


def test_read_only_token_says_so(client, catalog, headers):
    response = client.post(f"{V}/categories", json={"code": "x"}, headers=headers["admin-read"])
    assert response.status_code == 403
    assert response.json["message"] == "Access forbidden. This token is read-only."
