"""The catalog's public services: one import for every face."""

from pim.catalog.attributes import (
    create_attribute,
    delete_attribute,
    dump_attribute,
    get_attribute,
    list_attributes,
    update_attribute,
)
from pim.catalog.categories import (
    create_category,
    delete_category,
    dump_category,
    get_category,
    list_categories,
    update_category,
)
from pim.catalog.changesets import get_changeset, list_changesets, revert_changeset
from pim.catalog.channels import (
    create_channel,
    delete_channel,
    dump_channel,
    ensure_currency,
    ensure_locale,
    get_channel,
    list_channels,
    list_currencies,
    list_locales,
    update_channel,
)
from pim.catalog.families import (
    create_family,
    delete_family,
    dump_family,
    get_family,
    list_families,
    update_family,
)
from pim.catalog.family_variants import (
    create_family_variant,
    delete_family_variant,
    dump_family_variant,
    get_family_variant,
    list_family_variants,
    update_family_variant,
)
from pim.catalog.history import (
    diff_versions,
    get_version,
    new_changeset,
    restore_version,
    state_at,
    versions_of,
)
from pim.catalog.options import (
    delete_option,
    dump_group,
    dump_option,
    get_group,
    get_option,
    group_members,
    list_groups,
    list_options,
    save_group,
    save_option,
)
from pim.catalog.product_models import (
    create_product_model,
    delete_product_model,
    dump_product_model,
    get_product_model,
    update_product_model,
    upsert_product_model,
)
from pim.catalog.products import (
    create_product,
    delete_product,
    dump_product,
    get_product,
    update_product,
    upsert_product,
    values_outside_family,
)
from pim.catalog.trash import list_trash, purge
from pim.catalog.trash import restore as restore_from_trash


