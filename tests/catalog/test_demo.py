"""The demo catalog loads through the services and is what the README promises."""

from sqlalchemy import func, select

from assets import IngestPolicy, open_storage
from assets.services import get_asset
from pim.catalog import services as s
from pim.catalog.models import Completeness, Family, Product, ProductModel
from pim.demo.loader import catalog_is_empty, load_demo


def test_demo_catalog_loads_with_variants_channels_and_locales(session, tmp_path):
    assert catalog_is_empty(session)
    storage = open_storage((tmp_path / "media").as_uri())
    summary = load_demo(session, storage, IngestPolicy())
    assert summary.images > 80
    asset = get_asset(session, "tee_classic_black")
    assert asset.tags == ["demo"]
    assert summary.products >= 150
    assert session.scalar(select(func.count()).select_from(Product)) == summary.products
    assert session.scalar(select(func.count()).select_from(Family)) >= 6
    assert session.scalar(select(func.count()).select_from(ProductModel)) > 0
    assert len(s.list_channels(session)) == 3
    locales = {loc.code for loc in s.list_locales(session, enabled=True)}
    assert {"en_US", "fr_FR", "de_DE", "pl_PL", "ro_RO", "el_GR"} <= locales
    variant = s.dump_product(s.get_product(session, "tee-classic-black-m"))
    assert variant["values"]["color"][0]["data"] == "black"
    names = {e["locale"]: e["data"] for e in variant["values"]["name"]}
    assert names["el_GR"] == "Μπλουζάκι Classic"
    ratios = session.scalars(select(Completeness.ratio)).all()
    assert 0 < sum(r == 100 for r in ratios) < len(ratios), "some complete, some not"
    assert not catalog_is_empty(session)
