"""Status bar wording: connectivity and catalog age (no window needed)."""

from __future__ import annotations

import datetime as dt

from ui.status_bar import describe_age, describe_catalog, describe_connectivity

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_catalog_version_and_age_in_chinese(chinese_ui):
    info = {"version": "r12", "imported_at": "2026-11-27T09:00:00", "item_count": 40}
    assert describe_catalog(info, NOW) == "目录版本 r12 · 3 小时前更新"


def test_age_steps(chinese_ui):
    assert describe_age(NOW - dt.timedelta(seconds=20), NOW) == "刚刚更新"
    assert describe_age(NOW - dt.timedelta(minutes=5), NOW) == "5 分钟前更新"
    assert describe_age(dt.datetime(2026, 11, 24, 11, 0), NOW) == "3 天前更新"
    assert describe_age(None, NOW) == "从未更新"


def test_empty_catalog_is_named(chinese_ui):
    assert describe_catalog({"version": "", "item_count": 0}, NOW) == "尚无事项目录"
    assert describe_catalog(None, NOW) == "尚无事项目录"


def test_connectivity_words(chinese_ui):
    assert describe_connectivity(False) == "离线"
    assert describe_connectivity(True) == "在线"


def test_english_when_no_translation_installed(qapp):
    info = {"version": "r3", "imported_at": NOW - dt.timedelta(hours=1), "item_count": 1}
    assert describe_catalog(info, NOW) == "Catalog version r3 · updated 1 hour(s) ago"


def test_english_when_the_station_is_set_to_en(qapp):
    from ui.translation import ENGLISH, install_translator

    assert install_translator(qapp, "zh_CN")
    assert describe_connectivity(False) == "离线"
    assert install_translator(qapp, ENGLISH)  # Settings.language == "en"
    assert describe_connectivity(False) == "Offline"
