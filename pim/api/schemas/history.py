"""Prism's own resources: versions, diffs, changesets, the trash, jobs."""

from __future__ import annotations

from marshmallow import Schema, fields

from pim.api.schemas.common import SelfLink, Strict

CHANGE = {"type": "object", "properties": {"old": {"nullable": True}, "new": {"nullable": True}}}
CHANGES_DOC = {"type": "object", "additionalProperties": CHANGE,
               "description": "{flat value key: {old, new}}"}


class VersionOut(Schema):
    """One immutable version of an entity."""

    _links = fields.Nested(SelfLink, data_key="_links")
    number = fields.Integer(required=True)
    author = fields.String(required=True)
    source = fields.String(required=True)
    created = fields.String(required=True)
    comment = fields.String(required=True, allow_none=True)
    changeset = fields.String(required=True, allow_none=True)
    changes = fields.Raw(required=True, metadata=CHANGES_DOC)


class VersionDetail(VersionOut):
    """A version with the whole entity as it was then."""

    snapshot = fields.Dict(required=True, metadata={"description": "the entity at that version"})


class DiffOut(Schema):
    resource = fields.String(required=True)
    code = fields.String(required=True)
    first = fields.Integer(required=True)
    second = fields.Integer(required=True)
    changes = fields.Raw(required=True, metadata=CHANGES_DOC)


class RestoreIn(Strict):
    comment = fields.String(allow_none=True)


class ChangesetOut(Schema):
    _links = fields.Nested(SelfLink, data_key="_links")
    id = fields.String(required=True)
    author = fields.String(required=True)
    source = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    created = fields.String(required=True)
    reverted_by = fields.String(required=True, allow_none=True)
    versions = fields.Integer(required=True)


class RevertOut(Schema):
    changeset = fields.String(required=True)
    revert_changeset = fields.String(required=True)
    reverted = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), required=True)
    conflicts = fields.List(fields.Dict(), required=True)


class TrashItemOut(Schema):
    resource = fields.String(required=True)
    code = fields.String(required=True)
    deleted_by = fields.String(required=True)
    deleted = fields.String(required=True)
    snapshot = fields.Dict(required=True)


class TrashRestoreIn(Strict):
    resource = fields.String(required=True, metadata={
        "description": "product, product_model, attribute, family, category, channel..."})
    code = fields.String(required=True)


class JobProgress(Schema):
    done = fields.Integer(required=True)
    total = fields.Integer(required=True, allow_none=True)


class JobOut(Schema):
    """A long-running job: status, progress, pace and report."""

    _links = fields.Nested(SelfLink, data_key="_links")
    id = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    progress = fields.Nested(JobProgress, required=True)
    rows_per_second = fields.Float(required=True, allow_none=True)
    eta_seconds = fields.Float(required=True, allow_none=True)
    elapsed_seconds = fields.Float(required=True, allow_none=True)
    stale = fields.Boolean(required=True)
    params = fields.Dict(required=True)
    result = fields.Dict(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)
    created_by = fields.String(required=True, allow_none=True)
    changeset_id = fields.String(required=True, allow_none=True)
    worker = fields.String(required=True, allow_none=True)
    cancel_requested = fields.Boolean(required=True)
    created = fields.String(required=True, allow_none=True)
    started = fields.String(required=True, allow_none=True)
    finished = fields.String(required=True, allow_none=True)
    heartbeat = fields.String(required=True, allow_none=True)
