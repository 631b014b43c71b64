"""Which imports change the catalog's structure, so only those allowed to may run them.

Products and product models are content; attributes, options, families, channels,
categories, locales and currencies are structure. A folder, a Shopify file (it creates
its attributes and family), a structure file, or creating missing options all may
change the structure.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from pim.imports.akeneo_plan import classify
from pim.imports.engine import CONTENT_KINDS
from pim.imports.errors import UnreadableFile
from pim.imports.models import ImportRecord
from pim.imports.sources import FileSpec, ImportOptions, detect_format, read_header

CONTENT_FILES = ("products", "product_models")


def needs_structure_rights(session: Session, path: Path, options: ImportOptions) -> bool:
    """Tell whether importing `path` may create or change structure."""
    if path.is_dir() or options.create_missing_options:
        return True
    try:
        name = options.format or detect_format(path)
    except UnreadableFile:
        return False  # it will be refused without writing anything
    if name.startswith("profile:"):
        return False
    if name == "shopify":
        return True
    spec = FileSpec(path, path.name, "")
    try:
        read_header(spec)
    except UnreadableFile:
        return False
    return classify(spec) not in CONTENT_FILES


def wrote_structure(record: ImportRecord) -> bool:
    """Tell whether an import created or changed structure (reverting it changes it too)."""
    counts = record.counts or {}
    return bool(counts.get("side_effects")) or any(
        outcomes.get("created", 0) or outcomes.get("updated", 0)
        for kind, outcomes in counts.items() if kind not in (*CONTENT_KINDS, "side_effects"))
