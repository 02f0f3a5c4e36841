"""Periodic reports (6-month, annual): which are due, generating one for a unit and period, and its .xlsx.

A generated report keeps the figures it showed as JSON (`PeriodicReport.figures`): its page and its
.xlsx are drawn from that JSON, never recomputed, so a figure sent to the province can be traced
and downloaded again exactly as it was, whatever has changed since.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text

from ...errors import DomainError
from ...extensions import db
from ...localtime import format_date, to_local
from ...models import Organisation, PeriodicReport, Plan, User
from ...rules.deadlines import DeadlineSpec
from ...rules.official_documents import (
    KINDS,
    issue_date_problem,
    kind_of_label,
    number_year,
    period_problem,
    plain_name,
    recipient_lines,
)
from ...rules.targets import TargetSpec
from ..core import audit
from ..planning import orgs
from ..planning.document_settings import document_header
from .headcounts import MEASURE_COUNTS, headcount_table
from .measures import MeasureTable, add_breakdowns, measure_table
from .seed_sources import MEASURE_SEEDS
from .targets import target_specs


@dataclass(frozen=True)
class DueReport:
    plan: Plan
    label: str
    due_on: date
    period_start: date
    state: str | None  # "issued", "draft" (being written) or None, for a report of this kind and year
    kind: str | None = None  # six_month | annual, read from the deadline's label

    @property
    def done(self) -> bool:
        return self.state == "issued"


# A report due within this long after the plan's period still belongs to it (an annual report due in January).
AFTER_PLAN = timedelta(days=90)


def next_due(spec: DeadlineSpec, today: date) -> date | None:
    """The first day on or after `today` it falls due (a one-off deadline already past: its own day)."""
    if spec.year is not None:
        return spec.due_in(spec.year)
    this_year = spec.due_in(today.year)
    return this_year if this_year >= today else spec.due_in(today.year + 1)


def _in_plan(plan: Plan, day: date) -> bool:
    """Deadlines stop with the plan's own period: a 2019 plan owes no report in 2027."""
    return (plan.period_start is None or day >= plan.period_start) and (
        plan.period_end is None or day <= plan.period_end + AFTER_PLAN)


def _report_states(plan_ids: list[int]) -> dict[tuple, str]:
    """(plan, kind or label, year of the period's end) -> "issued" or "draft"; an issued one wins."""
    states: dict[tuple, str] = {}
    rows = db.session.execute(select(PeriodicReport.plan_id, PeriodicReport.kind, PeriodicReport.label,
                                     PeriodicReport.period_end, PeriodicReport.status)
                              .where(PeriodicReport.plan_id.in_(plan_ids))).all() if plan_ids else []
    for plan_id, kind, label, period_end, status in rows:
        key = (plan_id, kind or kind_of_label(label) or label, period_end.year)
        if states.get(key) != "issued":
            states[key] = status
    return states


def due_reports(plans: list[Plan], today: date, *, overdue_days: int = 31) -> list[DueReport]:
    """Each plan's deadlines, at their next date (or a date passed in the last month without an issued report),
    within the plan's own period."""
    due = []
    states = _report_states([p.id for p in plans])
    for plan in plans:
        for d in plan.report_deadlines:
            spec = DeadlineSpec(d.label, d.due_day, d.due_month, d.due_year)
            kind = kind_of_label(d.label)
            key = kind or d.label
            recent = spec.due_in(today.year)
            if recent is not None and today - timedelta(days=overdue_days) <= recent < today \
                    and states.get((plan.id, key, recent.year)) != "issued":
                day = recent
            else:
                day = next_due(spec, today)
            if day is None or not _in_plan(plan, day):
                continue
            due.append(DueReport(plan, d.label, day, date(day.year, 1, 1), states.get((plan.id, key, day.year)),
                                 kind))
    return sorted(due, key=lambda r: (r.due_on, r.plan.code, r.label))


# --- the figures of a report ----------------------------------------------------------------------

