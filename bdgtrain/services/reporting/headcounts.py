"""Units' yearly headcounts (staff by sex and ethnic group, a woman in the key leadership, and the counts
behind the seeds' other indicators: those sent to training, party committees, master's places,
master's and doctoral degrees, specialised staff) and the measures read from them, per unit of the
year's tree, beside the plan's targets.

Entered per unit and year (one row each; saving again changes it, audited), or imported from a
spreadsheet, all or nothing (import_headcounts). A count the seeds need and the system cannot compute
is entered here, never dropped: left empty, it is "not entered" (no figure), never 0.
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
from ...rules.measures import ENTERED_PAIRS, Headcount, HeadcountFigure, headcount_figures
from ...rules.names import fold
from ...rules.trained_share import snapshot
from ..core import audit
from .reporting import _named_on, _units

COUNT_FIELDS = ("staff_total", "staff_women", "staff_dtts", "women_dtts", "women_sent_to_training")  # 0 if empty
ENTERED_FIELDS = ("staff_sent_to_training", "committee_total", "committee_women", "masters_places_total",
                  "masters_places_women", "masters_total", "masters_women", "doctorates_total", "doctorates_women",
                  "specialised_total", "specialised_trained")  # None if empty: not entered
FIELDS = COUNT_FIELDS + ENTERED_FIELDS + ("key_leadership_has_woman",)
# The measures read from the headcounts (docs/MEASURES.md), each a HeadcountFigure property of the same name.
MEASURE_PROPERTY = {m: m for m in (
    "women_leader_units", "women_sent_share", "women_committee_share", "women_masters_places_share",
    "women_masters_share", "women_doctorates_share", "specialised_trained_share")}
# The (part, whole) counts each measure reads, as a table line names them.
MEASURE_COUNTS = {
    "women_leader_units": ("leadership_with_woman", "leadership_answered"),
    "women_sent_share": ("women_sent_of_sent", "staff_sent"),
    "women_committee_share": ("committee_women", "committee_total"),
    "women_masters_places_share": ("masters_places_women", "masters_places_total"),
    "women_masters_share": ("masters_women", "masters_total"),
    "women_doctorates_share": ("doctorates_women", "doctorates_total"),
    "specialised_trained_share": ("specialised_trained", "specialised_total"),
}


@dataclass
class HeadcountInput:
    staff_total: int | None
    staff_women: int | None
    staff_dtts: int | None = 0
    women_dtts: int | None = 0
    women_sent_to_training: int | None = 0
    key_leadership_has_woman: bool | None = None
    staff_sent_to_training: int | None = None
    committee_total: int | None = None
    committee_women: int | None = None
    masters_places_total: int | None = None
    masters_places_women: int | None = None
    masters_total: int | None = None
    masters_women: int | None = None
    doctorates_total: int | None = None
    doctorates_women: int | None = None
    specialised_total: int | None = None
    specialised_trained: int | None = None


# For each entered pair (whole, part): the refusal when the part comes without its whole, the whole
# without its part, and the part above the whole.
_PAIR_MESSAGES = {
    "committee_total": (
        _l("Hãy nhập tổng số cấp ủy viên (đã nhập số nữ trong cấp ủy)."),
        _l("Hãy nhập số nữ trong cấp ủy (đã nhập tổng số cấp ủy viên)."),
        _l("Số nữ trong cấp ủy không thể lớn hơn tổng số cấp ủy viên.")),
    "masters_places_total": (
        _l("Hãy nhập tổng số người được cử đi đào tạo thạc sĩ (đã nhập số nữ)."),
        _l("Hãy nhập số nữ được cử đi đào tạo thạc sĩ (đã nhập tổng số)."),
        _l("Số nữ được cử đi đào tạo thạc sĩ không thể lớn hơn tổng số người được cử đi đào tạo thạc sĩ.")),
    "masters_total": (
        _l("Hãy nhập tổng số người có học vị thạc sĩ (đã nhập số nữ)."),
        _l("Hãy nhập số nữ có học vị thạc sĩ (đã nhập tổng số)."),
        _l("Số nữ thạc sĩ không thể lớn hơn tổng số người có học vị thạc sĩ.")),
    "doctorates_total": (
        _l("Hãy nhập tổng số người có học vị tiến sĩ (đã nhập số nữ)."),
        _l("Hãy nhập số nữ có học vị tiến sĩ (đã nhập tổng số)."),
        _l("Số nữ tiến sĩ không thể lớn hơn tổng số người có học vị tiến sĩ.")),
    "specialised_total": (
        _l("Hãy nhập tổng số cán bộ chuyên trách (đã nhập số được bồi dưỡng)."),
        _l("Hãy nhập số cán bộ chuyên trách được bồi dưỡng (đã nhập tổng số)."),
        _l("Số cán bộ chuyên trách được bồi dưỡng không thể lớn hơn tổng số cán bộ chuyên trách.")),
}


def check_headcount(data: HeadcountInput) -> None:
    if data.staff_total is None or data.staff_women is None:
        raise DomainError("headcount.missing", _l("Hãy nhập tổng số cán bộ và số cán bộ nữ."), field="staff_total")
    for name in COUNT_FIELDS + ENTERED_FIELDS:
        if (getattr(data, name) or 0) < 0:
            raise DomainError("headcount.negative", _l("Các con số không được âm."), field=name)
    values = {name: getattr(data, name) or 0 for name in COUNT_FIELDS}
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
    _check_entered(data, values)


def _check_entered(data: HeadcountInput, values: dict[str, int]) -> None:
    """The counts behind the seeds' other indicators: each part with its whole, never above it."""
    sent = data.staff_sent_to_training
    if sent is None and values["women_sent_to_training"]:
        raise DomainError("headcount.sent_total_missing",
                          _l("Hãy nhập tổng số người được cử đi đào tạo, bồi dưỡng trong năm (cả nam và nữ)."),
                          field="staff_sent_to_training")
    if sent is not None and sent > values["staff_total"]:
        raise DomainError("headcount.sent_over_total",
                          _l("Tổng số người được cử đi đào tạo, bồi dưỡng không thể lớn hơn tổng số cán bộ."),
                          field="staff_sent_to_training")
    if sent is not None and values["women_sent_to_training"] > sent:
        raise DomainError("headcount.women_sent_over_sent",
                          _l("Số nữ được cử đi đào tạo không thể lớn hơn tổng số người được cử đi đào tạo."),
                          field="women_sent_to_training")
    for whole, part in ENTERED_PAIRS[1:]:
        whole_value, part_value = getattr(data, whole), getattr(data, part)
        no_whole, no_part, part_over = _PAIR_MESSAGES[whole]
        if whole_value is None and part_value is not None:
            raise DomainError("headcount.whole_missing", no_whole, field=whole)
        if whole_value is not None and part_value is None:
            raise DomainError("headcount.part_missing", no_part, field=part)
        if whole_value is not None and part_value > whole_value:
            raise DomainError("headcount.part_over_whole", part_over, field=part)


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
        setattr(row, name, (value or 0) if name in COUNT_FIELDS else value)
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
    "tong so duoc cu dao tao": "staff_sent_to_training",
    "cap uy": "committee_total", "nu cap uy": "committee_women",
    "cu hoc thac si": "masters_places_total", "nu cu hoc thac si": "masters_places_women",
    "thac si": "masters_total", "nu thac si": "masters_women",
    "tien si": "doctorates_total", "nu tien si": "doctorates_women",
    "can bo chuyen trach": "specialised_total", "chuyen trach duoc boi duong": "specialised_trained",
}
_COLUMNS.update({key.replace(" si", " sy"): field for key, field in list(_COLUMNS.items()) if key.endswith(" si")})
_YES, _NO = {"co", "x", "1", "yes"}, {"khong", "0", "no"}


