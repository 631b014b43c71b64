"""The product editor: values by family and group, locales side by side, save with locking."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import APPROVE
from pim.catalog import services as s
from pim.catalog.models import Product, ProductModel
from pim.catalog.types.text import sanitize_html
from pim.errors import ConflictError, FieldError, ValidationError
from pim.web import conflicts, reads
from pim.web.editor_form import Posted, Where, build_groups, errors_by_slot, read_form
from pim.web.security import can
from pim.web.templating import ui_locale
from pim.web.widgets import anchor

bp = Blueprint("editor", __name__)
STATUSES = ("draft", "in_review", "approved")


def where_from(args: Any) -> Where:
    """Read the locale, second locale and channel to show from query or form arguments."""
    db = get_session()
    channels = {c.code: c for c in s.list_channels(db)}
    channel = channels.get(args.get("channel", "")) or next(iter(channels.values()), None)
    if channel is None:
        channel = SimpleNamespace(code=None, locales=[loc.code for loc in s.list_locales(db)],
                                  currencies=[])
    locales = [loc.code for loc in s.list_locales(db, enabled=True)] or list(channel.locales)
    wanted = args.get("locale", "")
    default = ui_locale() if ui_locale() in channel.locales else (channel.locales or [""])[0]
    locale = wanted if wanted in locales else default
    compare = args.get("compare") if args.get("compare") in locales else None
    return Where(locale, compare, channel)


def _where_args(where: Where) -> dict[str, str]:
    args = {"locale": where.locale, "channel": where.channel.code or ""}
    if where.compare:
        args["compare"] = where.compare
    return {k: v for k, v in args.items() if v}


@bp.route("/products/<path:identifier>")
def edit(identifier: str) -> str:
    """Show the product editor."""
    product = s.get_product(get_session(), identifier)
    return render_editor(product, where_from(request.args))


@bp.route("/models/<code>")
def edit_model(code: str) -> str:
    """Show the product model editor."""
    model = s.get_product_model(get_session(), code)
    return render_editor(model, where_from(request.args))


def render_editor(entity: Product | ProductModel, where: Where, *,
                  posted: Posted | None = None, errors: list[FieldError] | None = None) -> str:
    """Render the editor for a product or product model."""
    db = get_session()
    slot_errors, summary = errors_by_slot(errors or [])
    is_product = isinstance(entity, Product)
    kind = "product" if is_product else "product_model"
    submitted = posted.submitted if posted else None
    categories = {c.code for c in entity.categories}
    if posted and "categories" in posted.properties:
        categories = set(posted.properties["categories"])
    return render_template(
        "products/editor.html",
        entity=entity, kind=kind, code=entity.identifier if is_product else entity.code,
        where=where, where_args=_where_args(where),
        locales=[loc.code for loc in s.list_locales(db, enabled=True)],
        channels=s.list_channels(db),
        currencies=sorted({c.code for c in s.list_currencies(db, enabled=True)}),
        groups=build_groups(db, entity, where, submitted=submitted, errors=slot_errors),
        completeness=_completeness(db, entity, where) if is_product else [],
        tree=reads.variant_tree(db, entity),
        forest=reads.category_forest(db, categories),
        version=entity.version, base=reads.latest_version(db, kind, entity.id),
        summary=summary, statuses=_statuses(entity),
        posted=posted,
    )


def _statuses(entity: Product | ProductModel) -> list[str]:
    if not isinstance(entity, Product):
        return []
    if can(APPROVE) or entity.status == "approved":
        return list(STATUSES)
    return [status for status in STATUSES if status != "approved"]


def _completeness(db: Any, product: Product, where: Where) -> list[dict[str, Any]]:
    channels = {c.id: c for c in s.list_channels(db)}
    attributes = {a.code: a for a in s.list_attributes(db)}
    by_channel: dict[str, dict[str, Any]] = {}
    for row in sorted(product.completeness, key=lambda r: (channels[r.channel_id].code,
                                                           r.locale)):
        channel = channels[row.channel_id]
        entry = by_channel.setdefault(channel.code, {"channel": channel, "locales": []})
        entry["locales"].append({"locale": row.locale, "ratio": row.ratio,
                                 "required": row.required,
                                 "missing": [_missing_link(product, code, attributes.get(code),
                                                           row.locale, channel, where)
                                             for code in row.missing_attributes]})
    return list(by_channel.values())


def _missing_link(product: Product, code: str, attribute: Any, locale: str, channel: Any,
                  where: Where) -> dict[str, str]:
    """Link a missing value to its input, switching locale and channel when needed."""
    localizable = bool(attribute and attribute.localizable)
    scopable = bool(attribute and attribute.scopable)
    target = anchor(code, locale if localizable else None, channel.code if scopable else None)
    shown = (not localizable or locale in where.locales()) and (
        not scopable or channel.code == where.channel.code)
    if shown:
        return {"code": code, "href": f"#{target}"}
    args = {"locale": locale if localizable else where.locale,
            "channel": channel.code if scopable else where.channel.code}
    href = url_for("editor.edit", identifier=product.identifier, **args)
    return {"code": code, "href": f"{href}#{target}"}


@bp.route("/products/<path:identifier>", methods=["POST"])
def save(identifier: str) -> str | Response | tuple[str, int]:
    """Save the product editor's form, refusing a stale version."""
    return _save("product", identifier, s.get_product, s.update_product,
                 f"Saved {identifier}.", "editor.edit", identifier=identifier)


@bp.route("/models/<code>", methods=["POST"])
def save_model(code: str) -> str | Response | tuple[str, int]:
    """Save the product model editor's form; its variants' completeness follows."""
    return _save("product_model", code, s.get_product_model, s.update_product_model,
                 f"Saved product model {code}.", "editor.edit_model", code=code)


def _save(kind: str, key: str, get: Any, update: Any, saved: str, endpoint: str,
          **address: str) -> str | Response | tuple[str, int]:
    """Save an editor form through `update`: a conflict page when stale, the form with its
    errors when invalid, else back to the editor."""
    db = get_session()
    posted = read_form(db, request.form)
    where = where_from(request.form)
    try:
        _check_posted(posted, get(db, key))
        update(db, key, posted.patch(), author=current_user.username, source="ui",
               expected_version=_number(request.form.get("version")))
    except ConflictError:
        db.rollback()
        return conflicts.conflict_page(kind, key, posted, _number(request.form.get("base")),
                                       where)
    except ValidationError as exc:
        db.rollback()
        return render_editor(get(db, key), where, posted=posted, errors=exc.errors), 422
    flash(saved, "success")
    return redirect(url_for(endpoint, **address, **_where_args(where)))


def _check_posted(posted: Posted, entity: Product | ProductModel) -> None:
    problems = list(posted.problems)
    status = posted.properties.get("status")
    if status and status != getattr(entity, "status", status) and (
            status == "approved" or getattr(entity, "status", "") == "approved") \
            and not can(APPROVE):
        problems.append(FieldError("status", "only reviewers approve or unapprove products"))
    if problems:
        raise ValidationError(problems)


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.route("/editor/preview", methods=["POST"])
def preview() -> Markup:
    """Return the sanitized rendering of the rich text being typed."""
    name = request.headers.get("HX-Trigger-Name", "")
    return Markup(sanitize_html(request.form.get(name, "")))
