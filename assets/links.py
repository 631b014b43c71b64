"""Link rules: file name patterns such as `{identifier}_{position}.jpg` that say which
product, asset-collection attribute and position an uploaded asset belongs to.

A pattern with an `{attribute}` placeholder (`{identifier}/{attribute}/{*}`) takes the
attribute from the file's path; its rule then names no attribute of its own.

This module only matches and plans; applying a plan to products is the catalog's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assets.models import Asset, AssetVersion, LinkRule
from pim.errors import AlreadyExists, FieldError, NotFound, ValidationError

PLACEHOLDERS = {
    "identifier": r"(?P<identifier>[^/]+?)",
    "position": r"(?P<position>\d{1,6})",
    "locale": r"(?P<locale>[a-z]{2,3}_[A-Z]{2})",
    "attribute": r"(?P<attribute>\w{1,100}?)",
    "*": r"[^/]*?",
    "**": r".*?",
}
TOKEN = re.compile(r"\{([^{}]*)\}")
CODE = re.compile(r"^\w{1,100}$")
RULE_FIELDS = ("code", "pattern", "attribute", "enabled", "sort_order")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Turn a link pattern into a regular expression, or raise ValueError saying why."""
    return _compiled(pattern)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("the pattern is empty")
    names = TOKEN.findall(pattern)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} (known: "
                         + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + ")")
    if "identifier" not in names:
        raise ValueError("the pattern needs an {identifier} placeholder")
    for name in ("identifier", "position", "locale", "attribute"):
        if names.count(name) > 1:
            raise ValueError(f"{{{name}}} appears more than once")
    parts, last = [], 0
    for match in TOKEN.finditer(pattern):
        parts.append(_literal(pattern[last : match.start()]))
        parts.append(PLACEHOLDERS[match.group(1)])
        last = match.end()
    parts.append(_literal(pattern[last:]))
    return re.compile("".join(parts))


def _literal(text: str) -> str:
    # literal text matches without regard to case: SKU1_2.JPG fits {identifier}_{position}.jpg
    return f"(?i:{re.escape(text)})" if text else ""


def match_link_rule(pattern: str, filename: str) -> dict[str, Any] | None:
    """Match a file name (or a relative path, if the pattern has folders) to a pattern."""
    regex = compile_pattern(pattern)
    subject = filename.replace("\\", "/")
    if "/" not in pattern:
        subject = PurePosixPath(subject).name
    match = regex.fullmatch(subject)
    if match is None:
        return None
    found: dict[str, Any] = {"identifier": match.group("identifier")}
    if "position" in regex.groupindex:
        found["position"] = int(match.group("position"))
    for name in ("locale", "attribute"):
        if name in regex.groupindex:
            found[name] = match.group(name)
    return found


@dataclass(frozen=True)
class Rule:
    """A link rule as planning needs it (a LinkRule row, or built by hand)."""

    code: str
    pattern: str
    attribute: str  # "" when the pattern has {attribute}


@dataclass(frozen=True)
class PlannedLink:
    """Put asset `asset_code` in `attribute` of product `identifier` at `position`."""

    identifier: str
    attribute: str
    position: int | None
    asset_code: str
    rule: str
    filename: str
    locale: str | None = None


def plan_links(
    names: Iterable[tuple[str, str]], rules: Sequence[Rule | LinkRule]
) -> list[PlannedLink]:
    """Plan links for (asset code, file name) pairs: the first rule that matches wins.

    The plan is sorted by product, attribute, then position (files without a position
    follow, by name), which is the order the assets should take in the collection.
    """
    planned = []
    for asset_code, filename in names:
        for rule in rules:
            found = match_link_rule(rule.pattern, filename)
            if found is not None:
                planned.append(PlannedLink(found["identifier"],
                                           found.get("attribute") or rule.attribute,
                                           found.get("position"), asset_code, rule.code,
                                           filename, found.get("locale")))
                break
    return sorted(planned, key=_plan_order)


def _plan_order(link: PlannedLink) -> tuple:
    unpositioned = link.position is None
    return (link.identifier, link.attribute, unpositioned, link.position or 0, link.filename)


