"""Every catalog language is searchable: stemming where Whoosh has it, folding everywhere."""

from __future__ import annotations

import pytest

from pim.catalog import services as s
from pim.search.analysis import SPELLING_WORD, STEMMED_LANGUAGES, fold, spelling_words
from pim.search.schema import text_field
from tests.builders import ADMIN, value
from tests.search.conftest import found, make, names, reindex


@pytest.fixture()
def shelf(catalog, index):
    make(catalog, "EN-1", name=names(en_US="Running shoes for trails"))
    make(catalog, "FR-1", name=names(fr_FR="Chaussures légères"))
    make(catalog, "DE-1", name=names(de_DE="Wasserdichte Schuhe"))
    make(catalog, "RU-1", name=names(ru_RU="Зимние куртки"))
    make(catalog, "RO-1", name=names(ro_RO="Pantofi de alergare"))
    make(catalog, "ES-1", name=names(es_ES="Zapatos de cuero"))
    make(catalog, "PL-1", name=names(pl_PL="Zielony żółw"))
    make(catalog, "EL-1", name=names(el_GR="Δερμάτινο παπούτσι"))
    make(catalog, "MIX-1", name=names(en_US="Leather boot", fr_FR="Botte en cuir",
                                     de_DE="Lederstiefel"))
    reindex(catalog, index)
    return catalog


@pytest.mark.parametrize(("query", "expected"), [
    ("run shoe", "EN-1"),            # English: "running shoes" stems to "run shoe"
    ("trail", "EN-1"),
    ("chaussure", "FR-1"),           # French plural
    ("légère", "FR-1"),
    ("Schuh", "DE-1"),               # German plural "Schuhe"
    ("куртка", "RU-1"),              # Russian plural "куртки"
    ("pantof", "RO-1"),              # Romanian plural "pantofi"
    ("zapato", "ES-1"),              # Spanish plural "zapatos"
])
def test_stemming_finds_other_forms_of_a_word(shelf, index, query, expected):
    assert found(index, shelf, query) == [expected]


@pytest.mark.parametrize(("query", "expected"), [
    ("żółw", ["PL-1"]),              # Polish diacritics as written
    ("ŻÓŁW", ["PL-1"]),
    ("zolw", ["PL-1"]),              # and folded: accents are optional in queries
    ("παπούτσι", ["EL-1"]),          # Greek with tonos
    ("ΠΑΠΟΥΤΣΙ", ["EL-1"]),          # capitals without tonos
    ("παπουτσι", ["EL-1"]),
    ("legeres", ["FR-1"]),           # French without accents
    ("ЗИМНИЕ", ["RU-1"]),            # Cyrillic capitals
])
def test_accents_and_case_are_folded_in_every_script(shelf, index, query, expected):
    assert found(index, shelf, query) == expected


def test_languages_without_a_stemmer_match_whole_words_only(shelf, index):
    # Polish has no Whoosh stemmer: the plain analyzer keeps words as they are
    assert "pl" not in STEMMED_LANGUAGES
    assert found(index, shelf, "żółwie") == []
    assert found(index, shelf, "żółw*") == ["PL-1"]


def test_a_locale_narrows_the_search_to_its_language(shelf, index):
    assert found(index, shelf, "cuir") == ["MIX-1"]
    assert found(index, shelf, "cuir", locale="fr_FR") == ["MIX-1"]
    assert found(index, shelf, "cuir", locale="en_US") == []
    assert found(index, shelf, "leather", locale="en_US") == ["MIX-1"]


def test_identifiers_match_exactly_and_by_prefix_whatever_the_case(shelf, index):
    assert found(index, shelf, "ru-1") == ["RU-1"]
    assert found(index, shelf, "identifier:RU-1") == ["RU-1"]
    assert found(index, shelf, "identifier:r*", sort="identifier") == ["RO-1", "RU-1"]
    assert found(index, shelf, "Mix-*") == ["MIX-1"]


def test_option_labels_are_searchable_in_every_locale(catalog, index):
    s.save_option(catalog, "color", {"code": "red", "labels": {
        "en_US": "Red", "pl_PL": "Czerwony", "el_GR": "Κόκκινο", "ru_RU": "Красный"}},
        author=ADMIN)
    make(catalog, "RED-1", color=value("red"))
    make(catalog, "BLUE-1", color=value("blue"))
    reindex(catalog, index)
    for query in ("red", "czerwony", "κοκκινο", "красный", "color:red"):
        assert found(index, catalog, query) == ["RED-1"], query


def test_rich_text_is_searched_without_its_markup(catalog, index):
    make(catalog, "HTML-1", description=value(
        "<p><strong>Waterproof</strong> boots &amp; laces</p>", "en_US", "ecommerce"))
    reindex(catalog, index)
    assert found(index, catalog, "waterproof boots") == ["HTML-1"]
    assert found(index, catalog, "strong") == []


def test_locale_codes_choose_their_language_field():
    assert text_field("fr_FR") == "text_fr"
    assert text_field("pt_BR") == "text_pt"
    assert text_field(None) == "words"
    assert fold("Żółw Łódź ÆØ ß") == "zolw lodz aeo ss"


@pytest.mark.parametrize("texts", [
    ["Trail shoe number7", "Chaussure de trail"],
    ["Über straße żółw x2y abc_def abc1def ÀÉÎõü"],
    ["½ness ²abc abc² a—b—c word—word", "\u3000ab\xa0abc\u2028abcd"],
    ["İstanbul ǅemal ﬁne AbCΣ ΟΔΟΣ", "a_b_c__ddd 12abc abc12", "ab", "cd"],
    ["lone\ud800surrogate abc", ""],
])
def test_spelling_words_are_runs_of_three_letters_or_more(texts):
    words = {word.lower() for text in texts for word in SPELLING_WORD.findall(text)}
    assert spelling_words(texts) == " ".join(sorted(words))
