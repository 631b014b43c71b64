"""Write a new segment's posting lists, length columns and stored fields in Whoosh's W3 format.

Whoosh's postings writer takes one posting per call and keeps running statistics; a full
rebuild has every posting list complete before writing, so the blocks, their statistics
and the term records are made here from plain lists, a term at a time. The W3 internals
this needs (the field writer's files, the per-document writer's columns and field length
totals, as in Whoosh 2.7) are used in this one module; tests compare its segments with
Whoosh's own.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from hashlib import md5
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.columns import NumericColumn
from whoosh.fields import FieldType
from whoosh.filedb.filetables import md5_hash
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort

_TERMINFO = W3TermInfo._struct
_KEY_VALUE_LENGTHS = struct.Struct("!ii")
_NO_LENGTH: tuple[int, int] = (0, 0)
# zlib header: deflate with a 32 KB window, "fastest" level, check bits making it 0 mod 31
_ZLIB_STORED_HEADER = b"\x78\x01"
_STORED_BLOCK = struct.Struct("<BHH")  # last block, stored: length, its one's complement
_ADLER = struct.Struct(">I")


@dataclass
class PostingLists:
    """Every posting of one field, grouped by term (terms in byte order, docs ascending)."""

    terms: list[bytes]
    starts: list[int]  # postings of terms[i] are [starts[i], starts[i + 1])
    docs: list[int]
    gaps: list[int]  # docs[i] - docs[i - 1] (docs[0] for the first)
    weights: list[float]
    values: list[bytes] | None  # None when the format stores no value
    length_bytes: list[int] | None  # the field length byte of each posting's document


def _zlib_stored(data: bytes, level: int) -> bytes:
    """Return `data` as a zlib stream of one stored (uncompressed) deflate block."""
    if len(data) > 0xFFFF:
        return zlib.compress(data, level)
    size = len(data)
    return b"".join((_ZLIB_STORED_HEADER, _STORED_BLOCK.pack(1, size, size ^ 0xFFFF), data,
                     _ADLER.pack(zlib.adler32(data))))


def store_fields_uncompressed(perdoc: Any) -> None:
    """Keep each document's stored fields as a stored zlib block.

    The stored fields column is read through `zlib.decompress`; compressing the few
    hundred bytes of one document costs more than pickling them (zlib sets up its window
    and tables for every call) and saves a few dozen bytes.
    """
    perdoc._get_column("_stored")._child._compress = _zlib_stored


def discard_columns(perdoc: Any) -> None:
    """Close the temporary file the per-document writer keeps its columns in."""
    perdoc._cols._temp.close()


def column_writer(perdoc: Any, name: str, column: Any) -> Any:
    """Return the writer of a per-document column, creating the column on first use."""
    if not perdoc._has_column(name):
        perdoc._create_column(name, column)
    return perdoc._get_column(name)


def write_lengths(perdoc: Any, fieldname: str, length_bytes: np.ndarray, total: int) -> None:
    """Write the length byte of each document of a field and add to the field's total."""
    writer = column_writer(perdoc, _lenfield(fieldname), LENGTHS_COLUMN)
    present = np.flatnonzero(length_bytes)
    if not len(present):
        return
    last = int(present[-1])
    if (type(writer) is NumericColumn.Writer and writer._fixedlen == 1
            and writer._defaultbytes == b"\x00" and writer._count == 0):
        # what one `add` per document writes: a byte per document up to the last one
        writer._dbfile.write(length_bytes[:last + 1].astype(np.uint8).tobytes())
        writer._count = last + 1
    else:
        for docnum in present.tolist():
            writer.add(docnum, int(length_bytes[docnum]))
    perdoc._fieldlengths[fieldname] += total


def _add_term_records(table: Any, keys: list[bytes], records: list[bytes]) -> None:
    """Append records to an OrderedHashWriter as its `add` would, in one write."""
    if table.hashfn is not md5_hash:
        raise ValueError("the terms table hashes its keys with MD5")
    if not keys:
        return
    if keys[0] <= table.lastkey:
        raise ValueError(f"keys must increase: {table.lastkey!r}..{keys[0]!r}")
    dbfile = table.dbfile
    position = dbfile.tell()
    places = table.index
    buckets = table.buckets
    parts: list[bytes] = []
    for key, record in zip(keys, records, strict=True):
        places.append(position)
        digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
        buckets[digest & 255].append((digest, position))
        parts += (_KEY_VALUE_LENGTHS.pack(len(key), len(record)), key, record)
        position += 8 + len(key) + len(record)
    dbfile.write(emptybytes.join(parts))
    table.lastkey = keys[-1]


def _mini_weights(weights: list[float]) -> Any:
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return tuple(weights)


def write_postings(fieldwriter: Any, fieldname: str, field: FieldType,
                   lists: PostingLists) -> None:
    """Write the posting lists and term records of one field, as W3FieldWriter would."""
    fieldwriter.start_field(fieldname, field)
    codec = fieldwriter._codec
    limit = codec._blocklimit
    if codec._compression or codec._inlinelimit > 1:
        raise ValueError("posting lists are written uncompressed and never inlined")
    fixed = field.format.fixed_value_size()
    postfile = fieldwriter._postfile
    keys: list[bytes] = []
    records: list[bytes] = []
    prefix = pack_ushort(fieldwriter._fieldid)
    offset = postfile.tell()
    parts: list[bytes] = []
    docs, gaps, weights = lists.docs, lists.gaps, lists.weights
    values, marks = lists.values, lists.length_bytes
    starts = lists.starts
    for number, btext in enumerate(lists.terms):
        start, end = starts[number], starts[number + 1]
        begin = offset
        parts.append(WHOOSH3_HEADER_MAGIC)
        offset += len(WHOOSH3_HEADER_MAGIC)
        total = 0.0
        top = 0
        low: int | None = None
        high = 0
        for first in range(start, end, limit):
            last = min(first + limit, end)
            ids = docs[first:last]
            block_weights = weights[first:last]
            block_top = max(0, max(block_weights))
            if marks is None:
                block_low, block_high = _NO_LENGTH
            else:
                block_marks = marks[first:last]
                block_low, block_high = min(block_marks), max(block_marks)
            if fixed is None:
                mini_values: Any = tuple(values[first:last]) if values is not None else ()
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = emptybytes.join(values[first:last]) if values is not None else b""
            deltas = (ids[0], *gaps[first + 1:last])
            data = dumps((deltas, _mini_weights(block_weights), mini_values), 2)
            info = dumps((len(ids), ids[-1], block_top, 0, block_low, block_high), 2)
            size = len(info) + len(data)
            parts += (pack_int(-size if last == end else size), info, data)
            offset += 4 + size
            total += sum(block_weights)
            top = max(top, block_top)
            if marks is not None:
                low = block_low if low is None else min(low, block_low)
                high = max(high, block_high)
        record = _TERMINFO.pack(False, total, end - start, low or 0, high, top,
                                docs[start], docs[end - 1])
        keys.append(prefix + btext)
        records.append(record + pack_long(begin) + pack_int(offset - begin))
        if len(parts) > 4096:
            postfile.write(emptybytes.join(parts))
            parts.clear()
    postfile.write(emptybytes.join(parts))
    _add_term_records(fieldwriter._tindex, keys, records)
    fieldwriter.finish_field()
