"""Tables of the asset library: stored files, assets and versions, renditions, link rules."""

from assets.models.assets import Asset, AssetTag, AssetVersion
from assets.models.files import StoredFile
from assets.models.links import LinkRule
from assets.models.renditions import Rendition

__all__ = ["Asset", "AssetTag", "AssetVersion", "LinkRule", "Rendition", "StoredFile"]
