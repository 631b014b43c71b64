"""Renditions: spec grammar, registered operations, Pillow engine, generate-once service."""

from assets.renditions.service import (
    PregenerateReport,
    find_rendition,
    pregenerate,
    rendition_for,
    resolve_target,
)
from assets.renditions.spec import OPERATIONS, RenditionSpec, parse_spec

__all__ = ["OPERATIONS", "PregenerateReport", "RenditionSpec", "find_rendition", "parse_spec",
           "pregenerate", "rendition_for", "resolve_target"]
