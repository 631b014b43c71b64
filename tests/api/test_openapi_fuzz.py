"""Property-based run of the OpenAPI document against a live server (schemathesis):
no 5xx, and no answer the document does not describe. Bounded: a fixed seed and a few
examples per operation."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.live import serve

CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance,
          content_type_conformance, response_schema_conformance]
EXAMPLES = 15


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("live-fuzz"))


def test_document_is_openapi_3_and_covers_the_routes(live):
    with requests.get(f"{live.base_url}/api/rest/v1/openapi.json", timeout=30) as response:
        document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in ("/api/rest/v1/products", "/api/rest/v1/products/{identifier}",
                 "/api/rest/v1/product-models/{code}", "/api/rest/v1/families/{code}",
                 "/api/rest/v1/attributes/{attribute_code}/options/{code}",
                 "/api/rest/v1/products/{code}/versions/{number}/diff/{other}",
                 "/api/rest/v1/jobs/{job_id}", "/api/oauth/v1/token"):
        assert path in paths, path
    with requests.get(f"{live.base_url}/api/docs", timeout=30) as page:
        assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text


def test_api_conforms_to_its_document(live):
    schema = schemathesis.openapi.from_url(f"{live.base_url}/api/rest/v1/openapi.json",
                                           timeout=30)
    headers = {"Authorization": f"Bearer {live.token}"}
    failures: list[str] = []
    calls: list[int] = []
    with requests.Session() as http:
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.path == "/api/oauth/v1/token":
                continue
            failures += _explore(operation, live.base_url, http, headers, calls)
    assert failures == []
    statuses = set(calls)
    assert len(calls) > 300 and {200, 201, 204, 404, 422} <= statuses, sorted(statuses)


def _explore(operation, base_url, http, headers, calls) -> list[str]:
    failures: list[str] = []

    @seed(20261123)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case) -> None:
        try:
            response = case.call_and_validate(base_url=base_url, session=http,
                                              headers=headers, checks=CHECKS)
            calls.append(response.status_code)
        except Exception as exc:  # collect every operation's failures, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])

    run()
    return failures[:3]
