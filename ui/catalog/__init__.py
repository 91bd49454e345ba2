"""Catalog browser: search-as-you-type, item detail, catalog quality."""