_CLASSES = """
SELECT c.id, c.code, c.title, MIN(s.starts_at) AS first_start, MAX(s.ends_at) AS last_end, COUNT(*) AS held,
       MAX(c.completion_percent) AS percent
FROM training_classes c JOIN class_sessions s ON s.class_id = c.id
WHERE c.plan_id = :plan AND c.status <> 'cancelled' AND s.status <> 'cancelled'
GROUP BY c.id, c.code, c.title
"""
_ATTENDANCE = """
SELECT e.class_id, pp.sex,
       CASE WHEN pp.ethnicity IS NULL OR TRIM(pp.ethnicity) = '' THEN 'unknown'
            WHEN LOWER(TRIM(pp.ethnicity)) = 'kinh' THEN 'kinh' ELSE 'dtts' END AS ethnic,
       COUNT(*) AS enrolled,
       SUM(CASE WHEN COALESCE(a.n, 0) > 0 THEN 1 ELSE 0 END) AS attended,
       SUM(CASE WHEN COALESCE(a.n, 0) * 100 >= h.held * h.percent THEN 1 ELSE 0 END) AS completed
FROM enrolments e
JOIN people pp ON pp.id = e.person_id
JOIN (SELECT s.class_id, COUNT(*) AS held, MAX(c.completion_percent) AS percent FROM class_sessions s
      JOIN training_classes c ON c.id = s.class_id
      WHERE s.status <> 'cancelled' AND c.plan_id = :plan GROUP BY s.class_id) h ON h.class_id = e.class_id
LEFT JOIN (SELECT a.enrolment_id, COUNT(*) AS n FROM attendances a JOIN class_sessions s ON s.id = a.session_id
           WHERE a.status IN ('present', 'late') AND s.status <> 'cancelled' GROUP BY a.enrolment_id) a
       ON a.enrolment_id = e.id
WHERE e.status IN ('nominated', 'confirmed')
GROUP BY e.class_id, pp.sex, ethnic
"""


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def classes_held(plan: Plan, start: date, end: date) -> list[dict]:
    """The plan's classes held in [start, end] (local days), with enrolled, attended and completed counts,
    and the women's and ethnic-minority (DTTS) shares among those who attended. Two statements."""
    classes = {}
    for row in db.session.execute(text(_CLASSES), {"plan": plan.id}):
        first, last = row.first_start, row.last_end
        if isinstance(first, str):  # SQLite's MIN over a text column
            first = datetime.fromisoformat(first).replace(tzinfo=timezone.utc)
            last = datetime.fromisoformat(last).replace(tzinfo=timezone.utc)
        elif first.tzinfo is None:
            first, last = first.replace(tzinfo=timezone.utc), last.replace(tzinfo=timezone.utc)
        first_day, last_day = to_local(first).date(), to_local(last).date()
        if first_day <= end and last_day >= start:
            classes[row.id] = {"code": row.code, "title": row.title, "from": first_day.isoformat(),
                               "to": last_day.isoformat(), "sessions": row.held, "enrolled": 0, "attended": 0,
                               "completed": 0, "attended_women": 0, "attended_dtts": 0}
    for row in db.session.execute(text(_ATTENDANCE), {"plan": plan.id}):
        line = classes.get(row.class_id)
        if line is None:
            continue
        line["enrolled"] += row.enrolled
        line["attended"] += row.attended or 0
        line["completed"] += row.completed or 0
        if row.sex == "F":
            line["attended_women"] += row.attended or 0
        if row.ethnic == "dtts":
            line["attended_dtts"] += row.attended or 0
    lines = sorted(classes.values(), key=lambda c: (c["from"], c["code"]))
    for line in lines:
        line["women_share"] = _share(line["attended_women"], line["attended"])
        line["dtts_share"] = _share(line["attended_dtts"], line["attended"])
    return lines


_CANCELLED = """
SELECT c.id, c.code, MIN(s.starts_at) AS first_start
FROM training_classes c JOIN class_sessions s ON s.class_id = c.id
WHERE c.plan_id = :plan AND c.status = 'cancelled'
GROUP BY c.id, c.code
"""


def classes_cancelled(plan: Plan, start: date, end: date) -> list[str]:
    """The codes of the plan's classes cancelled whole whose first planned day fell in [start, end]."""
    codes = []
    for row in db.session.execute(text(_CANCELLED), {"plan": plan.id}):
        first = row.first_start
        if isinstance(first, str):
            first = datetime.fromisoformat(first)
        if first.tzinfo is None:
            first = first.replace(tzinfo=timezone.utc)
        if start <= to_local(first).date() <= end:
            codes.append(row.code)
    return sorted(codes)


@dataclass
class ReportInput:
    label: str
    period_start: date | None
    period_end: date | None
    number: str
    place: str
    issued_on: date | None
    organisation_id: int | None = None  # None: the whole province
    kind: str | None = None  # six_month | annual; None: read from the label ("Báo cáo năm" is annual)
    results_text: str = ""
    shortcomings_text: str = ""
    tasks_text: str = ""
    recommendations_text: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: str = ""

    TEXTS = ("results_text", "shortcomings_text", "tasks_text", "recommendations_text")
    SIGNER = ("signer_authority", "signer_title", "signer_name")


