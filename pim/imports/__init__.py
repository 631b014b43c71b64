"""Bulk imports: read supplier, ERP and PIM files and land them in the catalog.

`open_table` (pim.imports.readers) reads CSV and XLSX tables for every importer.
"""
