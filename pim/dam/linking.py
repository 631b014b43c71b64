"""Apply planned links to products and product models through the catalog services.

An asset-collection value gets the asset's code inserted at the planned position (1-based;
the collection keeps its order and never holds a code twice). An image or file value gets
the asset's media file key (`pim.dam.media_files.media_file_key`). Models are linked before
products, and a variant whose model already holds the file is left as it is (exports such
as Akeneo's repeat a model's files under each variant). Whatever cannot be applied (no such
product, attribute or asset, a value the catalog refuses) is reported, never fatal. One
bulk apply writes its versions under one changeset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assets.links import PlannedLink, list_link_rules, plan_links_for_assets
from assets.models import Asset, LinkRule, StoredFile
from pim.catalog import services as s
from pim.catalog.values import get_value
from pim.catalog.variants import merged_values
from pim.dam.media_files import media_file_key
from pim.errors import NotFound, PrismError, ValidationError

COLLECTION = "pim_catalog_asset_collection"
FILE_TYPES = ("pim_catalog_image", "pim_catalog_file")
LINKED, UNCHANGED, FAILED = "linked", "unchanged", "failed"


@dataclass(frozen=True)
class LinkOutcome:
    """What became of one planned link."""

    link: PlannedLink
    status: str
    message: str = ""
    owner: str | None = None  # "product" or "product_model"

    def as_dict(self) -> dict[str, Any]:
        """The outcome as plain JSON data."""
        link = self.link
        return {"identifier": link.identifier, "attribute": link.attribute,
                "asset": link.asset_code, "position": link.position, "locale": link.locale,
                "rule": link.rule, "filename": link.filename, "owner": self.owner,
                "status": self.status, "message": self.message}


@dataclass
class LinkReport:
    """What a link run did: an outcome per planned link and the changeset it wrote."""

    outcomes: list[LinkOutcome] = field(default_factory=list)
    changeset_id: str | None = None

    def _with(self, status: str) -> list[LinkOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def linked(self) -> list[LinkOutcome]:
        return self._with(LINKED)

    @property
    def unchanged(self) -> list[LinkOutcome]:
        return self._with(UNCHANGED)

    @property
    def failed(self) -> list[LinkOutcome]:
        return self._with(FAILED)

    def as_dict(self, limit: int = 200) -> dict[str, Any]:
        """Counts, the changeset, and the first `limit` outcomes (failures first)."""
        ordered = self.failed + self.linked + self.unchanged
        return {"linked": len(self.linked), "unchanged": len(self.unchanged),
                "failed": len(self.failed), "changeset_id": self.changeset_id,
                "outcomes": [o.as_dict() for o in ordered[:limit]],
                "truncated": len(ordered) > limit}


@dataclass
class _Run:
    session: Session
    author: str
    source: str
    report: LinkReport
    attributes: dict[str, Any]
    keys: dict[str, str]
    description: str

    def fail(self, links: Iterable[PlannedLink], message: str, owner: str | None = None) -> None:
        self.report.outcomes += [LinkOutcome(link, FAILED, message, owner) for link in links]


def apply_links(
    session: Session, planned_links: Sequence[PlannedLink], *, author: str, source: str,
    changeset_id: str | None = None,
) -> LinkReport:
    """Apply planned links to products and product models; report each, commit once."""
    report = LinkReport(changeset_id=changeset_id)
    if not planned_links:
        return report
    run = _Run(session, author, source, report,
               _attributes(session, {link.attribute for link in planned_links}),
               _file_keys(session, {link.asset_code for link in planned_links}),
               f"link {len(planned_links)} asset file(s) by rule")
    groups = _grouped(planned_links, lambda link: link.identifier)
    owners = {identifier: _owner(session, identifier) for identifier in groups}
    # models before their variants, so that a variant sees what its model was just given
    for identifier in sorted(groups, key=lambda i: _rank(owners[i])):
        _link_owner(run, identifier, owners[identifier], groups[identifier])
    session.commit()
    return report


def link_assets(
    session: Session, *, asset_codes: Iterable[str] | None = None,
    rule_codes: Sequence[str] | None = None, author: str, source: str,
) -> LinkReport:
    """Plan links for stored assets (all if None) with the named rules (else the enabled
    ones) and apply them."""
    rules = None if not rule_codes else _named_rules(session, rule_codes)
    planned = plan_links_for_assets(session, asset_codes, rules)
    return apply_links(session, planned, author=author, source=source)


def _named_rules(session: Session, codes: Sequence[str]) -> list[LinkRule]:
    known = {rule.code: rule for rule in list_link_rules(session)}
    for code in codes:
        if code not in known:
            raise NotFound("Link rule", code)
    return [rule for rule in known.values() if rule.code in codes]


def _grouped(links: Iterable[PlannedLink], key: Any) -> dict[Any, list[PlannedLink]]:
    groups: dict[Any, list[PlannedLink]] = {}
    for link in links:
        groups.setdefault(key(link), []).append(link)
    return groups


def _attributes(session: Session, codes: set[str]) -> dict[str, Any]:
    wanted = sorted(code for code in codes if code)
    return {a.code: a for a in s.list_attributes(session, codes=wanted)} if wanted else {}


def _file_keys(session: Session, codes: set[str]) -> dict[str, str]:
    rows = session.execute(
        select(Asset.code, StoredFile).join(StoredFile, StoredFile.id == Asset.file_id)
        .where(Asset.code.in_(sorted(codes))))
    return {code: media_file_key(stored) for code, stored in rows}


def _owner(session: Session, identifier: str) -> tuple[str, Any] | None:
    for kind, get in (("product", s.get_product), ("product_model", s.get_product_model)):
        try:
            return kind, get(session, identifier)
        except NotFound:
            continue
    return None


def _rank(found: tuple[str, Any] | None) -> int:
    if found is None:
        return 3
    kind, entity = found
    if kind == "product":
        return 2
    return 0 if entity.parent is None else 1


def _link_owner(run: _Run, identifier: str, found: tuple[str, Any] | None,
                links: list[PlannedLink]) -> None:
    if found is None:
        run.fail(links, f"no product or product model has the identifier {identifier!r}")
        return
    kind, entity = found
    changes: dict[str, list[dict[str, Any]]] = {}
    pending: dict[str, list[PlannedLink]] = {}
    unchanged: list[tuple[PlannedLink, str]] = []
    for code, group in _grouped(links, lambda link: link.attribute).items():
        entries, applied, same = _new_entries(run, kind, entity, code, group)
        if entries:
            changes[code], pending[code] = entries, applied
        unchanged += same
    run.report.outcomes += [LinkOutcome(link, UNCHANGED, message, kind)
                            for link, message in unchanged]
    if changes:
        _save(run, kind, entity, changes, pending)


def _new_entries(
    run: _Run, kind: str, entity: Any, code: str, links: list[PlannedLink]
) -> tuple[list[dict[str, Any]], list[PlannedLink], list[tuple[PlannedLink, str]]]:
    """Return the changed value entries of one attribute, the links they apply, the no-ops."""
    attribute = run.attributes.get(code)
    problem = _attribute_problem(code, attribute)
    if problem:
        run.fail(links, problem, kind)
        return [], [], []
    usable = []
    for link in links:
        if link.asset_code not in run.keys:
            run.fail([link], f"asset {link.asset_code!r} does not exist", kind)
        elif attribute.localizable and not link.locale:
            run.fail([link], f"attribute {code!r} is localizable: put {{locale}} in the "
                             "rule's pattern to say which locale the file is for", kind)
        else:
            usable.append(link)
    entries: list[dict[str, Any]] = []
    applied: list[PlannedLink] = []
    same: list[tuple[PlannedLink, str]] = []
    locale_of = (lambda link: link.locale) if attribute.localizable else (lambda link: None)
    for locale, group in _grouped(usable, locale_of).items():
        if attribute.type != COLLECTION and len(group) > 1:
            run.fail(group[1:], f"attribute {code!r} holds one file; {group[0].filename!r} "
                                "was linked instead", kind)
            group = group[:1]
        current = _own_data(entity, code, locale)
        data = _linked_data(run.keys, attribute, current, group)
        if data == current:
            same += [(link, "already linked") for link in group]
        elif current is None and _inherited(run.keys, entity, attribute, locale, group):
            same += [(link, "already held by its product model") for link in group]
        else:
            entries.append({"locale": locale, "scope": None, "data": data})
            applied += group
    return entries, applied, same


def _attribute_problem(code: str, attribute: Any) -> str:
    if attribute is None:
        return f"no attribute has the code {code!r}"
    if attribute.type != COLLECTION and attribute.type not in FILE_TYPES:
        return (f"attribute {code!r} is a {attribute.type}; links go to asset collection, "
                "image or file attributes")
    if attribute.scopable:
        return (f"attribute {code!r} has a value per channel; a link rule cannot say which "
                "channel a file is for")
    return ""


def _own_data(entity: Any, code: str, locale: str | None) -> Any:
    for entry in (entity.values or {}).get(code, ()):
        if entry.get("locale") == locale and entry.get("scope") is None:
            return entry.get("data")
    return None


def _inherited(keys: dict[str, str], entity: Any, attribute: Any, locale: str | None,
               links: list[PlannedLink]) -> bool:
    """Tell whether a parent model already holds what the links would give the entity."""
    if entity.parent is None:
        return False
    held = get_value(merged_values(entity), attribute.code, locale, None)
    if attribute.type == COLLECTION:
        return all(link.asset_code in (held or []) for link in links)
    return held == keys[links[0].asset_code]


def _linked_data(keys: dict[str, str], attribute: Any, current: Any,
                 links: list[PlannedLink]) -> Any:
    if attribute.type != COLLECTION:
        return keys[links[0].asset_code]
    codes = list(current or [])
    for link in links:
        codes = insert_code(codes, link.asset_code, link.position)
    return codes


def insert_code(codes: list[str], code: str, position: int | None) -> list[str]:
    """Put `code` at 1-based `position` (at the end, or where it is, when None)."""
    if position is None:
        return list(codes) if code in codes else [*codes, code]
    others = [c for c in codes if c != code]
    others.insert(min(max(position - 1, 0), len(others)), code)
    return others


def _save(run: _Run, kind: str, entity: Any, changes: dict[str, list], pending: dict) -> None:
    try:
        _update(run, kind, entity, changes)
    except PrismError as exc:
        if len(changes) > 1:  # keep what the catalog accepts: one attribute at a time
            for code in changes:
                _save(run, kind, entity, {code: changes[code]}, {code: pending[code]})
            return
        run.fail([link for links in pending.values() for link in links],
                 _message(exc), kind)
        return
    run.report.outcomes += [LinkOutcome(link, LINKED, "", kind)
                            for links in pending.values() for link in links]


def _update(run: _Run, kind: str, entity: Any, changes: dict[str, list]) -> None:
    before = run.report.changeset_id
    try:
        with run.session.begin_nested():
            if run.report.changeset_id is None:
                run.report.changeset_id = s.new_changeset(run.session, run.author, run.source,
                                                          run.description)
            stamp = {"author": run.author, "source": run.source,
                     "changeset_id": run.report.changeset_id, "commit": False}
            if kind == "product":
                s.update_product(run.session, entity.identifier, {"values": changes}, **stamp)
            else:
                s.update_product_model(run.session, entity.code, {"values": changes}, **stamp)
    except BaseException:
        run.report.changeset_id = before
        run.session.expire(entity)
        raise


def _message(exc: PrismError) -> str:
    if isinstance(exc, ValidationError) and exc.errors:
        return "; ".join(error.message for error in exc.errors)
    return exc.message
