"""Import every module that defines tables, so the metadata knows them all."""

import assets.models  # noqa: F401
import exporters.models  # noqa: F401
from pim.auth.api_models import ApiClient  # noqa: F401
from pim.auth.models import User
from pim.catalog.models import *  # noqa: F403
from pim.imports.models import ImportRecord  # noqa: F401
from pim.jobs.models import Job  # noqa: F401

__all__ = ["User"]
