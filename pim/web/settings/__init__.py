"""Settings pages for admins: the catalog's structure, users and API tokens."""
