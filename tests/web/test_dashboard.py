"""The dashboard: completeness chart, blockers per channel, recent changes and jobs."""

from tests.builders import product, value


def test_dashboard_shows_completeness_blockers_and_changes(catalog, viewer):
    product(catalog, "shoe-2", values={"name": value("Other", "en_US"),
                                       "description": value("<p>x</p>", "en_US", "ecommerce")})
    page = viewer.get("/").get_data(as_text=True)
    assert "2 products in the catalog" in page
    assert "<svg" in page and "ecommerce · en_US" in page
    assert "ecommerce</a>:\n      2 of 2 blocked" in page or "2 of 2 blocked" in page
    assert "price missing on 2 products" in page
    assert "shoe-2" in page and "v1 by editor" in page
