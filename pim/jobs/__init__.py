"""Jobs: long work as a row with status, progress and report, run in a thread or on RQ.

A feature registers a handler with `@job_handler("kind")`; a face calls
`submit_job(app, kind, params, created_by)` and shows the row (`follow_job` in the CLI).
"""

from pim.jobs.context import JobCancelled, JobContext
from pim.jobs.dispatch import (
    JobQueueUnavailable,
    init_app,
    job_mode,
    reload_job,
    shutdown_jobs,
    submit_job,
)
from pim.jobs.models import CANCELLED, FAILED, QUEUED, RUNNING, STATUSES, SUCCEEDED, Job
from pim.jobs.registry import get_handler, handler_kinds, job_handler
from pim.jobs.runner import describe_failure, run_job, stale_after
from pim.jobs.services import (
    JobFinished,
    cancel_job,
    fail_stale_jobs,
    get_job,
    list_jobs,
    stale_jobs,
)

__all__ = [
    "CANCELLED", "FAILED", "QUEUED", "RUNNING", "STATUSES", "SUCCEEDED",
    "Job", "JobCancelled", "JobContext", "JobFinished", "JobQueueUnavailable",
    "cancel_job", "describe_failure", "fail_stale_jobs", "get_handler", "get_job",
    "handler_kinds", "init_app", "job_handler", "job_mode", "list_jobs", "reload_job",
    "run_job", "shutdown_jobs", "stale_after", "stale_jobs", "submit_job",
]
