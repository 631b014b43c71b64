"""Rendition specs: `fill-1000x1000|bg-ffffff|format-jpeg|quality-85`, parsed and checked.

Each `name-argument` step names an operation registered in `OPERATIONS`. A spec is
validated completely, every problem reported at once, before any pixel is read; its
canonical text (steps in a fixed order) is the key under which the rendition is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from assets.errors import RenditionSpecError
from pim.errors import FieldError

MAX_SPEC = 255


class SpecProblem(ValueError):
    """One step of a spec is wrong; the message says how."""


class Operation:
    """A registered step of a spec: parses its argument, renders its canonical text."""

    name: ClassVar[str]
    group: ClassVar[str]  # "resize" or "output"; one step per resize group
    order: ClassVar[int]

    @classmethod
    def parse(cls, argument: str | None) -> Operation:
        raise NotImplementedError

    def canonical(self) -> str:
        raise NotImplementedError


OPERATIONS: dict[str, type[Operation]] = {}


def operation(name: str) -> Callable[[type[Operation]], type[Operation]]:
    """Register an operation class under `name`."""

    def register(cls: type[Operation]) -> type[Operation]:
        cls.name = name
        OPERATIONS[name] = cls
        return cls

    return register


@dataclass(frozen=True)
class RenditionSpec:
    """A checked spec: its steps in canonical order and its canonical text."""

    steps: tuple[Operation, ...]

    @property
    def text(self) -> str:
        return "|".join(step.canonical() for step in self.steps)

    def step(self, group: str) -> Operation | None:
        """Return the step of `group` (or of that name), if the spec has one."""
        return next((s for s in self.steps if group in (s.group, s.name)), None)

    @property
    def uses_focal_point(self) -> bool:
        resize = self.step("resize")
        return bool(resize is not None and getattr(resize, "crops", False))


def parse_spec(text: str) -> RenditionSpec:
    """Parse and check a spec string, raising RenditionSpecError listing every problem."""
    if not isinstance(text, str):
        raise RenditionSpecError([FieldError("spec", "the spec must be a text")])
    return _parse_spec(text)


@lru_cache(maxsize=1024)
def _parse_spec(text: str) -> RenditionSpec:
    from assets.renditions import operations  # noqa: F401  (registers the operations)

    problems = _length_problems(text)
    steps: list[Operation] = []
    if not problems:
        for part in text.split("|"):
            try:
                steps.append(_parse_step(part))
            except SpecProblem as exc:
                problems.append(FieldError("spec", f"{part!r}: {exc}", value=part))
        problems += _combination_problems(steps)
    if problems:
        raise RenditionSpecError(problems, f"Invalid rendition spec {text!r}: "
                                           + "; ".join(p.message for p in problems))
    return RenditionSpec(tuple(sorted(steps, key=lambda s: (s.order, s.name))))


def _length_problems(text: str) -> list[FieldError]:
    if not isinstance(text, str) or not text.strip():
        return [FieldError("spec", "the spec is empty; give steps like max-800x800")]
    if len(text) > MAX_SPEC:
        return [FieldError("spec", f"the spec is longer than {MAX_SPEC} characters")]
    return []


def _parse_step(part: str) -> Operation:
    name, dash, argument = part.strip().partition("-")
    cls = OPERATIONS.get(name.lower())
    if cls is None:
        known = ", ".join(sorted(OPERATIONS))
        raise SpecProblem(f"unknown operation {name!r} (known: {known})")
    return cls.parse(argument if dash else None)


def _combination_problems(steps: list[Operation]) -> list[FieldError]:
    problems = []
    names = [s.name for s in steps]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(FieldError("spec", f"{name!r} is given more than once"))
    resizes = [s.name for s in steps if s.group == "resize"]
    if len(resizes) > 1:
        problems.append(FieldError(
            "spec", f"only one of max, fill, pad, width, height per spec (got {', '.join(resizes)})"
        ))
    fmt = next((s for s in steps if s.name == "format"), None)
    quality = any(s.name == "quality" for s in steps)
    if quality and fmt is not None and getattr(fmt, "value", "") == "png":
        problems.append(FieldError("spec", "quality applies to jpeg and webp, not png"))
    return problems


def parse_size(argument: str | None, max_side: int) -> tuple[int, int]:
    """Read `WxH` with both sides in 1..max_side."""
    width, x, height = (argument or "").partition("x")
    if not x:
        raise SpecProblem("expected a size like 800x600")
    sides, problems = [], []
    for text, what in ((width, "width"), (height, "height")):
        try:
            sides.append(parse_number(text, max_side, what))
        except SpecProblem as exc:
            problems.append(str(exc))
    if problems:
        raise SpecProblem("; ".join(problems))
    return sides[0], sides[1]


def parse_number(argument: str | None, maximum: int, what: str = "number") -> int:
    """Read a whole number in 1..maximum."""
    if not argument or not argument.isascii() or not argument.isdigit():
        raise SpecProblem(f"expected a whole number for the {what}, got {argument!r}")
    value = int(argument)
    if not 1 <= value <= maximum:
        raise SpecProblem(f"the {what} must be from 1 to {maximum}, got {value}")
    return value
