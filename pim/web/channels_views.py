"""Channels: what is live and where, publish (full or delta), preview a product's listing,
the feed URL, and a product's listing on every channel side by side."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from exporters.errors import PublicationRunning
from exporters.feeds import feed_url, rotate_feed_secret
from exporters.images import AssetImages, media_path_for
from exporters.live import live_outputs
from exporters.preview import preview_listing, preview_on_channel
from exporters.publishing import list_publications, start_publication
from exporters.registry import exporter_class
from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE, WRITE_CONTENT
from pim.catalog import services as s
from pim.errors import NotFound, PrismError, ValidationError
from pim.web.security import requires

bp = Blueprint("channels_ui", __name__, url_prefix="/channels")
HISTORY = 30


def exporter_of(kind: str | None) -> Any:
    """Return the exporter class of a channel, or None when it has none (or an unknown one)."""
    try:
        return exporter_class(kind) if kind else None
    except NotFound:
        return None


def _public_url() -> str:
    return current_app.config["PUBLIC_URL"]


def _images(db: Any) -> AssetImages | None:
    app = current_app._get_current_object()
    if "media.asset_rendition" not in app.view_functions:
        return None
    return AssetImages(db, _public_url(), media_path_for(app))


@bp.route("")
def index() -> str:
    """List channels with their exporter and what is live on each."""
    db = get_session()
    rows = []
    for channel in s.list_channels(db):
        latest = list_publications(db, channel.code, limit=1)
        rows.append({"channel": channel, "exporter": exporter_of(channel.exporter),
                     "live": live_outputs(db, channel.id), "latest": latest[0] if latest else None})
    return render_template("channels/index.html", rows=rows)


@bp.route("/<code>")
def show(code: str) -> str:
    """Show one channel: live outputs, publish, history, preview and feed URL."""
    return _channel_page(code)


def _channel_page(code: str, **extra: Any) -> str:
    db = get_session()
    channel = s.get_channel(db, code)
    return render_template(
        "channels/show.html", channel=channel, exporter=exporter_of(channel.exporter),
        live=live_outputs(db, channel.id),
        publications=list_publications(db, code, limit=HISTORY), **extra)


@bp.route("/<code>/publish", methods=["POST"])
@requires(WRITE_CONTENT)
def publish(code: str) -> Response:
    """Start a full or delta publication of the channel, as a job."""
    db = get_session()
    s.get_channel(db, code)
    db.commit()  # end this request's transaction before the job writes
    try:
        publication = start_publication(current_app._get_current_object(), code,
                                        delta=request.form.get("mode") == "delta",
                                        created_by=current_user.username)
    except (PublicationRunning, ValidationError) as exc:
        flash(f"Not published: {exc.message}", "error")
        return redirect(url_for("channels_ui.show", code=code))
    return redirect(url_for("publications_ui.show", publication_id=publication.id))


@bp.route("/<code>/preview")
def preview(code: str) -> str | tuple[str, int]:
    """Show what the channel would receive of one product, and what blocks it."""
    db = get_session()
    identifier = (request.args.get("identifier") or "").strip()
    found = None
    problem = None
    if identifier:
        try:
            found = preview_on_channel(db, code, identifier, public_url=_public_url(),
                                       images=_images(db))
        except PrismError as exc:
            problem = exc.message
    return _channel_page(code, preview=found, identifier=identifier, preview_problem=problem)


@bp.route("/<code>/feed", methods=["POST"])
@requires(MANAGE_STRUCTURE)
def feed(code: str) -> str:
    """Give the channel a new feed secret and show its URLs once (the old ones stop)."""
    db = get_session()
    channel = s.get_channel(db, code)
    secret = rotate_feed_secret(db, code)
    files = sorted(live_outputs(db, channel.id).by_file())
    urls = [feed_url(_public_url(), code, secret, name) for name in files]
    flash("A new feed URL is set; the previous one no longer works.", "success")
    return _channel_page(code, feed_urls=urls,
                         feed_base=feed_url(_public_url(), code, secret, ""))


@bp.route("/listing/<path:identifier>")
def listing(identifier: str) -> str:
    """Show a product's listing on every channel side by side, with what blocks it."""
    db = get_session()
    previews = preview_listing(db, identifier, public_url=_public_url(), images=_images(db))
    return render_template("channels/listing.html", identifier=identifier, previews=previews,
                           product=s.get_product(db, identifier))
