"""``onewindow catalog``: import, sync, search, show, quality."""

from __future__ import annotations

import sys
from dataclasses import asdict

from app.cli import CommandError
from app.cli.common import current_settings, open_catalog, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser("catalog", help="事项目录 / service catalog")
    commands = parser.add_subparsers(dest="catalog_command", metavar="COMMAND", required=True)

    run = commands.add_parser("import", help="从目录文件导入 / import an interchange file")
    run.add_argument("file")
    run.add_argument("--json", action="store_true")
    run.add_argument("--allow-shrink", action="store_true",
                     help="确认全量目录可删除现有事项的五分之一以上 / let a snapshot drop "
                          "more than a fifth of the catalog")
    run.set_defaults(handler=import_command)

    run = commands.add_parser("sync", help="与网上办事大厅同步 / delta sync with the hall")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=sync_command)

    run = commands.add_parser("search", help="查找事项 / search items")
    run.add_argument("query")
    run.add_argument("--limit", type=int, default=20)
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=search_command)

    run = commands.add_parser("show", help="事项办事指南 / one item in full")
    run.add_argument("code", metavar="CODE",
                     help="实施编码（含其全部办理项）或业务办理项编码 / task or handle-item code")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=show_command)

    run = commands.add_parser("quality", help="目录质量检查 / items missing standard fields")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=quality_command)


def _report_payload(report) -> dict:
    payload = dict(vars(report))
    payload["summary"] = report.summary()
    return payload


def _print_then_fold(args, report, store) -> None:
    """Tell the clerk first; then tidy the catalog cache (the import is
    committed and searchable already; this only keeps later starts fast)."""
    if args.json:
        print_json(_report_payload(report))
    else:
        print(report.summary())
    if getattr(report, "tidy_due", False):
        from app.catalog.importer import tidy_catalog_cache

        sys.stdout.flush()
        tidy_catalog_cache(store)


def import_command(args) -> int:
    from app.catalog.format import CatalogImportError
    from app.catalog.importer import import_catalog_file

    with open_catalog() as store:
        try:
            report = import_catalog_file(args.file, store, allow_shrink=args.allow_shrink)
        except CatalogImportError as exc:
            raise CommandError(f"{exc}；现有目录未改动 / catalog unchanged") from exc
        _print_then_fold(args, report, store)
    return 0


def sync_command(args) -> int:
    import app.catalog  # noqa: F401 - registers the importer with sync.catalog_sync
    from app.catalog.format import CatalogImportError
    from sync.catalog_sync import sync_catalog
    from sync.http import HallFailure, HallSession

    settings = current_settings()
    url = settings.effective_hall_url
    if not url:
        raise CommandError("未配置网上办事大厅地址（设置 hall_url 或环境变量 ONEWINDOW_HALL_URL）"
                           " / no hall URL configured")
    session = HallSession(ca_bundle=settings.ca_bundle, timeout=settings.http_timeout_s)
    with open_catalog() as store:
        try:
            report = sync_catalog(session, url, target=store, timeout=settings.http_timeout_s)
        except HallFailure as exc:
            raise CommandError(f"目录同步失败：{exc}；继续使用本机目录 / sync failed") from exc
        except CatalogImportError as exc:
            raise CommandError(f"大厅下发的{exc}；现有目录未改动 / catalog unchanged") from exc
        finally:
            session.close()
        _print_then_fold(args, report, store)
    return 0


def search_command(args) -> int:
    from app.catalog.search import CatalogIndex

    with open_catalog() as store:
        index = CatalogIndex.load(store)
    if not len(index):
        raise CommandError("本机尚无事项目录，请先导入或同步 (onewindow catalog import/sync)")
    hits = index.search(args.query, limit=args.limit)
    if args.json:
        print_json([asdict(hit) for hit in hits])
        return 0
    if not hits:
        raise CommandError(f"未找到与“{args.query}”匹配的事项 / no match")
    shown_item = None
    for hit in hits:
        state = "" if hit.state == "active" else f" [{hit.state}]"
        if hit.handle_item_code is None:
            print(f"{hit.task_code}  {hit.name}{state}  {hit.dept_name}  ({hit.match_kind})")
            continue
        if hit.task_code != shown_item:  # the item once, its 办理项 indented under it
            print(f"{hit.task_code}  {hit.name}  {hit.dept_name}")
        shown_item = hit.task_code
        print(f"    {hit.handle_item_code}  {hit.display_name}{state}  ({hit.match_kind})")
    return 0


def show_command(args) -> int:
    from app.catalog.guide import guide_lines
    from app.catalog.repository import items_by_code

    with open_catalog() as store:
        items = items_by_code(args.code, store)
    if not items:
        raise CommandError(f"目录中没有实施编码或办理项编码为 {args.code} 的事项 / no such item")
    if args.json:
        # One code, one item: the item itself; a task code with 办理项: all of them.
        print_json(items[0] if len(items) == 1 else items)
        return 0
    if len(items) > 1:
        print(f"{items[0].get('name')}：共 {len(items)} 个办理项")
        for item in items:
            print(f"  {item.get('handle_item_code') or '（无办理项编码）'}  "
                  f"{item.get('handle_item_name') or item.get('name')}")
    for item in items:
        if len(items) > 1:
            print()
        print("\n".join(guide_lines(item)))
    return 0


def quality_command(args) -> int:
    from app.catalog.quality import check_catalog_quality

    with open_catalog() as store:
        issues = check_catalog_quality(store)
    if args.json:
        print_json([asdict(issue) for issue in issues])
        return 0
    if not issues:
        print("所有事项的标准字段齐全 / every item has its standard fields")
        return 0
    for issue in issues:
        handle = f"（办理项 {issue.handle_item_code}）" if issue.handle_item_code else ""
        print(f"{issue.task_code}{handle}  {issue.name}  {issue.dept_name}")
        for problem in issue.problems:
            print(f"    - {problem}")
    print(f"共 {len(issues)} 个事项需要完善")
    return 0
