"""The feedback commands: sample answers on the demo (after Lớp 3's list), and the summary in JSON."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import FeedbackReceipt
from bdgtrain.services.demo import demo
from bdgtrain.services.demo.lists import snv_list


def test_sample_answers_fill_the_demo_and_the_summary_reports_them(app, runner, tmp_path, monkeypatch):
    demo.load_demo()
    db.session.commit()
    (tmp_path / "snv.xlsx").write_bytes(snv_list())
    assert runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV",
                               str(tmp_path / "snv.xlsx")]).exit_code == 0
    refused = runner.invoke(args=["feedback", "sample", "HT-2019"])
    assert refused.exit_code != 0 and "--yes" in refused.output
    done = runner.invoke(args=["feedback", "sample", "HT-2019", "--yes"])
    assert done.exit_code == 0, done.output
    answered = db.session.scalar(select(func.count()).select_from(FeedbackReceipt))
    assert answered == round(12 * 0.8) and f"Đã ghi {answered} phiếu mẫu" in done.output
    again = runner.invoke(args=["feedback", "sample", "HT-2019", "--yes"])
    assert "Đã ghi 0 phiếu mẫu" in again.output  # nobody answers twice
    report = json.loads(runner.invoke(args=["feedback", "summary", "HT-2019", "--json"]).output)
    lop3 = next(c for c in report["classes"] if c["class"] == "LOP-3")
    assert (lop3["responses"], lop3["enrolled"]) == (answered, 12) and report["responses"] == answered
    assert 1 <= lop3["averages"]["q1"] <= 5 and lop3["withheld"] is False
    monkeypatch.setitem(app.config, "FEEDBACK_MIN_ANONYMOUS_ANSWERS", answered + 1)
    hidden = json.loads(runner.invoke(args=["feedback", "summary", "HT-2019", "--json"]).output)
    lop3 = next(c for c in hidden["classes"] if c["class"] == "LOP-3")
    assert lop3["withheld"] is True and lop3["averages"]["q1"] is None and lop3["responses"] == answered
    assert runner.invoke(args=["feedback", "summary", "KHONG-CO"]).exit_code != 0