def plan_links_for_assets(
    session: Session, asset_codes: Iterable[str] | None = None,
    rules: Sequence[Rule | LinkRule] | None = None,
) -> list[PlannedLink]:
    """Plan links for stored assets (all if None) by their latest file names and the rules
    given (the enabled ones if None)."""
    if rules is None:
        rules = list_link_rules(session, enabled_only=True)
    query = (select(Asset.code, AssetVersion.filename)
             .join(AssetVersion, (AssetVersion.asset_id == Asset.id)
                   & (AssetVersion.number == Asset.current_version)))
    if asset_codes is not None:
        query = query.where(Asset.code.in_(list(asset_codes)))
    rows = session.execute(query.order_by(Asset.code))
    return plan_links([(code, name) for code, name in rows], rules)


def list_link_rules(session: Session, *, enabled_only: bool = False) -> list[LinkRule]:
    """Return the link rules in the order they are tried."""
    query = select(LinkRule).order_by(LinkRule.sort_order, LinkRule.code)
    if enabled_only:
        query = query.where(LinkRule.enabled.is_(True))
    return list(session.scalars(query))


def create_link_rule(session: Session, data: dict[str, Any], *, commit: bool = True) -> LinkRule:
    """Create a link rule from {code, pattern, attribute?, enabled?, sort_order?}."""
    fields = {"enabled": True, "sort_order": 0, "attribute": "", **data}
    errors = _rule_errors(fields)
    if errors:
        raise ValidationError(errors)
    if session.scalar(select(LinkRule.id).where(LinkRule.code == fields["code"])):
        raise AlreadyExists("Link rule", fields["code"])
    fields["attribute"] = fields["attribute"] or ""
    rule = LinkRule(**{k: fields[k] for k in RULE_FIELDS})
    return _saved(session, rule, commit)


def update_link_rule(
    session: Session, code: str, data: dict[str, Any], *, commit: bool = True
) -> LinkRule:
    """Patch a link rule's pattern, attribute, enabled flag or order."""
    rule = session.scalar(select(LinkRule).where(LinkRule.code == code))
    if rule is None:
        raise NotFound("Link rule", code)
    fields = {**{k: getattr(rule, k) for k in RULE_FIELDS}, **data, "code": code}
    errors = _rule_errors(fields)
    if errors:
        raise ValidationError(errors)
    fields["attribute"] = fields["attribute"] or ""
    for key in RULE_FIELDS:
        setattr(rule, key, fields[key])
    return _saved(session, rule, commit)


def _saved(session: Session, rule: LinkRule, commit: bool) -> LinkRule:
    session.add(rule)
    session.flush()
    if commit:
        session.commit()
    return rule


def delete_link_rule(session: Session, code: str, *, commit: bool = True) -> None:
    """Delete a link rule."""
    rule = session.scalar(select(LinkRule).where(LinkRule.code == code))
    if rule is None:
        raise NotFound("Link rule", code)
    session.delete(rule)
    if commit:
        session.commit()


def _rule_errors(data: dict[str, Any]) -> list[FieldError]:
    errors = []
    if not isinstance(data.get("code"), str) or not CODE.match(data["code"]):
        errors.append(FieldError("code", "use 1 to 100 letters, digits or underscores"))
    unknown = sorted(set(data) - set(RULE_FIELDS))
    if unknown:
        errors.append(FieldError(unknown[0], "is not a field of a link rule"))
    try:
        compile_pattern(data.get("pattern"))  # type: ignore[arg-type]
    except (ValueError, re.error) as exc:
        errors.append(FieldError("pattern", str(exc), value=data.get("pattern")))
    errors += _attribute_errors(data.get("pattern"), data.get("attribute"))
    if not isinstance(data.get("enabled"), bool):
        errors.append(FieldError("enabled", "expected true or false"))
    order = data.get("sort_order")
    if isinstance(order, bool) or not isinstance(order, int):
        errors.append(FieldError("sort_order", "expected a whole number"))
    return errors


def _attribute_errors(pattern: Any, attribute: Any) -> list[FieldError]:
    from_path = isinstance(pattern, str) and "{attribute}" in pattern
    if from_path:
        if attribute not in ("", None):
            return [FieldError("attribute", "leave it empty: the pattern's {attribute} "
                                            "names the attribute", value=attribute)]
        return []
    if not isinstance(attribute, str) or not CODE.match(attribute):
        return [FieldError("attribute", "name an asset collection, image or file attribute "
                                        "code (or put {attribute} in the pattern)")]
    return []
