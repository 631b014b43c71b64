"""The publication job: `publish` runs one queued publication (full, delta or rollback)."""

from __future__ import annotations

from typing import Any

from exporters.publishing import JOB_KIND, publish_context
from exporters.runner import run_publication
from pim.jobs import JobContext, job_handler


@job_handler(JOB_KIND)
def publish_job(ctx: JobContext, publication_id: int) -> dict[str, Any]:
    """Run the publication, reporting progress and stopping when cancelled."""

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total)
        ctx.raise_if_cancelled()

    return run_publication(publish_context(ctx.app), publication_id, progress=progress,
                           job_id=ctx.job_id)
