"""The asset library: a searchable grid, uploads with progress, and each asset's page
(metadata, focal point, texts and tags, renditions per channel, versions, products)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from assets.errors import AssetRejected, UploadTooLarge
from assets.services import asset_file_versions, count_assets, get_asset, list_assets, update_asset
from pim import get_session
from pim.catalog import services as s
from pim.dam.presets import channel_presets
from pim.dam.uploads import replace_asset_file, upload_asset
from pim.dam.usage import asset_usage, remove_asset
from pim.errors import AlreadyExists, InUse, ValidationError
from pim.web.settings.forms import comma_list, label_locales

bp = Blueprint("assets_ui", __name__, url_prefix="/assets")
PAGE = 48
THUMB = "fill-240x240|format-jpeg|quality-80"
PREVIEW = "max-1200x1200|format-jpeg|quality-85"
TYPES = {"image/*": "Images", "application/pdf": "PDF", "application/*": "Documents"}
USED_BY_LIMIT = 100


def thumbnail_url(code: str) -> str:
    """Return the URL of an asset's thumbnail rendition."""
    return url_for("media.asset_rendition", code=code, spec=THUMB)


@bp.route("")
def index() -> str:
    """Show the library: search, filters, a page of assets and the upload zone."""
    db = get_session()
    text = (request.args.get("q") or "").strip()
    media_type = request.args.get("type") or None
    tag = (request.args.get("tag") or "").strip() or None
    after = request.args.get("after") or None
    found = list_assets(db, text=text, media_type=media_type, tag=tag, after=after,
                        limit=PAGE + 1)
    return render_template(
        "assets/index.html", assets=found[:PAGE], more=len(found) > PAGE,
        next_after=found[PAGE - 1].code if len(found) > PAGE else None,
        total=count_assets(db, text=text, media_type=media_type, tag=tag),
        q=text, type=media_type or "", tag=tag or "", types=TYPES, after=after)


def _storage() -> Any:
    return current_app.extensions["prism.storage"]


def _policy() -> Any:
    return current_app.extensions["prism.ingest_policy"]


@bp.route("/upload", methods=["POST"])
def upload() -> Response | tuple[Response, int]:
    """Ingest uploaded files; answer JSON per file for the uploader, else go back."""
    db = get_session()
    results = []
    for upload in request.files.getlist("file"):
        results.append(_ingest_one(db, upload))
    if request.accept_mimetypes.best == "application/json":
        if len(results) == 1:
            body, status = results[0]
            return jsonify(body), status
        return jsonify([body for body, _ in results]), 207
    for body, status in results:
        flash(("Uploaded " + body["code"]) if status == 201 else body["message"],
              "success" if status == 201 else "error")
    if not results:
        flash("Choose at least one file.", "error")
    return redirect(url_for("assets_ui.index"))


def _ingest_one(db: Session, upload: Any) -> tuple[dict[str, Any], int]:
    filename = upload.filename or "upload"
    try:
        done = upload_asset(db, _storage(), upload.stream, filename, policy=_policy(),
                            author=current_user.username, source="ui")
    except (AssetRejected, AlreadyExists, ValidationError) as exc:
        db.rollback()
        status = 413 if isinstance(exc, UploadTooLarge) else (
            409 if isinstance(exc, AlreadyExists) else 422)
        return {"file": filename, "message": exc.message}, status
    asset = done.asset
    return {"file": filename, "code": asset.code, "thumbnail": thumbnail_url(asset.code)
            if asset.file.is_image else None,
            "linked": [f"{o.link.identifier}" for o in done.links.linked]}, 201


@bp.route("/<code>")
def show(code: str) -> str:
    """Show one asset: preview, focal point, metadata, texts, renditions, versions, use."""
    db = get_session()
    asset = get_asset(db, code)
    return render_template(
        "assets/show.html", asset=asset, versions=asset_file_versions(db, code),
        locales=label_locales(db), preview=PREVIEW, renditions=channel_renditions(db),
        used_by=asset_usage(db, code, limit=USED_BY_LIMIT), errors={})


def channel_renditions(db: Session) -> list[dict[str, Any]]:
    """Return, per channel, the rendition preset of each of its image fields."""
    rows = []
    for channel in s.list_channels(db):
        presets = channel_presets(db, channel.code)
        if presets:
            rows.append({"channel": channel, "presets": sorted(presets.items())})
    return rows


@bp.route("/<code>", methods=["POST"])
def save(code: str) -> Response | tuple[str, int]:
    """Save an asset's titles, alt texts and tags."""
    db = get_session()
    locales = label_locales(db)
    data = {"title": {loc: request.form.get(f"title.{loc}", "").strip() for loc in locales},
            "alt_text": {loc: request.form.get(f"alt.{loc}", "").strip() for loc in locales},
            "tags": comma_list(request.form.get("tags", ""))}
    try:
        update_asset(db, code, data)
    except ValidationError as exc:
        db.rollback()
        flash("Nothing was saved: " + exc.message, "error")
    else:
        flash(f"Saved {code}.", "success")
    return redirect(url_for("assets_ui.show", code=code))


@bp.route("/<code>/focal", methods=["POST"])
def focal(code: str) -> Response:
    """Set (or clear) the point renditions keep in view when they crop."""
    db = get_session()
    try:
        x, y = request.form.get("focal_x", ""), request.form.get("focal_y", "")
        point = {"x": float(x), "y": float(y)} if x and y else None
        update_asset(db, code, {"focal_point": point})
    except (ValueError, ValidationError) as exc:
        db.rollback()
        flash(f"The focal point was not saved: {exc}", "error")
    else:
        flash("Focal point saved; crops now keep it in view." if point else
              "Focal point cleared.", "success")
    return redirect(url_for("assets_ui.show", code=code))


@bp.route("/<code>/replace", methods=["POST"])
def replace(code: str) -> Response:
    """Give the asset a new file as a new version; the old one stays retrievable."""
    db = get_session()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Choose a file to replace this one with.", "error")
        return redirect(url_for("assets_ui.show", code=code))
    try:
        done = replace_asset_file(db, _storage(), code, upload.stream, upload.filename,
                                  policy=_policy(), author=current_user.username, source="ui")
    except AssetRejected as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(f"{code} now has version {done.asset.current_version}.", "success")
    return redirect(url_for("assets_ui.show", code=code))


@bp.route("/<code>/delete", methods=["POST"])
def delete(code: str) -> Response:
    """Delete an asset no value holds (or take it out of those values first, if asked)."""
    db = get_session()
    try:
        remove_asset(db, _storage(), code, author=current_user.username, source="ui",
                     unlink=request.form.get("unlink") == "1")
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("assets_ui.show", code=code))
    flash(f"Asset {code} deleted.", "success")
    return redirect(url_for("assets_ui.index"))


@bp.route("/picker")
def picker() -> str:
    """Return the asset picker of the product editor: search, pick, or upload."""
    db = get_session()
    text = (request.args.get("q") or "").strip()
    return render_template("assets/_picker.html", assets=list_assets(db, text=text, limit=30),
                           q=text, name=request.args.get("name", ""),
                           list_id=request.args.get("list", ""))
