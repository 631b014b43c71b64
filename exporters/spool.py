"""What an export did to each product, kept in temp files until the publication is recorded.

Memory stays flat however many products a publication writes: records and problems go to
disk as JSON lines while the export runs, and into the database in batches afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from exporters.engine import Observer
from exporters.rules import Problem
from pim.catalog.reading import ResolvedProduct

BATCH = 5000


class Spool(Observer):
    """Records and problems of one export, as JSON lines in two temp files."""

    def __init__(self, workdir: Path) -> None:
        self._records = tempfile.TemporaryFile(dir=workdir, suffix=".records")
        self._problems = tempfile.TemporaryFile(dir=workdir, suffix=".problems")
        self.problem_count = 0

    def exported(self, product: ResolvedProduct, record_hash: str) -> None:
        """Note a written record with the product version it came from."""
        self._records.write(orjson.dumps(
            [product.id, product.identifier, product.version, record_hash, False]) + b"\n")

    def removed(self, product_id: int, identifier: str, written: bool) -> None:
        """Note a removal the output says (unwritten ones stay live)."""
        if written:
            self._records.write(orjson.dumps([product_id, identifier, 0, "", True]) + b"\n")

    def skipped(self, product: ResolvedProduct, problems: list[Problem]) -> None:
        """Note why a product was left out."""
        for problem in problems:
            self.problem_count += 1
            self._problems.write(orjson.dumps(
                [product.id, product.identifier, problem.as_dict()]) + b"\n")

    def records(self) -> Iterator[list[dict[str, Any]]]:
        """Batches of publication record rows (without the publication id)."""
        keys = ("product_id", "identifier", "product_version", "record_hash", "removed")
        yield from _batches(self._records, lambda row: dict(zip(keys, row, strict=True)))

    def problems(self) -> Iterator[list[dict[str, Any]]]:
        """Batches of problem rows (without the publication id)."""
        def row(item: list[Any]) -> dict[str, Any]:
            product_id, identifier, problem = item
            return {"product_id": product_id, "identifier": identifier, "field": problem["field"],
                    "rule": problem["rule"], "message": problem["message"],
                    "value": problem["value"]}

        yield from _batches(self._problems, row)

    def close(self) -> None:
        """Drop the temp files."""
        self._records.close()
        self._problems.close()


def _batches(stream: Any, shape: Any) -> Iterator[list[dict[str, Any]]]:
    stream.flush()
    stream.seek(0)
    rows = (shape(orjson.loads(line)) for line in stream)
    while batch := list(islice(rows, BATCH)):
        yield batch
