"""The demo catalog's products: apparel with variants, electronics, home goods."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session
from stdnum import ean

from pim.catalog import services as s
from pim.demo.structure import AUTHOR, CHANNELS, OPTIONS
from pim.demo.words import COLORS, DESCRIPTIONS, LOCALES, MATERIALS, NOUNS

BRANDS = list(OPTIONS["brand"])


def asset_code(text: str) -> str:
    """Asset codes hold letters, digits and underscores only."""
    return text.replace("-", "_")


def v(data: Any, locale: str | None = None, scope: str | None = None) -> list[dict[str, Any]]:
    return [{"locale": locale, "scope": scope, "data": data}]


class Maker:
    """Deterministic product data: the same catalog every time."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def ean(self) -> str:
        self.serial += 1
        body = f"590{self.serial:09d}"
        return body + ean.calc_check_digit(body)

    def names(self, family: str, model: str, sparse: bool) -> list[dict[str, Any]]:
        """Localized names; a sparse product lacks its Romanian and Greek names."""
        values = []
        for i, locale in enumerate(LOCALES):
            if sparse and locale in ("ro_RO", "el_GR"):
                continue
            values.append({"locale": locale, "scope": None,
                           "data": f"{NOUNS[family][i]} {model}"})
        return values

    def descriptions(self, family: str, name: str, sparse: bool, **words: Any) -> list[dict]:
        templates = DESCRIPTIONS.get(family, DESCRIPTIONS["default"])
        values = []
        for channel in CHANNELS:
            for locale in channel["locales"]:
                if sparse and locale in ("ro_RO", "el_GR"):
                    continue
                text = templates[LOCALES.index(locale)].format(name=name, **words)
                values.append({"locale": locale, "scope": channel["code"], "data": text})
        return values

    def price(self, low: int, high: int) -> list[dict[str, Any]]:
        euros = self.rng.randrange(low, high) + 0.99
        rates = {"EUR": 1, "USD": 1.08, "PLN": 4.3, "RON": 4.97}
        return v([{"amount": f"{euros * rate:.2f}", "currency": code}
                  for code, rate in rates.items()])


def tshirt_models(maker: Maker) -> Iterator[tuple[str, dict, list[tuple[dict, list[dict]]]]]:
    """Yield (kind, root model, [(sub-model, [variants])]) for T-shirts."""
    lines = ["Classic", "Heavyweight", "Breeze", "Pocket", "Raglan", "Trail"]
    colors = list(COLORS)
    for index, line in enumerate(lines):
        code = f"tee-{line.lower()}"
        material = ["cotton", "organic_cotton", "polyester"][index % 3]
        sparse = index % 3 == 2
        name = f"{NOUNS['tshirts'][0]} {line}"
        root = {"code": code, "family_variant": "tshirts_color_size",
                "categories": ["tops"], "values": {
                    "name": maker.names("tshirts", line, sparse),
                    "description": maker.descriptions("tshirts", name, sparse,
                                                      material=MATERIALS[material][0].lower()),
                    "price": maker.price(15, 35), "brand": v(BRANDS[index % len(BRANDS)]),
                    "gender": v(["female", "male", "unisex"][index % 3]),
                    "material": v([material])}}
        subs = []
        for color in colors[index % 3: index % 3 + 3]:
            sub = {"code": f"{code}-{color}", "parent": code, "values": {
                "color": v(color), "images": v([asset_code(f"{code}-{color}")])}}
            variants = [{"identifier": f"{code}-{color}-{size}", "parent": sub["code"],
                         "enabled": True, "values": {
                             "size": v(size), "ean": v(maker.ean()),
                             "weight": v({"amount": f"0.{15 + i * 2}", "unit": "KILOGRAM"})}}
                        for i, size in enumerate(("s", "m", "l", "xl"))]
            subs.append((sub, variants))
        yield "tshirts", root, subs


def sneaker_models(maker: Maker) -> Iterator[tuple[str, dict, list[tuple[dict, list[dict]]]]]:
    for index, color in enumerate(["black", "white", "navy", "red", "grey"]):
        code = f"sneaker-orbit-{color}"
        line = f"Orbit {COLORS[color][0]}"
        root = {"code": code, "family_variant": "sneakers_size", "categories": ["footwear"],
                "values": {
                    "name": maker.names("sneakers", line, index == 4),
                    "description": maker.descriptions("default", f"Sneaker {line}", index == 4,
                                                      warranty=2),
                    "price": maker.price(60, 140), "color": v(color),
                    "brand": v("orbita"), "gender": v("unisex"), "material": v(["leather"]),
                    "waterproof": v(index % 2 == 0), "images": v([asset_code(code)]),
                    "weight": v({"amount": "0.8", "unit": "KILOGRAM"})}}
        variants = [{"identifier": f"{code}-{size}", "parent": code, "values": {
            "eu_shoe_size": v(f"eu{size}"), "ean": v(maker.ean())}}
            for size in range(40, 45)]
        yield "sneakers", root, [(None, variants)]


