from pim.catalog import services as s
from tests.builders import product, small_catalog


def test_small_catalog_builds(session):
    small_catalog(session)
    p = product(session)
    assert s.dump_product(p)["values"]["name"][0]["data"] == "Trail shoe"
