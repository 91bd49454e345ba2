"""How a summary reads on paper and in Excel: Chinese labels, in ledger order."""

from __future__ import annotations

from app.reports.summary import (
    CUSTOM,
    DAILY,
    ITEM_COLUMNS,
    LEVELS,
    MONTHLY,
    WEEKLY,
    ItemFigures,
    Summary,
)

PREREVIEW_HEADER = ["部门", "预审", "通过", "退回补正", "不予受理", "两个工作日内", "及时率",
                    "当前超期"]

PERIOD_TITLES = {DAILY: "日报", WEEKLY: "周报", MONTHLY: "月报", CUSTOM: "表"}

ROWS = [
    ("received", "收件数"),
    ("accepted", "受理数（含即办）"),
    ("accepted_with_deficiencies", "其中容缺受理"),
    ("completion_notices", "一次性告知（补正）"),
    ("rejected", "不予受理"),
    ("concluded", "当场办结"),
    ("window_cases", "窗口收件"),
    ("online_cases", "网上申请"),
    ("other_channel_cases", "其他渠道"),
    ("overdue", "超期未办结"),
    ("reported", "已上报办事大厅"),
    ("reported_on_time", "12小时内及时上报"),
    ("unreported", "尚未上报"),
    ("report_rate", "上报率"),
    ("timeliness_rate", "上报及时率"),
    ("evaluations", "好差评：评价数"),
    *((f"level:{level}", f"　{level}") for level in LEVELS),
    ("satisfaction_rate", "好评率（非常满意、满意、基本满意）"),
    ("bad_evaluations", "差评数"),
    ("bad_open", "　差评整改中"),
    ("bad_closed", "　差评已整改"),
    ("bad_overdue", "　差评整改超期"),
    ("fees_due", "开具缴款通知（笔）"),
    ("fees_due_fen", "　应缴金额（元）"),
    ("fees_paid", "已缴费（笔）"),
    ("fees_paid_fen", "　已缴金额（元）"),
]

# 好差评 rows of a period in which no rating was collected: not known, not zero.
NOT_COLLECTED = "未采集"
EVALUATION_KEYS = frozenset({"satisfaction_rate", "bad_evaluations", "bad_open", "bad_closed",
                             "bad_overdue"})


def title(summary: Summary, centre: str) -> str:
    return f"{centre} 办件统计{PERIOD_TITLES[summary.period]}"


def period_text(summary: Summary) -> str:
    if summary.start == summary.end:
        return f"{summary.start:%Y年%m月%d日}"
    return f"{summary.start:%Y年%m月%d日} 至 {summary.end:%Y年%m月%d日}"


def cell_values(summary: Summary) -> list:
    """One value per ROWS entry for a spreadsheet: numbers (rates as fractions), and
    the text 未采集 for a 好差评 indicator of a period with no rating collected."""
    values = summary.as_dict()
    cells = []
    for key, _ in ROWS:
        collected = bool(summary.evaluations)
        if key.startswith("level:"):
            cells.append(values["rating_counts"][key.removeprefix("level:")] if collected
                         else NOT_COLLECTED)
        elif key in EVALUATION_KEYS and not collected:
            cells.append(NOT_COLLECTED)
        elif key.endswith("_fen"):
            cells.append(values[key] / 100)  # yuan in the sheet
        else:
            cells.append(values[key])
    return cells


def formatted_rows(summary: Summary) -> list[tuple[str, str]]:
    values = summary.as_dict()
    rows = []
    for key, label in ROWS:
        if key.startswith("level:"):
            level = key.removeprefix("level:")
            rows.append((label, str(values["rating_counts"][level]) if summary.evaluations
                         else NOT_COLLECTED))
            continue
        value = values[key]
        if key in EVALUATION_KEYS and not summary.evaluations:
            text = NOT_COLLECTED
        elif key == "evaluations" and not value:
            text = f"0（{NOT_COLLECTED}）"
        elif key.endswith("_rate"):
            text = "—（无收件）" if value is None else f"{value:.1%}"
        elif key.endswith("_fen"):
            text = f"{value // 100:,}.{value % 100:02d}"
        else:
            text = str(value)
        rows.append((label, text))
    return rows


ITEM_HEADER = ["事项（办理项）", "实施编码", "办理项编码", "收件", "受理", "一次性告知", "不予受理",
               "当场办结"]


def item_rows(figures: list[ItemFigures]) -> list[list[str]]:
    """The per-item table: a 业务办理项 on its own line, named as the clerk knows it."""
    return [[f.item_name, f.task_code, f.handle_item_code or "—",
             *(str(getattr(f, column)) for column in ITEM_COLUMNS)] for f in figures]


def prereview_rows(lines) -> list[list[str]]:
    """网上预审 per department (``app.reports.prereview.DeptPrereview``)."""
    return [[line.dept_name, str(line.pre_reviewed), str(line.passed), str(line.returned),
             str(line.rejected), str(line.within_two_working_days),
             "—" if line.on_time_rate is None else f"{line.on_time_rate:.1%}",
             str(line.overdue_now)] for line in lines]


def breakdown_header(dimension: str) -> list[str]:
    """The breakdown sheet's header: the group, its code, then every summary figure."""
    from app.reports.breakdown import DIMENSION_NAMES

    return [DIMENSION_NAMES[dimension], "编码", *(label.strip("　") for _, label in ROWS)]


def breakdown_cells(lines) -> list[list]:
    """One spreadsheet row per group (``app.reports.breakdown.GroupLine``), as the
    station sheet's row: numbers, rates as fractions, 未采集 where nothing was rated."""
    return [[line.label, line.key_text, *cell_values(line.summary)] for line in lines]


def breakdown_sections(lines) -> list[tuple[str, list[tuple[str, str]]]]:
    """For paper: each group's heading and its two-column table, as the station's."""
    return [(f"{line.label}（{line.key_text}）", formatted_rows(line.summary))
            for line in lines]
