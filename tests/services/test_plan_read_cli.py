"""`flask plan read FILE [--json] [--create]`: the JSON the issue names, and creating as the page does."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Plan
from tests import factories as make
from tests.plan_files import docx_bytes, scanned_pdf_bytes, seed_text


def test_json_of_the_ha_tinh_plan(app, runner, tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(docx_bytes(seed_text("004")))
    result = runner.invoke(args=["plan", "read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"].startswith("Kế hoạch tổ chức tập huấn")
    assert [(c["name"], c["dates"], c["tentative"]) for c in data["classes"]] == [
        ("Lớp tập huấn 1", ["2019-07-10"], True), ("Lớp tập huấn 2", ["2019-07-11", "2019-07-12"], True),
        ("Lớp tập huấn 3", ["2019-07-15", "2019-07-16"], True),
        ("Lớp tập huấn 4", ["2019-07-17", "2019-07-18", "2019-07-19"], True)]
    assert data["classes"][3]["audience"] == "Bí thư Đảng ủy, Chủ tịch UBND xã, phường, thị trấn"
    assert data["suppliers"] == ["Sở Nội vụ", "Hội Liên hiệp Phụ nữ tỉnh"]
    assert data["organiser"] == "Sở Lao động - Thương binh và Xã hội"
    assert {"targets", "report_deadlines", "unrecognised"} <= set(data)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0  # reading creates nothing


def test_json_targets_and_deadlines(app, runner, tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(seed_text("001"), encoding="utf-8")
    data = json.loads(runner.invoke(args=["plan", "read", str(path), "--json"]).output)
    assert [(t["share"], t["year"]) for t in data["targets"]][:2] == [(0.3, None), (0.2, None)]
    assert [(d["day"], d["month"]) for d in data["report_deadlines"]] == [(25, 5), (18, 12)]


def test_create_makes_the_plan_once(app, runner, tmp_path):
    make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    db.session.commit()
    path = tmp_path / "ke-hoach.txt"
    path.write_text(seed_text("004"), encoding="utf-8")
    first = runner.invoke(args=["plan", "read", str(path), "--create", "--organiser", "SLDTBXH"])
    assert first.exit_code == 0, first.output
    assert "Đã tạo kế hoạch: KH-2019-" in first.output and "với 4 lớp" in first.output
    again = runner.invoke(args=["plan", "read", str(path), "--create", "--organiser", "SLDTBXH"])
    assert "Kế hoạch này đã được tạo trước đây" in again.output
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_a_scan_is_refused_with_a_json_error(app, runner, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf_bytes())
    result = runner.invoke(args=["plan", "read", str(path), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"]["code"] == "file.no_text"


def test_an_impossible_date_is_refused(app, runner, tmp_path):
    path = tmp_path / "sai.txt"
    path.write_text("KẾ HOẠCH\nThử\n1. Lớp tập huấn 1\n- Thời gian: ngày 31/2/2019", encoding="utf-8")
    result = runner.invoke(args=["plan", "read", str(path)])
    assert result.exit_code == 1 and "31/2/2019" in result.output
