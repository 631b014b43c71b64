"""The import resources of the REST API: upload, follow, report, failed rows, revert."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from pim import create_app
from pim.auth import passwords, personal, users
from pim.catalog import services as s
from pim.catalog.models import Product
from tests.imports.conftest import csv_bytes
from tests.imports.test_akeneo_files import HEADER, row

V = "/api/rest/v1"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher",
                        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def bearer(session):
    """Bearer headers of a write token for an editor and an admin, a viewer's read token."""
    found = {}
    for role in ("viewer", "editor", "admin"):
        users.create_user(session, role, "correct horse battery", role)
        _, plain = personal.create_personal_token(session, role, "write")
        found[role] = {"Authorization": f"Bearer {plain}"}
    return found


def upload(client, headers, data: bytes, name: str = "products.csv", **form):
    body = {"file": (io.BytesIO(data), name), **{k: str(v) for k, v in form.items()}}
    return client.post(f"{V}/imports", data=body, headers=headers,
                       content_type="multipart/form-data")


def products(session) -> int:
    return session.scalar(select(func.count()).select_from(Product))


def test_upload_follow_report_failed_rows_and_revert(catalog, client, bearer, session):
    data = csv_bytes(HEADER, [row("API-1"), row("API-2", color="purple"), row("API-3")])
    answer = upload(client, bearer["editor"], data)
    assert answer.status_code == 202, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "succeeded" and body["counts"]["product"]["created"] == 2
    assert answer.headers["Location"].endswith(f"/imports/{body['id']}")
    assert body["_links"]["job"]["href"].endswith(f"/jobs/{body['job_id']}")
    job = client.get(body["_links"]["job"]["href"], headers=bearer["viewer"]).get_json()
    assert job["kind"] == "import" and job["status"] == "succeeded"
    assert job["progress"] == {"done": 3, "total": 3}
    assert job["changeset_id"] == body["changeset_id"] and job["result"]["rows_read"] == 3
    got = client.get(f"{V}/imports/{body['id']}", headers=bearer["viewer"]).get_json()
    assert got["rows_failed"] == 1 and got["created_by"] == "editor"
    report = client.get(f"{V}/imports/{body['id']}/report", headers=bearer["viewer"]).get_json()
    assert report["issue_totals"] == {"error": 1, "warning": 0}
    assert report["issues"][0]["row"] == 3 and report["issues"][0]["problems"][0] == {
        "column": "color", "message": "option 'purple' does not exist for attribute color",
        "value": "purple"}
    failed = client.get(f"{V}/imports/{body['id']}/failed-rows", headers=bearer["viewer"])
    assert failed.status_code == 200 and failed.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(failed.get_data(as_text=True)), delimiter=";"))
    assert [r[0] for r in lines] == ["sku", "API-2"]
    listed = client.get(f"{V}/imports", headers=bearer["viewer"]).get_json()
    assert [i["id"] for i in listed["items"]] == [body["id"]]
    assert client.post(f"{V}/imports/{body['id']}/revert",
                       headers=bearer["viewer"]).status_code == 403
    reverted = client.post(f"{V}/imports/{body['id']}/revert", headers=bearer["editor"])
    assert reverted.status_code == 200 and len(reverted.get_json()["removed"]) == 2
    assert products(session) == 0
    again = client.post(f"{V}/imports/{body['id']}/revert", headers=bearer["editor"])
    assert again.status_code == 422 and "already reverted" in again.get_json()["message"]


def test_structure_needs_the_right_to_manage_it(catalog, client, bearer, session):
    options = b"code;attribute;sort_order;label-en_US\nteal;color;9;Teal\n"
    refused = upload(client, bearer["editor"], options, "attribute_options.csv")
    assert refused.status_code == 403
    assert upload(client, bearer["viewer"], csv_bytes(HEADER, [row("V-1")])).status_code == 403
    assert upload(client, bearer["editor"], csv_bytes(HEADER, [row("V-1")]),
                  create_missing_options="1").status_code == 403
    allowed = upload(client, bearer["admin"], options, "attribute_options.csv")
    assert allowed.status_code == 202 and allowed.get_json()["counts"]["attribute_option"][
        "created"] == 1
    assert "teal" in {o.code for o in s.list_options(session, "color")}


def test_a_zip_of_an_akeneo_export_is_imported_as_a_folder(catalog, client, bearer, session):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("export/attribute_options.csv",
                        "code;attribute;sort_order;label-en_US\nteal;color;9;Teal\n")
        zipped.writestr("export/products.csv",
                        csv_bytes(HEADER, [row("Z-1", color="teal")]).decode())
    answer = upload(client, bearer["admin"], archive.getvalue(), "export.zip", mode="atomic")
    body = answer.get_json()
    assert answer.status_code == 202 and body["status"] == "succeeded", body
    assert body["counts"]["product"]["created"] == 1
    assert s.get_product(session, "Z-1").values["color"][0]["data"] == "teal"


def test_bad_uploads_are_refused_clearly(catalog, client, bearer, app_config):
    editor = bearer["editor"]
    assert client.post(f"{V}/imports", json={"file": "x"}, headers=editor).status_code == 415
    missing = client.post(f"{V}/imports", data={"mode": "partial"}, headers=editor,
                          content_type="multipart/form-data")
    assert missing.status_code == 422
    bad = upload(client, editor, csv_bytes(HEADER, [row("B-1")]), mode="sometimes",
                 dry_run="perhaps", format="csvish")
    assert bad.status_code == 422
    assert {e["property"] for e in bad.get_json()["errors"]} == {"mode", "dry_run", "format"}
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as zipped:
        zipped.writestr("../../escape.csv", "sku\nx\n")
    escaped = upload(client, bearer["admin"], evil.getvalue(), "evil.zip")
    assert escaped.status_code == 422 and "outside itself" in escaped.get_json()["message"]
    small = create_app({**app_config, "IMPORT_MAX_BYTES": 100}).test_client()
    big = upload(small, editor, csv_bytes(HEADER, [row(f"L-{n}") for n in range(20)]))
    assert big.status_code == 413
    assert client.get(f"{V}/imports/nope", headers=editor).status_code == 404
    dry = upload(client, editor, csv_bytes(HEADER, [row("D-1")]), dry_run="true").get_json()
    assert dry["changeset_id"] is None and dry["options"]["dry_run"] is True
    assert client.post(f"{V}/imports/{dry['id']}/revert", headers=editor).status_code == 422
    none = client.get(f"{V}/imports/{dry['id']}/failed-rows", headers=editor)
    assert none.status_code == 404
