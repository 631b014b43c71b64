"""Plan an Akeneo import: a folder of structure and product files, or one file (CSV or
XLSX), recognised by name or by header and imported in dependency order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pim.imports.akeneo import KINDS, UNSUPPORTED, StructureConverter
from pim.imports.akeneo_products import ModelConverter, ProductConverter
from pim.imports.cells import CellProblem, parse_bool, split_list
from pim.imports.columns import AttributeInfo, StructureView
from pim.imports.engine import Task
from pim.imports.readers import open_table
from pim.imports.report import IssueLog
from pim.imports.sources import (
    FileSpec,
    ImportOptions,
    ImportRefused,
    Plan,
    check_unknown,
    planner,
    read_header,
    row_reader,
    table_files,
)

ORDER = ("locales", "currencies", "categories", "channels", "attribute_groups", "attributes",
         "attribute_options", "families", "family_variants", "product_models", "products")
# longest names first, so "product_models" is not taken for "products"
BY_NAME = sorted([*ORDER, *UNSUPPORTED], key=len, reverse=True)


def kind_by_name(name: str) -> str | None:
    """Recognise an Akeneo file by its name (`products.csv`, `products.failed.csv`, ...)."""
    stem = name.lower().split(".", 1)[0]
    for kind in BY_NAME:
        if stem == kind or stem.startswith((f"{kind}-", f"{kind}_")):
            return kind
    return None


def kind_by_header(header: list[str]) -> str | None:
    """Recognise an Akeneo file by its columns."""
    columns = set(header)
    prefixed = {c.split("-", 1)[0] + "-" for c in header if "-" in c}
    rules = (
        ("family_variants", "code" in columns and any(c.startswith("variant-axes_")
                                                      for c in header)),
        ("attributes", {"code", "type"} <= columns),
        ("attribute_options", {"code", "attribute"} <= columns),
        ("product_models", {"code", "family_variant"} <= columns),
        ("families", "code" in columns and ("attributes" in columns
                                            or "requirements-" in prefixed)),
        ("channels", {"code", "locales", "currencies"} <= columns),
        ("currencies", columns == {"code", "activated"}),
        ("locales", columns in ({"code"}, {"code", "activated"})),
        ("categories", {"code", "parent"} <= columns),
        ("attribute_groups", {"code", "sort_order"} <= columns),
    )
    for kind, matches in rules:
        if matches:
            return kind
    return "products" if "family" in columns or "categories" in columns else None


def classify(spec: FileSpec) -> str | None:
    """Name the kind of an Akeneo file, by name first, then by header."""
    return kind_by_name(spec.name) or kind_by_header(spec.header)


@planner("akeneo")
@planner("xlsx")
def plan_akeneo(session: Session, path: Path, options: ImportOptions, log: IssueLog) -> Plan:
    """Plan a folder of Akeneo files, or a single one."""
    files = table_files(path) if path.is_dir() else [path]
    if not files:
        raise ImportRefused(f"{path.name}: the folder holds no CSV or XLSX file")
    notes: list[str] = []
    specs: list[FileSpec] = []
    for file in files:
        spec = FileSpec(file, file.name, "")
        read_header(spec)
        spec.kind = classify(spec) or ""
        if spec.kind in UNSUPPORTED:
            notes.append(f"{spec.name} skipped: Prism has no {UNSUPPORTED[spec.kind]}")
        elif not spec.kind:
            notes.append(f"{spec.name} skipped: not a file of Akeneo's CSV format Prism knows")
        else:
            specs.append(spec)
    if not specs:
        raise ImportRefused(f"{path.name}: no file to import ({'; '.join(notes)})")
    specs.sort(key=lambda spec: (ORDER.index(spec.kind), spec.name))
    view = _view_with_declarations(session, specs)
    tasks, unknown = [], {}
    for spec in specs:
        converter = _converter(spec, view)
        unknown[spec.name] = converter.unknown_columns(spec.header)
        tasks.append(Task(spec.name, spec.kind, converter, row_reader(spec, log)))
    check_unknown(unknown, options.ignore_unknown_columns, notes)
    return Plan(specs, tasks, notes)


def _converter(spec: FileSpec, view: StructureView) -> Any:
    if spec.kind == "products":
        return ProductConverter(spec.name, view)
    if spec.kind == "product_models":
        return ModelConverter(spec.name, view)
    return StructureConverter(KINDS[spec.kind], spec.name)


def _view_with_declarations(session: Session, specs: list[FileSpec]) -> StructureView:
    """The catalog's structure plus the attributes and channels the import creates."""
    view = StructureView.of(session)
    for spec in specs:
        if spec.kind not in ("attributes", "channels"):
            continue
        with open_table(spec.path, name=spec.name, on_problem=lambda problem: None) as table:
            for _, cells in table:
                _declare(view, spec.kind, cells)
    return view


def _declare(view: StructureView, kind: str, cells: dict[str, str]) -> None:
    code = cells.get("code", "").strip()
    if not code:
        return
    if kind == "channels":
        view.declare_channel(code, split_list(cells.get("locales", "")),
                             split_list(cells.get("currencies", "")))
        return
    try:
        flags = [parse_bool(cells.get(name, "")) or False for name in ("localizable", "scopable")]
    except CellProblem:
        return  # the row will be refused when it is written
    view.declare_attribute(AttributeInfo(code, cells.get("type", "").strip(), *flags))
