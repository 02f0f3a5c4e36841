"""Units' yearly headcounts (staff by sex and ethnic group, a woman in the key leadership) and the measures
read from them, per unit of the year's tree, beside the plan's targets.

Entered per unit and year (one row each; saving again changes it, audited), or imported from a
spreadsheet, all or nothing (import_headcounts).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...messages import Message
from ...models import Organisation, UnitHeadcount, User
from ...rules import targets as target_rules
from ...rules.measures import Headcount, HeadcountFigure, headcount_figures
from ...rules.names import fold
from ...rules.trained_share import Unit, snapshot
from ..core import audit

FIELDS = ("staff_total", "staff_women", "staff_dtts", "women_dtts", "women_sent_to_training",
          "key_leadership_has_woman")
MEASURE_PROPERTY = {"women_leader_units": "women_leader_units", "women_staff_trained": "women_staff_trained"}


@dataclass
class HeadcountInput:
    staff_total: int | None
    staff_women: int | None
    staff_dtts: int | None = 0
    women_dtts: int | None = 0
    women_sent_to_training: int | None = 0
    key_leadership_has_woman: bool | None = None


def check_headcount(data: HeadcountInput) -> None:
    if data.staff_total is None or data.staff_women is None:
        raise DomainError("headcount.missing", _l("Hãy nhập tổng số cán bộ và số cán bộ nữ."), field="staff_total")
    values = {name: getattr(data, name) or 0 for name in FIELDS[:5]}
    if any(v < 0 for v in values.values()):
        raise DomainError("headcount.negative", _l("Các con số không được âm."), field="staff_total")
    if values["staff_women"] > values["staff_total"]:
        raise DomainError("headcount.women_over_total", _l("Số cán bộ nữ không thể lớn hơn tổng số."),
                          field="staff_women")
    if values["staff_dtts"] > values["staff_total"]:
        raise DomainError("headcount.dtts_over_total", _l("Số cán bộ người DTTS không thể lớn hơn tổng số."),
                          field="staff_dtts")
    if values["women_dtts"] > min(values["staff_women"], values["staff_dtts"]):
        raise DomainError("headcount.women_dtts", _l("Số nữ người DTTS không thể lớn hơn số nữ hoặc số người DTTS."),
                          field="women_dtts")
    if values["women_sent_to_training"] > values["staff_women"]:
        raise DomainError("headcount.sent_over_women",
                          _l("Số nữ được cử đi đào tạo không thể lớn hơn số cán bộ nữ."),
                          field="women_sent_to_training")


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise DomainError("headcount.year", _l("Năm %(year)s không hợp lệ.", year=year), field="year")


def get_headcount(org: Organisation, year: int) -> UnitHeadcount | None:
    return db.session.scalar(select(UnitHeadcount).where(UnitHeadcount.organisation_id == org.id,
                                                         UnitHeadcount.year == year))


def save_headcount(actor: User | None, org: Organisation, year: int, data: HeadcountInput) -> UnitHeadcount:
    check_year(year)
    check_headcount(data)
    row = get_headcount(org, year)
    before = audit.snapshot(row, FIELDS) if row is not None else {}
    if row is None:
        row = UnitHeadcount(organisation_id=org.id, year=year)
        db.session.add(row)
    for name in FIELDS:
        value = getattr(data, name)
        setattr(row, name, value if name == "key_leadership_has_woman" else (value or 0))
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(row, FIELDS))
    if new:
        audit.record(actor, "org.headcount.saved", row, before=old, after=new, summary=f"{org.code} {year}")
    return row


# --- import ------------------------------------------------------------------------------------------

_COLUMNS = {  # folded header → field
    "ma don vi": "code", "nam": "year", "tong so": "staff_total", "nu": "staff_women", "dtts": "staff_dtts",
    "nu dtts": "women_dtts", "nu duoc cu dao tao": "women_sent_to_training",
    "lanh dao chu chot co nu": "key_leadership_has_woman",
}
_YES, _NO = {"co", "x", "1", "yes"}, {"khong", "0", "no"}


@dataclass
class ImportProblem:
    row: int
    message: str


def import_headcounts(actor: User | None, data: bytes, *, dry_run: bool = False) -> tuple[int, list[ImportProblem]]:
    """Rows of (Mã đơn vị, Năm, Tổng số, Nữ, DTTS, Nữ DTTS, Nữ được cử đào tạo, Lãnh đạo chủ chốt có nữ).
    Every row is checked first; any problem means nothing is written. Returns (rows saved, problems)."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception:  # not a workbook openpyxl can read
        return 0, [ImportProblem(0, Message("Không đọc được tệp: hãy gửi tệp Excel .xlsx."))]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next((i for i, r in enumerate(rows[:10]) if r and "ma don vi" in {fold(str(c or "")) for c in r}), None)
    if header_at is None:
        return 0, [ImportProblem(0, Message("Không thấy dòng tiêu đề có cột \"Mã đơn vị\"."))]
    columns = {i: _COLUMNS[fold(str(c or ""))] for i, c in enumerate(rows[header_at]) if fold(str(c or "")) in _COLUMNS}
    orgs = {code: org_id for org_id, code in db.session.execute(select(Organisation.id, Organisation.code))}
    planned, problems = [], []
    for number, raw in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {field: raw[i] for i, field in columns.items() if i < len(raw)}
        if not any(v not in (None, "") for v in values.values()):
            continue
        code = str(values.get("code") or "").strip().upper()
        if code not in orgs:
            problems.append(ImportProblem(number, Message("Không có đơn vị mã \"%(code)s\".", code=code)))
            continue
        try:
            year = int(values.get("year"))
            numbers = {f: int(values.get(f) or 0) for f in FIELDS[:5]}
        except (TypeError, ValueError):
            problems.append(ImportProblem(number, Message("Năm và các số lượng phải là số nguyên.")))
            continue
        answer = fold(str(values.get("key_leadership_has_woman") or "")).strip()
        leadership = True if answer in _YES else False if answer in _NO else None
        data_in = HeadcountInput(key_leadership_has_woman=leadership, **numbers)
        try:
            check_year(year)
            check_headcount(data_in)
        except DomainError as error:
            problems.append(ImportProblem(number, error.message))
            continue
        planned.append((orgs[code], year, data_in))
    if problems or dry_run:
        return 0, problems
    for org_id, year, data_in in planned:
        save_headcount(actor, db.session.get(Organisation, org_id), year, data_in)
    return len(planned), []


