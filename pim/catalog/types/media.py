"""Files, images, asset collections and links to other products."""

from __future__ import annotations

import re
from typing import Any

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type, check_text

ASSET_CODE = re.compile(r"^\w{1,255}$")


class _FileType(AttributeType):
    properties = ("allowed_extensions", "max_file_size")

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> str | None:
        if data in (None, ""):
            return None
        key = check_text(data, what="file key").strip()
        if len(key) > 1024 or key.startswith("/") or ".." in key.split("/"):
            raise Problem(f"{key!r} is not a valid media file key")
        allowed = [e.strip().lower() for e in attribute.prop("allowed_extensions", []) if e]
        extension = key.rsplit(".", 1)[-1].lower() if "." in key else ""
        if allowed and extension not in allowed:
            raise Problem(f"extension {extension!r} is not allowed (allowed: {', '.join(allowed)})")
        return key


@attribute_type
class ImageType(_FileType):
    code = "pim_catalog_image"
    label = "Image"


@attribute_type
class FileType(_FileType):
    code = "pim_catalog_file"
    label = "File"


@attribute_type
class AssetCollectionType(AttributeType):
    code = "pim_catalog_asset_collection"
    label = "Asset collection"

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> list[str] | None:
        if data is None:
            return None
        if not isinstance(data, list):
            raise Problem(f"an asset collection is an ordered list of asset codes, got {data!r}")
        codes: list[str] = []
        for item in data:
            code = check_text(item, what="asset code")
            if not ASSET_CODE.match(code):
                raise Problem(f"{code!r} is not a valid asset code")
            if code in codes:
                raise Problem(f"asset {code!r} is given twice")
            codes.append(code)
        return codes or None


@attribute_type
class ProductLinkType(AttributeType):
    code = "pim_catalog_product_link"
    label = "Linked products"

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> list[str] | None:
        if data is None:
            return None
        if not isinstance(data, list):
            raise Problem(f"linked products are a list of product identifiers, got {data!r}")
        found: list[str] = []
        for item in data:
            identifier = check_text(item, what="product identifier")
            if identifier in found:
                raise Problem(f"product {identifier!r} is given twice")
            if not ctx.product_exists(identifier):
                raise Problem(f"product {identifier!r} does not exist")
            found.append(identifier)
        return found or None
