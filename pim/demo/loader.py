"""Load the demo catalog into an empty database."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.models import Attribute, Product, ProductModel
from pim.demo.images import draw_product
from pim.demo.products import load_products
from pim.demo.structure import AUTHOR, load_structure


@dataclass(frozen=True)
class DemoSummary:
    products: int
    images: int
    changeset_id: str


def catalog_is_empty(session: Session) -> bool:
    """Tell whether the database holds no attribute and no product yet."""
    return not session.scalar(select(func.count()).select_from(Product)) and not session.scalar(
        select(func.count()).select_from(Attribute)
    )


def load_demo(session: Session, storage: Any = None, policy: Any = None) -> DemoSummary:
    """Create the demo catalog as one changeset, with its pictures when given a storage."""
    load_structure(session)
    changeset_id = s.new_changeset(session, AUTHOR, "demo", "Demo catalog")
    count = load_products(session, changeset_id)
    session.commit()
    images = _load_images(session, storage, policy) if storage is not None else 0
    return DemoSummary(products=count, images=images, changeset_id=changeset_id)


def _image_codes(session: Session) -> dict[str, str]:
    """Asset codes the demo's products and models point at, with a caption for each."""
    wanted: dict[str, str] = {}
    rows = session.execute(select(Product.identifier, Product.values)).all()
    rows += session.execute(select(ProductModel.code, ProductModel.values)).all()
    for owner, values in rows:
        for entry in values.get("images", []):
            for code in entry["data"]:
                wanted.setdefault(code, owner)
    return dict(sorted(wanted.items()))


def _load_images(session: Session, storage: Any, policy: Any) -> int:
    from assets.ingest import ingest_upload

    codes = _image_codes(session)
    for code, owner in codes.items():
        picture = io.BytesIO(draw_product(code, owner))
        ingest_upload(session, storage, picture, f"{code}.jpg", policy=policy, code=code,
                      title={"en_US": owner}, alt_text={"en_US": f"Picture of {owner}"},
                      tags=("demo",), author=AUTHOR)
    return len(codes)
