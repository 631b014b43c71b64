"""An import run by a real RQ worker process, sharing the database and the local Redis."""

from __future__ import annotations

import pytest

from pim.catalog import services as s
from pim.imports.jobs import start_import
from pim.imports.report import get_import
from pim.imports.sources import ImportOptions
from pim.jobs import QUEUED, SUCCEEDED
from tests.builders import small_catalog
from tests.imports.conftest import csv_bytes
from tests.imports.test_akeneo_files import HEADER, row
from tests.jobs.conftest import REDIS_URL, shared_app_factory, shared_database_url  # noqa: F401
from tests.jobs.test_rq import (  # noqa: F401
    reader,
    redis_queue,
    rq_worker,
    start_worker,
    worker_env,
    worker_log,
)

pytestmark = pytest.mark.redis


def test_an_import_runs_on_an_rq_worker(shared_app_factory, redis_queue, start_worker,  # noqa: F811
                                        tmp_path):
    app = shared_app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE=redis_queue)
    sessions = app.extensions["prism.sessions"]
    with sessions() as session:
        small_catalog(session)
        session.commit()
    path = tmp_path / "products.csv"
    path.write_bytes(csv_bytes(HEADER, [row(f"RQ-{n}") for n in range(30)] + [
        row("RQ-BAD", color="purple")]))
    record = start_import(app, path, ImportOptions(batch_size=10), created_by="worker-test")
    assert record.status == QUEUED and record.job_id

    worker = start_worker(rq_worker(redis_queue))
    assert worker.wait(timeout=180) == 0, worker_log(tmp_path)

    job = reader(app, record.job_id)()
    assert job.status == SUCCEEDED, (job.error, worker_log(tmp_path))
    assert job.worker.endswith(" rq") and (job.done, job.total) == (31, 31)
    with sessions() as session:
        done = get_import(session, record.id)
        assert done.status == "succeeded" and done.counts["product"]["created"] == 30
        assert done.rows_failed == 1 and job.changeset_id == done.changeset_id
        assert s.get_product(session, "RQ-7").family.code == "shoes"