# --- the measures ---------------------------------------------------------------------------------------

def headcount_table(year: int, targets: list[target_rules.TargetSpec], *, fold_successors: bool = False) -> dict:
    """Every unit of the tree of 31/12 of `year` with its headcount figures over its subtree, the two
    measures beside their targets, and the province. Three statements."""
    as_of = date(year, 12, 31)
    orgs = db.session.execute(select(Organisation.id, Organisation.code, Organisation.name, Organisation.parent_id,
                                     Organisation.valid_from, Organisation.valid_to, Organisation.successor_id)).all()
    units = [Unit(o.id, o.parent_id, o.valid_from, o.valid_to, o.successor_id) for o in orgs]
    rows = db.session.scalars(select(UnitHeadcount).where(UnitHeadcount.year == year)).all()
    counts = [Headcount(r.organisation_id, r.staff_total, r.staff_women, r.staff_dtts, r.women_dtts,
                        r.women_sent_to_training, r.key_leadership_has_woman) for r in rows]
    tree = snapshot(units, as_of, fold_successors=fold_successors, with_members={h.unit_id for h in counts})
    figures, total = headcount_figures(counts, tree.home, tree.ancestors)
    chains = target_rules.ancestors_from_order(tree.order)
    chosen = {m: target_rules.targets_by_unit(targets, chains, m, as_of) for m in MEASURE_PROPERTY}
    info = {o.id: o for o in orgs}
    own = {h.unit_id: h for h in counts}

    def judged(figure, unit_targets) -> dict:
        line = {"units_reporting": figure.units_reporting, "staff_total": figure.staff_total,
                "staff_women": figure.staff_women, "staff_dtts": figure.staff_dtts, "women_dtts": figure.women_dtts,
                "women_sent": figure.women_sent, "women_staff_share": figure.women_staff_share,
                "dtts_staff_share": figure.dtts_staff_share}
        for measure, prop in MEASURE_PROPERTY.items():
            value, target = getattr(figure, prop), unit_targets.get(measure)
            line[measure] = value
            line[f"{measure}_target"] = target.value if target else None
            line[f"{measure}_status"] = (target_rules.status(target.value, target.deadline, value, as_of,
                                                             starts_on=target.starts_on) if target else None)
        return line

    lines = []
    for unit_id, depth in tree.order:
        line = judged(figures.get(unit_id, HeadcountFigure()), {m: chosen[m].get(unit_id) for m in MEASURE_PROPERTY})
        line.update(id=unit_id, code=info[unit_id].code, name=info[unit_id].name, depth=depth,
                    entered=unit_id in own)
        lines.append(line)
    top = [u for u, d in tree.order if d == 0]
    province_targets = {m: target_rules.current_target(
        [t for t in targets if t.measure == m and (t.scope_id is None or t.scope_id in top)], as_of)
        for m in MEASURE_PROPERTY}
    return {"year": year, "rows": lines, "total": judged(total, province_targets)}