TEXT_LIMIT = 20_000  # a section of a report; the seeds' longest runs to about 6,000 characters


def check_input(data: ReportInput) -> tuple[str, str | None, Organisation | None]:
    """Refuse what no report can say, naming the field; return the label, the kind and the report's unit."""
    label = " ".join((data.label or "").split())
    if not label:
        raise DomainError("report.label_missing", _l("Hãy nhập tên báo cáo."), field="label")
    if data.kind is not None and data.kind not in KINDS:
        raise DomainError("report.kind_unknown", _l("Loại báo cáo không hợp lệ."), field="kind")
    kind = data.kind or kind_of_label(label)
    if data.period_start is None or data.period_end is None:
        raise DomainError("report.period_missing", _l("Hãy nhập kỳ báo cáo (từ ngày, đến ngày)."), field="period_start")
    if data.period_end < data.period_start:
        raise DomainError("report.period_reversed", _l("Ngày cuối kỳ phải sau ngày đầu kỳ."), field="period_end")
    problem = period_problem(kind, data.period_start, data.period_end)
    if problem:
        raise DomainError("report.period_kind", problem, field="period_end")
    if not (data.number or "").strip():
        raise DomainError("report.number_missing", _l("Hãy nhập số hiệu văn bản báo cáo."), field="number")
    if not (data.place or "").strip():
        raise DomainError("report.place_missing", _l("Hãy nhập địa danh (nơi ban hành)."), field="place")
    if data.issued_on is None:
        raise DomainError("report.issued_missing", _l("Hãy nhập ngày ban hành."), field="issued_on")
    problem = issue_date_problem(data.issued_on, data.period_end)
    if problem:
        raise DomainError("report.issued_before_end", problem, field="issued_on")
    for name in ReportInput.TEXTS:
        if len(getattr(data, name) or "") > TEXT_LIMIT:
            raise DomainError("report.text_too_long", _l("Nội dung quá dài (tối đa %(limit)s ký tự).",
                                                         limit=TEXT_LIMIT), field=name)
    org = db.session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if data.organisation_id and org is None:
        raise DomainError("org.unknown", _l("Có đơn vị được chọn không tồn tại."), field="organisation_id")
    return label, kind, org


def report_issuer(plan: Plan, org: Organisation | None, issued_on: date) -> Organisation:
    """Whose header and number a report carries: the unit's own for a unit's report, else the plan's
    organiser, as it stood on the issue day (Sở LĐ-TB&XH's successor Sở Nội vụ after the 2025 reorganisation)."""
    issuer, _name = orgs.organisation_on(org or plan.organiser_org, issued_on)
    return issuer


def compute_figures(plan: Plan, data: ReportInput, org: Organisation | None, issuer: Organisation) -> dict:
    """The figures a report shows, as of its period's last day (over the trained-share target's counting window,
    as the page and the CLI), with the header of its issuer on the issue day."""
    as_of = data.period_end
    specs = target_specs(plan)
    table = measure_table(as_of, specs, root=org.id if org else None)
    add_breakdowns(table)
    if org is not None and not table.rows:
        raise DomainError("report.unit_absent", _l("Đơn vị %(name)s không có trong cây đơn vị ngày %(day)s.",
                                                   name=org.name, day=format_date(as_of)), field="organisation_id")
    header = document_header(issuer, data.number.strip(), data.place.strip(), data.issued_on)
    figures = {
        "issuing_body": header.issuing_body,
        "parent_body": header.parent_body,
        "issuer_name": plain_name(orgs.name_on(issuer, data.issued_on)),
        "plan": {"code": plan.code, "number": plan.number, "title": plan.title},
        "unit": {"code": org.code, "name": orgs.name_on(org, as_of)} if org else None,
        "as_of": as_of.isoformat(),
        "window": [d.isoformat() for d in table.window] if table.window else "cycle",
        "rows": table.rows,
        "total": table.total,
        "targets": [{"measure": t.measure, "value": t.value_percent,
                     "deadline": t.deadline.isoformat(), "scope": t.scope_org.name if t.scope_org else None,
                     "window": [t.window_starts_on.isoformat(), t.window_ends_on.isoformat()]
                     if t.window_starts_on else None}
                    for t in plan.targets],
        "classes": classes_held(plan, data.period_start, data.period_end),
        "classes_cancelled": classes_cancelled(plan, data.period_start, data.period_end),
    }
    figures["indicators"] = indicator_figures(table, specs, org, as_of)
    return figures


