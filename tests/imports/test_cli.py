"""`prism import`: run, report, failed rows, revert and profiles from the command line."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from pim.catalog.models import Product
from pim.imports.report import list_imports
from tests.imports.test_akeneo_files import HEADER, row


def test_import_report_failed_rows_and_revert_from_the_command_line(catalog, app, write_file,
                                                                    tmp_path, session):
    runner = app.test_cli_runner()
    path = write_file("products.csv", header=HEADER, rows=[
        row("CLI-1"), row("CLI-2", color="purple"), row("CLI-3")])
    dry = runner.invoke(args=["import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing was written" in dry.output
    assert session.scalar(select(func.count()).select_from(Product)) == 0

    result = runner.invoke(args=["import", str(path), "--mode", "partial", "--author", "ana"])
    assert result.exit_code == 0, result.output
    assert "status: succeeded" in result.output and "refused 1" in result.output
    import_id = list_imports(session)[0].id
    assert f"prism import failed-rows {import_id}" in result.output

    report = runner.invoke(args=["import", "report", import_id])
    assert "error products.csv row 3 color: option 'purple' does not exist" in report.output

    out = tmp_path / "fix.csv"
    failed = runner.invoke(args=["import", "failed-rows", import_id, "-o", str(out)])
    assert failed.exit_code == 0 and out.read_text(encoding="utf-8").count("\n") == 2

    reverted = runner.invoke(args=["import", "revert", import_id, "--author", "ana"])
    assert reverted.exit_code == 0, reverted.output
    assert "2 removed to the trash" in reverted.output
    assert session.scalar(select(func.count()).select_from(Product)) == 0
    again = runner.invoke(args=["import", "revert", import_id])
    assert again.exit_code != 0 and "already reverted" in again.output

    listed = runner.invoke(args=["import", "list"])
    assert import_id[:8] in listed.output


def test_a_refused_import_exits_with_an_error(catalog, app, write_file):
    path = write_file("products.csv", header=[*HEADER, "mystery"], rows=[row("Z-1") + ["?"]])
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "'mystery'" in result.output and "status: refused" in result.output


def test_profiles_from_the_command_line(catalog, app, tmp_path, write_file, session):
    settings = tmp_path / "profile.json"
    settings.write_text(json.dumps({"identifier": "Code", "family": "shoes", "columns": {
        "Nom": {"attribute": "name", "locale": "fr_FR"}}}), encoding="utf-8")
    runner = app.test_cli_runner()
    saved = runner.invoke(args=["import", "profiles", "save", "fournisseur", str(settings),
                                "--description", "Fournisseur français"])
    assert saved.exit_code == 0, saved.output
    assert "fournisseur: 1 column(s) - Fournisseur français" in runner.invoke(
        args=["import", "profiles", "list"]).output
    assert '"Nom"' in runner.invoke(args=["import", "profiles", "show", "fournisseur"]).output
    path = write_file("f.csv", header=["Code", "Nom"], rows=[["FR-1", "Chaussure d'été"]])
    result = runner.invoke(args=["import", str(path), "--format", "profile:fournisseur"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count()).select_from(Product)) == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"identifier": "Code", "columns": {"A": {"attribute": "nope"}}}')
    refused = runner.invoke(args=["import", "profiles", "save", "bad", str(bad)])
    assert refused.exit_code != 0 and "attribute 'nope' does not exist" in refused.output
    assert runner.invoke(args=["import", "profiles", "delete", "fournisseur"]).exit_code == 0
