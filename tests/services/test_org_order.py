"""Units in every list and choice in Vietnamese order, the ended ones after those in being (issue 21)."""
from __future__ import annotations

from datetime import date

from bdgtrain.services.planning import orgs
from tests import factories as make


def test_units_are_listed_in_vietnamese_order_with_ended_units_last(app):
    province = make.org("HT", "Tỉnh Hà Tĩnh", kind="province")
    for code, name in [("VQ", "Huyện Vũ Quang"), ("DT", "Huyện Đức Thọ"), ("CL", "Huyện Can Lộc"),
                       ("CX", "Huyện Cẩm Xuyên")]:
        make.org(code, name, kind="district", parent=province)
    make.org("HK", "Huyện Hồng Khê", kind="district", parent=province, valid_to=date(2019, 12, 31))
    make.org("SYT", "Sở Y tế", parent=province)

    names = [o.name for o, _depth in orgs.org_tree_rows()]
    assert names == ["Tỉnh Hà Tĩnh", "Huyện Can Lộc", "Huyện Cẩm Xuyên", "Huyện Đức Thọ", "Huyện Vũ Quang",
                     "Sở Y tế", "Huyện Hồng Khê"]
    labels = [label.strip("\u00a0") for _id, label in orgs.org_choices()]
    assert labels[-1] == "Huyện Hồng Khê (đã giải thể)"
    assert "Huyện Hồng Khê" not in " ".join(label for _id, label in orgs.org_choices(include_ended=False))
