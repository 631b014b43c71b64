"""Job handlers by kind: `@job_handler("import")` registers a function for a kind."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from pim.errors import NotFound, PrismError

if TYPE_CHECKING:
    from pim.jobs.context import JobContext

Handler = Callable[..., dict[str, Any]]

# Prism's own modules that define handlers; every process running jobs imports them.
# A feature adds its module here (one line); PRISM_JOB_MODULES adds more at deployment.
BUILTIN_JOB_MODULES: tuple[str, ...] = (
    "pim.dam.jobs",
)

_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of jobs of `kind`."""

    def register(func: Handler) -> Handler:
        known = _HANDLERS.get(kind)
        if known is not None and _qualname(known) != _qualname(func):
            raise ValueError(f"job kind {kind!r} is already handled by {_qualname(known)}")
        _HANDLERS[kind] = func
        return func

    return register


def get_handler(kind: str) -> Handler:
    """Return the handler of `kind`, or raise NotFound."""
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise NotFound("job kind", kind) from None


def handler_kinds() -> list[str]:
    """List the job kinds this process can run."""
    return sorted(_HANDLERS)


def load_job_modules(extra: Iterable[str] = ()) -> None:
    """Import Prism's handler modules and the extra ones named in the settings."""
    for name in (*BUILTIN_JOB_MODULES, *extra):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise ImportError(f"cannot import job module {name!r} (PRISM_JOB_MODULES): "
                              f"{exc}") from exc


def _qualname(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def run_handler(kind: str, ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Call the handler of `kind` with the context and the job's parameters."""
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise PrismError(f"this process has no handler for job kind {kind!r}; add the module "
                         "that defines it to PRISM_JOB_MODULES")
    return handler(ctx, **params)
