"""Domain errors: every face maps these to its own way of saying no."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PrismError(Exception):
    """Base of every error Prism raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldError:
    """One problem with one piece of input: where it is and what is wrong."""

    field: str
    message: str
    attribute: str | None = None
    locale: str | None = None
    scope: str | None = None
    value: Any = None

    def where(self) -> str:
        parts = [self.attribute or self.field]
        if self.locale:
            parts.append(f"locale {self.locale}")
        if self.scope:
            parts.append(f"channel {self.scope}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"property": self.field, "message": self.message}
        if self.attribute:
            data["attribute"] = self.attribute
            data["locale"] = self.locale
            data["scope"] = self.scope
        return data


class ValidationError(PrismError):
    """The input breaks one or more rules; all of them are listed."""

    code = "validation"

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        self.errors = list(errors)
        summary = "; ".join(f"{e.where()}: {e.message}" for e in self.errors[:5])
        if len(self.errors) > 5:
            summary += f"; and {len(self.errors) - 5} more"
        super().__init__(message or f"Validation failed: {summary}")


class NotFound(PrismError):
    code = "not_found"

    def __init__(self, kind: str, code: object) -> None:
        super().__init__(f"{kind} {code!r} does not exist")
        self.kind = kind
        self.key = code


class AlreadyExists(PrismError):
    code = "already_exists"

    def __init__(self, kind: str, code: object) -> None:
        super().__init__(f"{kind} {code!r} already exists")
        self.kind = kind
        self.key = code


class ConflictError(PrismError):
    """A write based on a stale version: someone else saved first."""

    code = "conflict"

    def __init__(self, kind: str, code: object, expected: int, current: int) -> None:
        super().__init__(
            f"{kind} {code!r} was changed by someone else: you edited version {expected}, "
            f"the current version is {current}"
        )
        self.expected = expected
        self.current = current


class InUse(PrismError):
    """The entity cannot be removed or changed because others depend on it."""

    code = "in_use"


class PermissionDenied(PrismError):
    code = "forbidden"


class StorageError(PrismError):
    code = "storage"


class UnmigratedDatabase(PrismError):
    code = "unmigrated"
