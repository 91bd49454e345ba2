"""The results table model, without a window: named columns, plain Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.certificates.verification import verify_certificate
from tests.support.certificates import TEST_PUBLIC_KEY, make_certificate
from ui.cert_table_model import (
    CERTIFICATE_ROLE,
    COLUMN_COUNT,
    COLUMN_IDENTIFIER,
    COLUMN_ISSUE_DATE,
    COLUMN_ISSUER,
    COLUMN_NAME,
    COLUMN_NUMBER,
    COLUMN_STATUS,
    COLUMN_VALIDITY,
    COLUMN_VERIFIED,
    CertificateTableModel,
)

HOLDER = "350205199003071239"
DISPLAY = Qt.ItemDataRole.DisplayRole


def cert(holder: str = HOLDER, **kwargs):
    return verify_certificate(make_certificate(holder, **kwargs), TEST_PUBLIC_KEY, HOLDER,
                              "person", today=dt.date(2026, 11, 27))


@pytest.fixture
def model(chinese_ui):
    model = CertificateTableModel()
    model.set_certificates([
        cert(valid_until=None),
        cert(status="revoked"),
        cert(valid_until="2020-01-01"),
        cert(holder="35020519880715107X"),
        verify_certificate({**make_certificate(HOLDER), "number": "FORGED"}, TEST_PUBLIC_KEY,
                           HOLDER, "person"),
    ])
    return model


def text(model, row, column):
    return model.data(model.index(row, column), DISPLAY)


def test_named_columns_in_chinese(model):
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY)
               for c in range(COLUMN_COUNT)]
    assert headers == ["证照名称", "状态", "验证", "有效期", "证照编号", "发证机关", "发证日期",
                       "证照标识"]


def test_rows_say_plainly_what_each_certificate_is(model):
    assert model.rowCount() == 5 and model.columnCount() == COLUMN_COUNT
    first = model.data(model.index(0, 0), CERTIFICATE_ROLE)
    assert text(model, 0, COLUMN_NAME) == "居民身份证"
    assert text(model, 0, COLUMN_NUMBER) == first.number
    assert text(model, 0, COLUMN_IDENTIFIER) == first.identifier
    assert text(model, 0, COLUMN_ISSUER) == first.issuer
    assert text(model, 0, COLUMN_ISSUE_DATE) == "2020-01-01"
    assert text(model, 0, COLUMN_VALIDITY) == "2020-01-01 至 长期"
    statuses = [text(model, row, COLUMN_STATUS) for row in range(5)]
    assert statuses == ["有效", "已注销", "已过期", "有效 · 非本人证照", "有效"]
    verified = [text(model, row, COLUMN_VERIFIED) for row in range(5)]
    assert verified == ["✓ 已验证", "✓ 已验证", "✓ 已验证", "✓ 已验证", "✗ 未通过验证"]


def test_tooltip_gives_the_reasons(model):
    tip = model.data(model.index(4, COLUMN_VERIFIED), Qt.ItemDataRole.ToolTipRole)
    assert "签名验证失败" in tip
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "可代替纸质材料"
    assert "持有人不是本申请人" in model.data(model.index(3, 0), Qt.ItemDataRole.ToolTipRole)


def test_only_unusable_rows_are_coloured(model):
    fg = Qt.ItemDataRole.ForegroundRole
    assert model.data(model.index(0, COLUMN_STATUS), fg) is None
    assert model.data(model.index(1, COLUMN_STATUS), fg) is not None
    assert model.data(model.index(1, COLUMN_NAME), fg) is None
    assert model.data(model.index(1, COLUMN_VERIFIED), fg) is None  # genuine, just revoked
    assert model.data(model.index(4, COLUMN_VERIFIED), fg) is not None  # tampered
    assert model.data(model.index(4, COLUMN_STATUS), fg) is None