# backpacks first: laptops link to them as accessories
SIMPLE = {
    "backpacks": (12, ["bags"], (40, 180)),
    "laptops": (20, ["computers"], (600, 2400)),
    "headphones": (15, ["audio"], (30, 400)),
    "mugs": (15, ["kitchen"], (8, 25)),
}


def simple_products(maker: Maker) -> Iterator[dict[str, Any]]:
    """Yield simple products of the electronics and home families."""
    for family, (count, categories, prices) in SIMPLE.items():
        for index in range(count):
            model = f"{maker.rng.choice(['Pro', 'Air', 'Go', 'Max', 'One'])} {100 + index * 7}"
            identifier = f"{family[:-1]}-{index + 1:03d}"
            sparse = index % 4 == 3
            name = f"{NOUNS[family][0]} {model}"
            values = {"name": maker.names(family, model, sparse),
                      "description": maker.descriptions(family, name, sparse, warranty=2),
                      "price": maker.price(*prices), "ean": v(maker.ean()),
                      "images": v([asset_code(identifier)]),
                      "weight": v({"amount": f"{maker.rng.uniform(0.2, 2.5):.2f}",
                                   "unit": "KILOGRAM"})}
            values.update(_family_values(maker, family, index))
            yield {"identifier": identifier, "family": family, "categories": categories,
                   "enabled": index % 10 != 9, "values": values}


def _family_values(maker: Maker, family: str, index: int) -> dict[str, Any]:
    rng = maker.rng
    brand = v(BRANDS[index % len(BRANDS)])
    if family == "laptops":
        return {"brand": brand, "screen_size": v({"amount": rng.choice(["13.3", "14", "15.6"]),
                                                  "unit": "INCH"}),
                "memory": v({"amount": rng.choice([8, 16, 32]), "unit": "GIGABYTE"}),
                "storage": v({"amount": rng.choice([256, 512, 1024]), "unit": "GIGABYTE"}),
                "processor": v(rng.choice(["8-core 3.2 GHz", "12-core 4.1 GHz"])),
                "release_date": v(f"202{index % 6}-0{1 + index % 9}-15"),
                "warranty_years": v(2 + index % 2),
                "manufacturer_url": v(f"https://example.com/laptops/{index + 1}"),
                "accessories": v([f"backpack-{1 + index % 12:03d}"])}
    if family == "headphones":
        return {"brand": brand, "color": v(rng.choice(list(COLORS))),
                "wireless": v(index % 3 != 0), "warranty_years": v(2),
                "battery_life": v({"amount": rng.choice([20, 30, 40]), "unit": "HOUR"})}
    if family == "mugs":
        return {"color": v(rng.choice(list(COLORS))), "dishwasher_safe": v(index % 4 != 0),
                "material": v(["ceramic"]),
                "capacity": v({"amount": rng.choice(["0.3", "0.35", "0.45"]), "unit": "LITER"})}
    return {"brand": brand, "color": v(rng.choice(list(COLORS))), "material": v(["nylon"]),
            "capacity": v({"amount": rng.choice(["18", "24", "30"]), "unit": "LITER"}),
            "waterproof": v(index % 2 == 0), "warranty_years": v(3)}


def load_products(session: Session, changeset_id: str) -> int:
    """Create every demo product model and product; return the product count."""
    maker = Maker()
    stamp = {"author": AUTHOR, "source": "demo", "changeset_id": changeset_id}
    count = 0
    for models in (tshirt_models(maker), sneaker_models(maker)):
        for _kind, root, subs in models:
            s.create_product_model(session, root, **stamp)
            for sub, variants in subs:
                if sub is not None:
                    s.create_product_model(session, sub, **stamp)
                for variant in variants:
                    s.create_product(session, variant, **stamp)
                    count += 1
    for product in simple_products(maker):
        s.create_product(session, product, **stamp)
        count += 1
    return count