def apply_input(report: PeriodicReport, plan: Plan, data: ReportInput) -> PeriodicReport:
    """Check `data` and write it, with freshly computed figures, onto a draft (new or kept)."""
    label, kind, org = check_input(data)
    issuer = report_issuer(plan, org, data.issued_on)
    report.figures = compute_figures(plan, data, org, issuer)
    report.plan, report.organisation, report.issuer_org = plan, org, issuer
    report.label, report.kind = label, kind
    report.period_start, report.period_end, report.as_of = data.period_start, data.period_end, data.period_end
    report.number, report.place, report.issued_on = data.number.strip(), data.place.strip(), data.issued_on
    report.number_year = number_year(data.issued_on)
    for name in ReportInput.TEXTS:
        setattr(report, name, (getattr(data, name) or "").replace("\r\n", "\n").strip())
    for name in ReportInput.SIGNER:
        setattr(report, name, " ".join((getattr(data, name) or "").split()))
    report.recipients = "\n".join(recipient_lines(data.recipients or ""))
    return report


def generate_report(actor: User | None, plan: Plan, data: ReportInput) -> PeriodicReport:
    """Compute the figures and keep them, with the text, signer and recipients, as a draft: who asked and
    when. Issuing (official_reports.issue_report) freezes it."""
    report = apply_input(PeriodicReport(status="draft", generated_by_id=actor.id if actor else None), plan, data)
    db.session.add(report)
    db.session.flush()
    headline = report.figures["rows"][0] if report.organisation else report.figures["total"]
    audit.record(actor, "plan.report.generated", report, after={
        "label": report.label, "period": [data.period_start.isoformat(), data.period_end.isoformat()],
        "unit": report.organisation.code if report.organisation else None, "trained": headline["trained"],
        "women": headline["women"], "trained_share": headline["trained_share"]}, summary=f"{plan.code}: {report.label}")
    return report


# --- the seeds' other indicators ----------------------------------------------------------------------

def _indicator(measure: str, part: int, whole: int, value: float | None, target: float | None = None,
               deadline: str | None = None, status: str | None = None) -> dict:
    return {"measure": measure, "seed": MEASURE_SEEDS.get(measure), "part": part, "whole": whole,
            "value": round(value, 4) if value is not None else None, "target": target, "deadline": deadline,
            "status": status}


def indicator_figures(table: MeasureTable, specs: list[TargetSpec], org: Organisation | None, as_of: date) -> dict:
    """The seeds' indicators besides the trained share, for the report's unit (its subtree) or the province:
    the pool's women's share and its ethnic-minority women (as of the report's day, the trained share's
    tree; the table's rows carry them, add_breakdowns), and the measures of the units' headcounts of that
    day's year (the tree of its 31/12, as the headcount page). A unit that entered nothing gives no
    figure, never 0%. Three statements."""
    pool = table.rows[0] if org is not None else table.total
    rows = [
        _indicator("women_pool_share", pool["women"], pool["pool"], pool["women_share"], pool.get("women_target"),
                   pool.get("women_target_deadline"), pool.get("women_status")),
        _indicator("dtts_women", pool["dtts_trained"], pool["dtts_women"], pool["dtts_share"]),
    ]
    year = as_of.year
    counts = headcount_table(year, specs)
    line = (counts["total"] if org is None
            else next((r for r in counts["rows"] if r["id"] == org.id), None))
    if line is None:  # the unit is not in the tree of 31/12 of that year: nothing it entered counts
        line = {"units_reporting": 0}
    for measure, (part, whole) in MEASURE_COUNTS.items():
        rows.append(_indicator(measure, line.get(part, 0), line.get(whole, 0), line.get(measure),
                               line.get(f"{measure}_target"), line.get(f"{measure}_target_deadline"),
                               line.get(f"{measure}_status")))
    rows.append(_indicator("dtts_women_staff", line.get("women_dtts", 0), line.get("staff_women", 0),
                           line.get("dtts_women_share")))
    return {"year": year, "units_reporting": line["units_reporting"], "rows": rows}


def get_report(plan: Plan, report_id: int) -> PeriodicReport:
    report = db.session.get(PeriodicReport, report_id)
    if report is None or report.plan_id != plan.id:
        raise DomainError("not_found", _l("Không tìm thấy báo cáo."))
    return report


def reports_of_plan(plan: Plan):
    return select(PeriodicReport).where(PeriodicReport.plan_id == plan.id).order_by(
        PeriodicReport.created_at.desc(), PeriodicReport.id.desc())
