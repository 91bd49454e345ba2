"""The cached service catalog (事项目录): format, import, search, quality.

Modules by concern: ``format`` (interchange format + validation), ``importer``
(the one write path), ``pinyin_keys``, ``search`` (in-memory index),
``repository`` (reads), ``quality`` (missing standard fields), ``code_tables``,
``guide`` (an item as text), ``synthetic`` (large catalogs for benchmarks).

Importing this package also hands the importer to ``sync.catalog_sync`` (sync
may not import app) through ``sync.catalog_hook``, so
``sync_catalog(session, base_url)`` feeds the same code path as a file import.
"""

from sync.catalog_hook import use_importer as _use_importer


def _import_from_hall(document, target=None, **options):
    # Imported on first use: the importer pulls in pypinyin's tables (~0.4 s).
    from app.catalog.importer import import_catalog_document

    return import_catalog_document(document, target, **options)


def _tidy_catalog_cache(target=None):
    from app.catalog.importer import tidy_catalog_cache

    return tidy_catalog_cache(target)


_use_importer(_import_from_hall, _tidy_catalog_cache)