@dataclass
class ImportProblem:
    row: int
    message: str


def import_headcounts(actor: User | None, data: bytes, *, dry_run: bool = False) -> tuple[int, list[ImportProblem]]:
    """Rows with the columns of `report headcounts-import` (docs/MEASURES.md; any order; only the unit's code,
    the year, the total and the women are needed; an empty cell of the other counts is "not entered").
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
            numbers = {f: int(values.get(f) or 0) for f in COUNT_FIELDS}
            numbers.update({f: None if values.get(f) in (None, "") else int(values.get(f)) for f in ENTERED_FIELDS})
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
    """Every unit of the tree of 31/12 of `year` with its headcount figures over its subtree, the measures
    of MEASURE_PROPERTY beside their targets, and the province. Three statements."""
    as_of = date(year, 12, 31)
    # The dated tree of 31/12 (parents, names and successors of that day), as the trained share's.
    units, info = _units()
    info = _named_on(units, info, as_of)
    rows = db.session.scalars(select(UnitHeadcount).where(UnitHeadcount.year == year)).all()
    counts = [Headcount(r.organisation_id, r.staff_total, r.staff_women, r.staff_dtts, r.women_dtts,
                        r.women_sent_to_training, r.key_leadership_has_woman,
                        **{name: getattr(r, name) for name in ENTERED_FIELDS}) for r in rows]
    tree = snapshot(units, as_of, fold_successors=fold_successors, with_members={h.unit_id for h in counts})
    figures, total = headcount_figures(counts, tree.home, tree.ancestors)
    chains = target_rules.ancestors_from_order(tree.order)
    chosen = {m: target_rules.targets_by_unit(targets, chains, m, as_of) for m in MEASURE_PROPERTY}
    own = {h.unit_id: h for h in counts}

    def judged(figure, unit_targets) -> dict:
        line = {"units_reporting": figure.units_reporting, "staff_total": figure.staff_total,
                "staff_women": figure.staff_women, "staff_dtts": figure.staff_dtts, "women_dtts": figure.women_dtts,
                "women_sent": figure.women_sent, "women_staff_share": figure.women_staff_share,
                "dtts_staff_share": figure.dtts_staff_share, "dtts_women_share": figure.dtts_women_share}
        for part, whole in MEASURE_COUNTS.values():
            line[part], line[whole] = getattr(figure, part), getattr(figure, whole)
        for measure, prop in MEASURE_PROPERTY.items():
            value, target = getattr(figure, prop), unit_targets.get(measure)
            line[measure] = value
            line[f"{measure}_target"] = target.value if target else None
            line[f"{measure}_target_deadline"] = target.deadline.isoformat() if target else None
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
