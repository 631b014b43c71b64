"""Every setting Prism reads, in one table: environment variable, default and type.

Nothing else in Prism reads the environment. `load_settings` turns the table into the
Flask config keys (the variable name without its `PRISM_` prefix).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    """One configurable value: its variable, default and how to read it."""

    env: str
    default: Any
    parse: Callable[[str], Any] = str
    help: str = ""

    @property
    def key(self) -> str:
        return self.env.removeprefix("PRISM_")


SETTINGS: tuple[Setting, ...] = (
    Setting("PRISM_INSTANCE_PATH", "instance", str, "folder for SQLite, local media, index"),
    Setting("PRISM_DATABASE_URL", None, str, "SQLAlchemy URL; default SQLite in the instance"),
    Setting("PRISM_SECRET_KEY", None, str, "session signing key; generated into the instance"),
    Setting("PRISM_STORAGE_URL", None, str, "file://PATH or s3://bucket/prefix"),
    Setting("PRISM_S3_ENDPOINT_URL", None, str, "endpoint of an S3-compatible store"),
    Setting("PRISM_S3_REGION", "us-east-1", str, "S3 region name"),
    Setting("PRISM_REDIS_URL", None, str, "run jobs on RQ workers through this Redis"),
    Setting("PRISM_PUBLIC_URL", "http://127.0.0.1:5000", str, "absolute base for feed URLs"),
    Setting("PRISM_SEARCH_INDEX_PATH", None, str, "Whoosh index folder"),
    Setting("PRISM_VERSION_SNAPSHOT_EVERY", 10, int, "full snapshot every N versions"),
    Setting("PRISM_MAX_TEXT_LENGTH", 65_535, int, "hard cap on one text value, characters"),
    Setting("PRISM_MAX_CONTENT_LENGTH", 50 * 1024 * 1024, int, "request body cap, bytes"),
    Setting("PRISM_API_PAGE_LIMIT", 100, int, "largest page the API returns"),
    Setting("PRISM_ACCESS_TOKEN_TTL", 3600, int, "OAuth access token lifetime, seconds"),
    Setting("PRISM_REFRESH_TOKEN_TTL", 14 * 86400, int, "OAuth refresh token lifetime, seconds"),
    Setting("PRISM_TOKEN_RATE_LIMIT", 30, int, "token requests per minute per client address"),
    Setting("PRISM_LOGIN_RATE_LIMIT", 20, int, "UI sign-in attempts per minute per address"),
    Setting("PRISM_UPLOAD_MAX_BYTES", 200 * 1024 * 1024, int, "largest asset upload, bytes"),
    Setting("PRISM_MAX_IMAGE_PIXELS", 80_000_000, int, "larger images are refused"),
    Setting("PRISM_ALLOWED_MEDIA_TYPES", None, _list, "MIME allow-list for assets"),
    Setting("PRISM_JOBS_INLINE", False, _bool, "run jobs synchronously (tests, CLI)"),
    Setting("PRISM_JOB_THREADS", 2, int, "job threads per process when not on RQ"),
    Setting("PRISM_JOB_QUEUE", "prism", str, "RQ queue the jobs go to"),
    Setting("PRISM_JOB_TIMEOUT", 12 * 3600, int, "longest a job may run on RQ, seconds"),
    Setting("PRISM_JOB_HEARTBEAT", 10.0, float, "seconds between a running job's heartbeats"),
    Setting("PRISM_JOB_MODULES", (), _list, "extra modules defining job handlers"),
    Setting("PRISM_IMPORT_MAX_BYTES", 1024**3, int, "largest file (or unpacked zip) to import"),
    Setting("PRISM_IMPORT_AHEAD_ROWS", 20_000, int,
            "product files of this many rows are checked by a second process; 0 never"),
    Setting("PRISM_SEARCH_ENABLED", True, _bool, "keep the Whoosh index in step"),
    Setting("PRISM_CHECK_MIGRATIONS", True, _bool, "refuse to start on an unmigrated DB"),
    Setting("PRISM_LOG_LEVEL", "INFO", str, "logging level"),
)


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Read every setting from the environment, then apply explicit overrides."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        try:
            config[setting.key] = setting.default if raw is None else setting.parse(raw)
        except ValueError as exc:
            raise ValueError(f"{setting.env}: {exc}") from None
    config.update(overrides or {})
    _derive_paths(config)
    return config


def _derive_paths(config: dict[str, Any]) -> None:
    instance = Path(config["INSTANCE_PATH"]).resolve()
    config["INSTANCE_PATH"] = str(instance)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'prism.sqlite3'}"
    if not config.get("STORAGE_URL"):
        config["STORAGE_URL"] = (instance / "media").as_uri()
    if not config.get("SEARCH_INDEX_PATH"):
        config["SEARCH_INDEX_PATH"] = str(instance / "search-index")
