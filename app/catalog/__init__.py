"""The cached service catalog (事项目录): format, import, search, quality.

Modules by concern: ``format`` (interchange format + validation), ``importer``
(the one write path), ``pinyin_keys``, ``search`` (in-memory index),
``repository`` (reads), ``quality`` (missing standard fields), ``code_tables``,
``synthetic`` (large catalogs for benchmarks).
"""
