"""Mapping profiles: any CSV read column by column into attributes, saved and reused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pim.catalog import services as s
from pim.catalog.models import Product
from pim.errors import NotFound, ValidationError
from pim.imports.profiles import delete_profile, get_profile, list_profiles, save_profile

SETTINGS = {
    "identifier": "Artikelnummer",
    "family": "shoes",
    "categories_column": "Kategorie",
    "enabled_column": "Aktiv",
    "columns": {
        "Bezeichnung": {"attribute": "name", "locale": "de_DE"},
        "Name EN": {"attribute": "name", "locale": "en_US"},
        "Beschreibung": {"attribute": "description", "locale": "de_DE", "scope": "ecommerce"},
        "Preis": {"attribute": "price", "currency": "EUR"},
        "Gewicht (kg)": {"attribute": "weight", "unit": "KILOGRAM"},
        "Farbe": {"attribute": "color"},
        "Wasserdicht": {"attribute": "waterproof"},
    },
    "ignore": ["Notiz"],
}
HEADER = ["Artikelnummer", "Bezeichnung", "Name EN", "Beschreibung", "Preis", "Gewicht (kg)",
          "Farbe", "Wasserdicht", "Kategorie", "Aktiv", "Notiz"]


def test_a_profile_reads_any_csv_into_attributes(catalog, run_import, write_file, session):
    save_profile(session, "lieferant", SETTINGS, author="admin", description="Lieferant A")
    path = write_file("artikel.csv", header=HEADER, rows=[
        ["A-100", "Wanderschuh Größe", "Hiking shoe", "<p>Leicht & stark</p>", "79.5", "0.42",
         "red", "ja", "men", "1", "intern"],
        ["A-101", "Straßenschuh", "", "", "59", "", "blue", "nein", "", "0", ""],
        ["A-102", "Kaputt", "", "", "abc", "", "pink", "", "", "1", ""],
    ], delimiter=",")
    record = run_import(path, format="profile:lieferant")
    assert record.status == "succeeded", record.error
    assert record.counts["product"]["created"] == 2 and record.rows_failed == 1
    shoe = s.dump_product(s.get_product(session, "A-100"), merged=False)
    values = shoe["values"]
    assert shoe["family"] == "shoes" and shoe["categories"] == ["men"] and shoe["enabled"]
    assert values["name"] == [{"locale": "de_DE", "scope": None, "data": "Wanderschuh Größe"},
                              {"locale": "en_US", "scope": None, "data": "Hiking shoe"}]
    assert values["description"][0]["scope"] == "ecommerce"
    assert values["price"][0]["data"] == [{"amount": "79.50", "currency": "EUR"}]
    assert values["weight"][0]["data"] == {"amount": "0.42", "unit": "KILOGRAM"}
    assert values["waterproof"][0]["data"] is True
    other = s.get_product(session, "A-101")
    assert other.enabled is False and other.values["waterproof"][0]["data"] is False
    problems = {p["column"] for issue in s_issues(session, record.id) for p in issue}
    assert {"Preis", "Farbe"} <= problems
    again = run_import(path, format="profile:lieferant")
    assert again.counts["product"]["unchanged"] == 2


def s_issues(session, import_id):
    from pim.imports.report import import_issues

    return [issue.problems for issue in import_issues(session, import_id, severity="error")]


def test_a_column_the_profile_does_not_know_refuses_the_file(catalog, run_import, write_file,
                                                             session):
    save_profile(session, "lieferant", SETTINGS, author="admin")
    path = write_file("artikel.csv", header=[*HEADER, "Lagerort"],
                      rows=[["A-1", "x", "", "", "", "", "", "", "", "", "", "Halle 3"]])
    record = run_import(path, format="profile:lieferant")
    assert record.status == "refused" and "'Lagerort' (the profile maps it to nothing)" in \
        record.error
    assert session.scalar(select(func.count()).select_from(Product)) == 0
    missing = run_import(path, format="profile:nobody")
    assert missing.status == "refused" and "no mapping profile 'nobody'" in missing.error


def test_profile_settings_are_checked_against_the_catalog(catalog, session):
    bad = {"identifier": "SKU", "columns": {
        "Name": {"attribute": "name"},
        "Preis": {"attribute": "price", "currency": "JPY"},
        "X": {"attribute": "nope"},
        "Stock": {"attribute": "stock", "unit": "KILOGRAM"},
        "Desc": {"attribute": "description", "locale": "de_DE", "scope": "tv"}},
        "colour": "x"}
    with pytest.raises(ValidationError) as caught:
        save_profile(session, "bad:name", bad, author="admin")
    fields = {e.field: e.message for e in caught.value.errors}
    assert set(fields) == {"name", "colour", "columns.Name", "columns.Preis", "columns.X",
                           "columns.Stock", "columns.Desc"}
    assert "localizable" in fields["columns.Name"]
    assert "JPY" in fields["columns.Preis"] and "does not exist" in fields["columns.X"]
    assert list_profiles(session) == []


def test_profiles_are_saved_replaced_and_deleted_by_name(catalog, session):
    save_profile(session, "a", SETTINGS, author="admin")
    save_profile(session, "a", {**SETTINGS, "family": "accessories"}, author="admin")
    assert [p.name for p in list_profiles(session)] == ["a"]
    assert get_profile(session, "a").settings["family"] == "accessories"
    delete_profile(session, "a")
    with pytest.raises(NotFound):
        get_profile(session, "a")
