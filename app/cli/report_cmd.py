"""``onewindow report daily|weekly|monthly [--by …]``: the supervisor's summaries,
optionally broken down by department, item, station or clerk."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from app.cli import CommandError
from app.cli.common import current_settings, open_store, print_json, signed_in_clerk
from app.numbering import station_key
from app.reports.breakdown import DIMENSION_NAMES, DIMENSIONS
from app.reports.export import PDF, RENDERERS, XLSX, audit_export, supervisor_summary_report
from app.reports.period_reports import ReportRefused, queue_period_report
from app.reports.presentation import (
    ITEM_HEADER,
    PERIOD_TITLES,
    PREREVIEW_HEADER,
    breakdown_sections,
    formatted_rows,
    item_rows,
    period_text,
    prereview_rows,
    title,
)
from app.reports.summary import PERIODS
from app.staff import PermissionRefused
from local_store.instants import station_today

CATALOG = "catalog"
QUALITY = "quality"


def _station_day(args, settings) -> dt.date:
    try:
        # "Today" is the station's day, whatever the computer's zone is.
        return dt.date.fromisoformat(args.date) if args.date else station_today(settings.zone)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD: {args.date}") from exc


def _reporting_quality(args) -> int:
    from app.reports.reporting_quality import INDICATOR_NAMES, supervisor_reporting_quality

    settings = current_settings()
    day = _station_day(args, settings)
    station = None if args.all_stations else station_key(
        settings.region_code, settings.station_code)
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            departments = supervisor_reporting_quality(identity, args.span, day,
                                                       station=station, zone=settings.zone)
        except PermissionRefused as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json({"span": args.span, "date": day.isoformat(),
                    "departments": [line.as_dict() for line in departments]})
        return 0

    def percent(rate):
        return "—" if rate is None else f"{rate:.1%}"

    print("上报质量（报送率 / 及时率 / 完整率）")
    for line in departments:
        print(f"  {line.dept_name}  办件 {line.cases}  {percent(line.report_rate)} / "
              f"{percent(line.timeliness_rate)} / {percent(line.completeness_rate)}")
        for miss in line.misses:
            print(f"    {miss.case_number}  {INDICATOR_NAMES[miss.indicator]}：{miss.why}")
    return 0


def _catalog_readiness(args) -> int:
    from app.reports.catalog_readiness import supervisor_catalog_readiness

    settings = current_settings()
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            departments = supervisor_catalog_readiness(identity, store)
        except PermissionRefused as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print_json({"departments": [line.as_dict() for line in departments]})
        return 0
    print("事项目录完备情况（网上办理率：三星及以上 / 四星及以上）")
    for line in departments:
        three, four = line.targets
        rates = ("—" if line.items == 0 else
                 f"{line.three_star_rate:.1%}（目标 {three:.0%}） / "
                 f"{line.four_star_rate:.1%}（目标 {four:.0%}）")
        mark = "达标" if line.meets_targets else "未达标"
        print(f"  {line.dept_name}  事项 {line.items}  {rates}  {mark}  "
              f"缺标准要素 {len(line.items_missing_fields)} 项")
    return 0


def _report(args) -> int:
    if args.period == CATALOG:
        return _catalog_readiness(args)
    if args.period == QUALITY:
        return _reporting_quality(args)
    settings = current_settings()
    day = _station_day(args, settings)
    station = None if args.all_stations else station_key(
        settings.region_code, settings.station_code)
    with open_store() as store:
        identity = signed_in_clerk(store, settings)
        try:
            report = supervisor_summary_report(identity, args.period, day, by=args.by,
                                               station=station, zone=settings.zone)
            if args.send:
                sent = queue_period_report(store, settings, identity, args.period, day)
        except (PermissionRefused, ReportRefused) as exc:
            raise CommandError(str(exc)) from exc
        targets = {kind: target for kind, target in ((XLSX, args.xlsx), (PDF, args.pdf))
                   if target}
        for kind in targets:
            audit_export(store, identity, report, kind, day,
                         all_stations=bool(args.all_stations))
    for kind, target in targets.items():
        Path(target).write_bytes(RENDERERS[kind](report, settings))
    if args.json:
        print_json(report.as_json())
    if args.send:
        print(f"已加入报送办事大厅的队列：{sent.period_start.isoformat()} 至 "
              f"{sent.period_end.isoformat()} {PERIOD_TITLES[args.period]}", file=sys.stderr)
    summary, items, prereview, groups = (report.summary, report.items, report.prereview,
                                         report.groups)
    if not (args.json or args.xlsx or args.pdf):
        print(title(summary, settings.centre_name))
        print(f"统计期间：{period_text(summary)}")
        for label, value in formatted_rows(summary):
            print(f"  {label:<14}{value:>10}")
        if items:
            print("按事项（办理项分列）：" + "  ".join(ITEM_HEADER[3:]))
            for row in item_rows(items):
                handle = f"／{row[2]}" if row[2] != "—" else ""
                print(f"  {row[0]}（{row[1]}{handle}）  " + "  ".join(row[3:]))
        if prereview:
            print("网上预审（按部门）：" + "  ".join(PREREVIEW_HEADER[1:]))
            for row in prereview_rows(prereview):
                print(f"  {row[0]}  " + "  ".join(row[1:]))
        for heading, rows in breakdown_sections(groups or []):
            print(f"{DIMENSION_NAMES[args.by]}：{heading}")
            for label, value in rows:
                print(f"    {label:<14}{value:>10}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="办件统计 (daily/weekly/monthly summaries)")
    parser.add_argument("period", choices=(*PERIODS, CATALOG, QUALITY),
                        help="daily/weekly/monthly 办件统计；catalog 目录完备情况；"
                             "quality 上报质量（报送率、及时率、完整率）")
    parser.add_argument("--span", choices=PERIODS, default="monthly",
                        help="quality 的统计期间（默认 monthly）")
    parser.add_argument("--date", help="期间内任一天 YYYY-MM-DD (默认今天)")
    parser.add_argument("--all-stations", action="store_true", help="统计本库所有工位")
    parser.add_argument("--by", choices=DIMENSIONS,
                        help="分组：department 部门 / item 事项 / station 工位 / clerk 窗口人员")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--xlsx", metavar="FILE", help="导出 Excel")
    parser.add_argument("--pdf", metavar="FILE", help="导出 PDF（含趋势图和部门分布图）")
    parser.add_argument("--send", action="store_true",
                        help="将周报/月报报送网上办事大厅（经同步队列）")
    parser.set_defaults(handler=_report)
