"""Training outside the system: records by hand (audited, bad input refused naming the field, nothing written),
the list's search and filters, and the .xlsx import (all or nothing, matched into the registry), via the
service and the CLI, with files built to hurt."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.importers.person_list import read_person_list
from bdgtrain.importers.training_template import template_workbook
from bdgtrain.models import AuditEvent, DuplicateFlag, ExternalTraining, ExternalTrainingImport, Person, User
from bdgtrain.rules.external_training import TrainingRecord
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.pool import external_training as et
from bdgtrain.services.pool import external_training_import as eti
from tests.training_files import row, training_xlsx

TODAY = date(2026, 12, 5)

# The register as an admin reads it: everyone (the scoping per user is tests/web/test_issue20_training_records.py).
ADMIN = User(role="admin")


def _person(name="Trần Thị Hoa", born=date(1985, 3, 15), **extra) -> Person:
    person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), sex="F", birth_date=born,
                    birth_year=born.year if born else None, **extra)
    db.session.add(person)
    db.session.flush()
    return person


def _record(**changes) -> TrainingRecord:
    values = dict(kind="llct", title="Trung cấp lý luận chính trị", provider="Trường Chính trị Trần Phú",
                  started_on=date(2021, 3, 1), ended_on=date(2021, 12, 30), evidence="QĐ 12")
    values.update(changes)
    return TrainingRecord(**values)


def _count(model=ExternalTraining) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- by hand -----------------------------------------------------------------------------------------

def test_create_update_delete_are_audited(app):
    hoa = _person()
    training = et.create_training(None, hoa, _record(), TODAY)
    assert (training.kind, training.person_id, training.counts_towards_measures) == ("llct", hoa.id, True)
    et.update_training(None, training, _record(kind="qlnn", counts_towards_measures=False), TODAY)
    assert (training.kind, training.counts_towards_measures) == ("qlnn", False)
    et.update_training(None, training, _record(kind="qlnn", counts_towards_measures=False), TODAY)  # no change
    et.delete_training(None, training)
    assert _count() == 0
    assert _actions() == ["pool.external_training.created", "pool.external_training.updated",
                          "pool.external_training.deleted"]
    updated = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pool.external_training.updated"))
    assert updated.before == {"kind": "llct", "counts_towards_measures": True}
    assert updated.after == {"kind": "qlnn", "counts_towards_measures": False}


@pytest.mark.parametrize("changes, field", [
    (dict(ended_on=date(2021, 2, 1)), "ended_on"),   # a training end before its start
    (dict(kind="du_lich"), "kind"),
    (dict(title=" "), "title"),
    (dict(ended_on=date(2027, 1, 1)), "ended_on"),   # after today
    (dict(started_on=date(9999, 12, 31), ended_on=None), "started_on"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(app, changes, field):
    hoa = _person()
    with pytest.raises(DomainError) as refused:
        et.create_training(None, hoa, _record(**changes), TODAY)
    assert refused.value.field == field
    assert _count() == 0 and _actions() == []


def test_end_before_start_says_so_in_vietnamese(app):
    with pytest.raises(DomainError) as refused:
        et.create_training(None, _person(), _record(started_on=date(2021, 5, 1), ended_on=date(2021, 4, 1)), TODAY)
    assert refused.value.message == "Ngày kết thúc 01/04/2021 trước ngày bắt đầu 01/05/2021."


def test_an_update_refused_changes_nothing(app):
    training = et.create_training(None, _person(), _record(), TODAY)
    with pytest.raises(DomainError):
        et.update_training(None, training, _record(ended_on=date(2020, 1, 1)), TODAY)
    db.session.expire_all()
    assert db.session.get(ExternalTraining, training.id).ended_on == date(2021, 12, 30)


def test_the_list_searches_filters_by_kind_and_year_in_name_order(app):
    hoa, an = _person("Trần Thị Hoa"), _person("Nguyễn Thị An", date(1990, 1, 2))
    et.create_training(None, hoa, _record(), TODAY)
    et.create_training(None, hoa, _record(kind="thac_si", title="Thạc sĩ Quản lý công", started_on=date(2018, 9, 1),
                                          ended_on=date(2020, 6, 30)), TODAY)
    et.create_training(None, an, _record(kind="tap_huan", title="Tập huấn bình đẳng giới", started_on=None,
                                        ended_on=date(2021, 7, 12)), TODAY)

    def titles(**filters):
        return [(t.person.full_name, t.title) for t in et.export_rows(et.TrainingFilters(**filters), ADMIN)]

    assert [name for name, _ in titles()] == ["Nguyễn Thị An", "Trần Thị Hoa", "Trần Thị Hoa"]
    assert titles(q="tran thi") == [("Trần Thị Hoa", "Trung cấp lý luận chính trị"),
                                    ("Trần Thị Hoa", "Thạc sĩ Quản lý công")]
    assert titles(q="bình đẳng") == [("Nguyễn Thị An", "Tập huấn bình đẳng giới")]
    assert titles(kind="thac_si") == [("Trần Thị Hoa", "Thạc sĩ Quản lý công")]
    assert [t for _, t in titles(year=2021)] == ["Tập huấn bình đẳng giới", "Trung cấp lý luận chính trị"]
    assert titles(q="100%_") == []


def test_find_people_skips_the_erased_and_needs_two_letters(app):
    from bdgtrain.models.base import utcnow

    _person("Trần Thị Hoa")
    _person("Trần Thị Hoài", erased_at=utcnow())
    assert [p.full_name for p in et.find_people("tran thi ho", ADMIN)] == ["Trần Thị Hoa"]
    with pytest.raises(DomainError) as refused:
        et.find_people("a", ADMIN)
    assert refused.value.field == "q"


# --- import ------------------------------------------------------------------------------------------

def _import(data: bytes, name="dao-tao.xlsx"):
    return eti.import_training_file(None, name, data, TODAY)


def test_import_matches_known_people_creates_new_ones_and_flags_possible_duplicates(app):
    hoa = _person("Trần Thị Hoa", date(1985, 3, 15), id_number="042185000123")
    lan = _person("Lê Thị Lan", date(1980, 5, 2))
    data = training_xlsx([
        row(id_number="042185000123"),                                             # Hoa, by her ID number
        row(name="Nguyễn Thị Mai", born=date(1992, 1, 1), kind="Tập huấn", title="Tập huấn kỹ năng lãnh đạo",
            start=None, end=date(2023, 5, 20), counts="Không"),                   # new
        row(name="Nguyễn Thị Mai", born=date(1992, 1, 1), kind="Thạc sĩ", title="Thạc sĩ Luật",
            start=date(2019, 9, 1), end=date(2021, 9, 1)),                        # the same new person again
        row(name="Lê Thị Lan", born=1980, kind="QLNN", title="Bồi dưỡng QLNN ngạch chuyên viên"),  # possible
    ])
    report, written = _import(data)
    assert written and report["rejected"] == []
    assert (report["rows"], report["records"], report["people_added"], report["people_matched"]) == (4, 4, 2, 2)
    assert report["flagged"] == [{"row": 7, "name": "Lê Thị Lan"}]
    mai = db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Mai"))
    kinds = dict(db.session.execute(select(ExternalTraining.title, ExternalTraining.kind)).all())
    assert kinds == {"Trung cấp lý luận chính trị": "llct", "Tập huấn kỹ năng lãnh đạo": "tap_huan",
                     "Thạc sĩ Luật": "thac_si", "Bồi dưỡng QLNN ngạch chuyên viên": "qlnn"}
    assert {t.title for t in et.trainings_of(mai)} == {"Tập huấn kỹ năng lãnh đạo", "Thạc sĩ Luật"}
    assert [t.title for t in et.trainings_of(hoa)] == ["Trung cấp lý luận chính trị"]
    not_counting = db.session.scalar(select(ExternalTraining).where(ExternalTraining.kind == "tap_huan"))
    assert (not_counting.counts_towards_measures, not_counting.started_on, not_counting.source_row) == (False, None, 5)
    flag = db.session.scalar(select(DuplicateFlag))
    assert flag.person_id == lan.id and flag.other_person_id != lan.id
    applied = db.session.scalar(select(ExternalTrainingImport))
    assert (applied.status, applied.content, applied.summary["records"]) == ("applied", None, 4)
    assert "pool.external_training.imported" in _actions()


def test_importing_the_same_file_again_writes_nothing_new(app):
    data = training_xlsx([row(), row(name="Nguyễn Thị Mai", born=date(1992, 1, 1), title="Tập huấn A",
                                     kind="Tập huấn")])
    _import(data)
    report, written = _import(data)
    assert (report["records"], report["already_held"], report["people_added"]) == (0, 2, 0)
    assert _count() == 2 and _count(Person) == 2


def test_a_row_repeated_in_the_file_is_written_once(app):
    report, _ = _import(training_xlsx([row(), row()]))
    assert (report["records"], report["already_held"]) == (1, 1)
    assert _count() == 1


def test_the_template_reads_back_and_its_example_row_is_skipped(app):
    read = read_person_list(template_workbook(), "mau.xlsx", today=TODAY)
    fields = {c.field for c in read.columns}
    assert {"training_kind", "training_title", "training_provider", "training_started_on", "training_ended_on",
            "training_counts", "training_evidence"} <= fields
    plan = eti.plan_training_import(read, TODAY)
    assert plan.rows == [] and plan.problems == []
    assert "Bỏ qua dòng 5: dòng ví dụ của tệp mẫu." in plan.notes
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    notes = " ".join(str(c.value) for r in book["Hướng dẫn"].iter_rows() for c in r if c.value)
    for label in ("Tập huấn", "Bồi dưỡng", "Lý luận chính trị", "Quản lý nhà nước", "Thạc sĩ", "Tiến sĩ", "Khác"):
        assert label in notes


def test_the_template_filled_in_imports(app):
    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book["Danh sách"]
    for c, value in enumerate([1, "Phan Thị Thu", date(1988, 8, 8), "Nữ", None, "Sở Nội vụ", "Bồi dưỡng",
                               "Bồi dưỡng kiến thức quốc phòng", None, date(2022, 4, 4), date(2022, 4, 30), None],
                              start=1):
        sheet.cell(6, c, value)
    out = io.BytesIO()
    book.save(out)
    report, written = _import(out.getvalue())
    assert written and report["records"] == 1
    training = db.session.scalar(select(ExternalTraining))
    assert (training.kind, training.ended_on, training.counts_towards_measures) == ("boi_duong", date(2022, 4, 30),
                                                                                     True)


def test_export_has_the_template_columns_and_imports_again_unchanged(app):
    et.create_training(None, _person(), _record(title="=HYPERLINK(\"http://x\")"), TODAY)
    data = b"".join(et.export_file(et.export_query(et.TrainingFilters(), ADMIN)))
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:6] == ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị công tác",
                                                "Loại hình"]
    assert sheet["G2"].value == "'=HYPERLINK(\"http://x\")"  # defused, never a formula
    report, _ = _import(data, "xuat.xlsx")
    assert report["rejected"] == [] and report["people_added"] == 0


# --- files built to hurt -----------------------------------------------------------------------------

def _problems(data: bytes) -> list[tuple[int, str, str]]:
    report, written = _import(data)
    assert not written and report["written"] is False
    assert _count() == 0 and _count(ExternalTrainingImport) == 0
    return [(p["row"], p["column"], p["message"]) for p in report["rejected"]]


def test_a_hostile_file_is_refused_whole_naming_each_row_and_column(app):
    _person("Người Đã Có")
    people_before = _count(Person)
    data = training_xlsx([
        row(name="Mai A"),                                                        # row 4: fine
        row(name="Mai B", start=date(2022, 1, 1), end=date(2021, 1, 1)),          # 5: end before start
        row(name="Mai C", kind="Du lịch"),                                        # 6: unknown kind
        row(name="Mai D", end="31/12/9999"),                                      # 7: huge date, as text
        row(name="Mai E", end=date(9999, 12, 31)),                                # 8: huge date, as a date cell
        row(name="Mai F", title="=1+1"),                                          # 9: a formula, no cached value
        row(name="Mai G", kind=None),                                             # 10: no kind
        row(name="Mai H", counts="Có lẽ"),                                        # 11: neither yes nor no
        row(name="Mai I", end="31/02/2021"),                                      # 12: a day that does not exist
        row(name="Mai K", start=date(2030, 1, 1), end=None),                      # 13: starts in the future
    ])
    problems = _problems(data)
    assert [(r, c) for r, c, _ in problems] == [
        (5, "Đến ngày"), (6, "Loại hình"), (7, "Đến ngày"), (8, "Đến ngày"), (9, "Nội dung/Tên khóa"),
        (10, "Loại hình"), (11, "Tính vào chỉ tiêu"), (12, "Đến ngày"), (13, "Từ ngày")]
    messages = dict(((r, c), m) for r, c, m in problems)
    assert messages[5, "Đến ngày"] == "Ngày kết thúc 01/01/2021 trước ngày bắt đầu 01/01/2022."
    assert "không có trong danh mục" in messages[6, "Loại hình"]
    assert messages[8, "Đến ngày"] == "Năm 9999 nằm ngoài khoảng 1900–2100."
    assert "ở tương lai" in messages[13, "Từ ngày"]
    assert _count(Person) == people_before  # no new person either


def test_an_empty_file_and_a_file_without_a_header_are_refused(app):
    with pytest.raises(DomainError) as refused:
        _import(training_xlsx([], header=[], title=False))
    assert refused.value.code == "file.empty" and refused.value.field == "file"
    with pytest.raises(DomainError) as refused:
        _import(b"")
    assert refused.value.field == "file"
    with pytest.raises(DomainError) as refused:
        _import(training_xlsx([]))
    assert refused.value.code == "file.empty"


def test_a_participant_list_is_not_taken_for_a_training_file(app):
    from tests import list_files

    problems = _problems(list_files.snv_xlsx([list_files.HOA]))
    assert problems[0][1] == "Nội dung/Tên khóa" and "không có cột" in problems[0][2]


def test_a_preview_kept_then_confirmed_or_discarded(app):
    data = training_xlsx([row()])
    kept = eti.store_upload(None, "a.xlsx", data)
    assert eti.preview_import(kept, TODAY).rows[0].record.kind == "llct"
    assert _count() == 0
    eti.confirm_import(None, kept, TODAY)
    assert _count() == 1 and eti.preview_import(kept, TODAY) is None
    with pytest.raises(DomainError):
        eti.confirm_import(None, kept, TODAY)
    other = eti.store_upload(None, "b.xlsx", training_xlsx([row(name="Mai B")]))
    eti.discard_import(None, other)
    assert (other.status, other.content) == ("discarded", None) and _count() == 1


# --- the CLI -----------------------------------------------------------------------------------------

def _json(result):
    return json.loads(result.output.strip().splitlines()[-1])


def test_cli_imports_dry_runs_and_exits_1_on_a_refused_row(app, runner, tmp_path):
    good = tmp_path / "tot.xlsx"
    good.write_bytes(training_xlsx([row(end=date(2021, 12, 30))]))
    dry = runner.invoke(args=["pool", "training-import", "--dry-run", "--json", str(good)])
    assert dry.exit_code == 0, dry.output
    assert _json(dry)["written"] is False and _count() == 0
    done = runner.invoke(args=["pool", "training-import", str(good)])
    assert done.exit_code == 0 and "Đã ghi." in done.output
    assert _count() == 1
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(training_xlsx([row(name="Mai B", start=date(2022, 1, 1), end=date(2021, 1, 1))]))
    refused = runner.invoke(args=["pool", "training-import", str(bad)])
    assert refused.exit_code == 1
    assert "dòng 4, cột Đến ngày: Ngày kết thúc 01/01/2021 trước ngày bắt đầu 01/01/2022." in refused.output
    assert "Chưa ghi gì." in refused.output and _count() == 1
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(training_xlsx([], header=[], title=False))
    nothing = runner.invoke(args=["pool", "training-import", "--json", str(empty)])
    assert nothing.exit_code == 2 and _json(nothing)["error"]["code"] == "file.empty"


def test_cli_writes_the_template(app, runner, tmp_path):
    target = tmp_path / "mau.xlsx"
    result = runner.invoke(args=["pool", "training-template", str(target)])
    assert result.exit_code == 0 and load_workbook(target).sheetnames == ["Danh sách", "Hướng dẫn"]


def test_imported_training_counts_in_the_trained_share_when_it_counts_and_has_ended(app, runner, tmp_path):
    """The reports read external training themselves: a woman of the pool trained outside the system counts,
    from her training's end day, only when the record says it counts."""
    from bdgtrain.services.demo import demo
    from bdgtrain.services.demo.pool import sample_pool

    demo.load_demo()
    db.session.commit()
    (tmp_path / "pool.xlsx").write_bytes(sample_pool())
    assert runner.invoke(args=["pool", "import", "--cycle", "2016-2021", str(tmp_path / "pool.xlsx")]).exit_code == 0
    women = [p for p in read_person_list(sample_pool(), "pool.xlsx", today=TODAY).rows if p.sex == "F"]

    def trained(as_of: str) -> int:
        result = runner.invoke(args=["report", "trained-share", "--as-of", as_of, "--json"])
        return _json(result)["total"]["trained"]

    assert trained("2019-12-31") == 0
    first, second = women[0], women[1]
    (tmp_path / "dt.xlsx").write_bytes(training_xlsx([
        row(name=first.full_name, born=first.birth_date or first.birth_year, unit=first.unit_name,
            start=date(2019, 3, 1), end=date(2019, 6, 30)),
        row(name=second.full_name, born=second.birth_date or second.birth_year, unit=second.unit_name,
            start=date(2019, 3, 1), end=date(2019, 6, 30), counts="Không"),
    ]))
    result = runner.invoke(args=["pool", "training-import", "--json", str(tmp_path / "dt.xlsx")])
    assert result.exit_code == 0, result.output
    assert _json(result)["people_added"] == 0  # both matched into the registry
    assert (trained("2019-06-29"), trained("2019-06-30"), trained("2019-12-31")) == (0, 1, 1)
