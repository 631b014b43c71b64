"""`prism index rebuild|check` and `prism search "..."`."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from pim.errors import ValidationError
from pim.search.maintenance import check_index, rebuild_index
from pim.search.service import SearchResult, search_products


def register_commands(app: Flask) -> None:
    """Attach `prism index ...` and `prism search` to `app`."""
    app.cli.add_command(index_group)
    app.cli.add_command(search_command)


def _app() -> Flask:
    return current_app._get_current_object()


@click.group("index")
def index_group() -> None:
    """The product search index."""


@index_group.command("rebuild")
@click.option("--procs", type=click.IntRange(1, 16), default=None,
              help="Writer processes (default: one per core, at most 4).")
@with_appcontext
def rebuild_command(procs: int | None) -> None:
    """Rebuild the search index from the database (searches use the old one meanwhile)."""
    def progress(done: int, _total: int | None) -> None:
        if done % 10_000 < 500:
            click.echo(f"  {done} products ...")

    report = rebuild_index(_app(), procs=procs, progress=progress)
    click.echo(f"Indexed {report.indexed} products in {report.seconds:.1f} s.")
    drift = check_index(_app(), repair=True)
    if drift.repaired:
        click.echo(f"Caught up with {len(drift.missing) + len(drift.stale) + len(drift.extra)} "
                   "products changed during the rebuild.")


@index_group.command("check")
@click.option("--repair", is_flag=True, help="Reindex what differs and remove what is gone.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Compare the index with the database: missing, extra and outdated products."""
    report = check_index(_app(), repair=repair)
    click.echo(f"{report.products} products in the database, {report.documents} in the index.")
    for label, ids in (("missing from the index", report.missing),
                       ("in the index but deleted", report.extra),
                       ("outdated in the index", report.stale)):
        if ids:
            shown = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
            click.echo(f"{len(ids)} {label} (ids {shown})")
    if report.in_step:
        click.echo("The index is in step with the database.")
    elif report.repaired:
        click.echo("Repaired.")
    else:
        raise click.ClickException("The index has drifted; run `prism index check --repair`.")


@click.command("search")
@click.argument("query", default="")
@click.option("--facet", "facets", multiple=True, help="Count hits per value of this field.")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Keep hits whose FIELD has VALUE (repeat for several fields).")
@click.option("--sort", default="relevance", show_default=True,
              help="relevance, identifier, updated, created or complete_<channel>_<locale>; "
                   "a leading '-' sorts descending.")
@click.option("--locale", default=None, help="Search the text of this locale only.")
@click.option("--page", default=1, show_default=True, type=int)
@click.option("--per-page", default=20, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@with_appcontext
def search_command(query: str, facets: tuple[str, ...], filters: tuple[str, ...], sort: str,
                   locale: str | None, page: int, per_page: int, as_json: bool) -> None:
    """Search products, e.g. prism search "trail shoe*" --facet family --sort -updated."""
    from pim.search import search_index

    try:
        result = search_products(search_index(_app()), query, filters=_filters(filters),
                                 facets=facets, sort=sort, page=page, per_page=per_page,
                                 locale=locale)
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors))
    click.echo(_json(result) if as_json else _text(result))


def _filters(pairs: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="--filter")
        if name == "enabled":
            found[name] = value.lower() in ("true", "yes", "1")
        else:
            found.setdefault(name, []).append(value)
    return found


def _text(result: SearchResult) -> str:
    lines = [f"{result.total} products found."]
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for hit in result.hits:
        score = f"{hit.score:7.2f}" if hit.score is not None else "       "
        updated = hit.fields.get("updated")
        stamp = updated.strftime("%Y-%m-%d %H:%M") if updated else ""
        lines.append(f"{score}  {hit.identifier:<30} {hit.fields.get('family') or '-':<16} "
                     f"{stamp}")
    for name, counts in result.facets.items():
        lines.append(f"{name}:")
        lines.extend(f"  {value:<30} {count}" for value, count in counts.items())
    return "\n".join(lines)


def _json(result: SearchResult) -> str:
    return json.dumps({
        "total": result.total, "suggestion": result.suggestion, "facets": result.facets,
        "hits": [{"identifier": h.identifier, "score": h.score} for h in result.hits],
    }, ensure_ascii=False, indent=2)
