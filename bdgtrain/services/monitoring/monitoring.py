"""The monitor's view of a plan: classes held, who came, compliance, certificates, trained share.

One `PlanOverview` feeds the dashboard page, the plan summary report and their .xlsx: each source
is its own field (`compliance`, `certificates`, `trained_share`, and `evaluation`, the feedback
results of services/feedback/feedback.py), so a page shows one section per source. A bounded number of
statements whatever the size of the plan (see tests/web/test_monitoring_web.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ...localtime import to_local
from ...models import Plan
from ...rules.compliance import Compliance
from ..certificates.certificates import issued_counts
from ..feedback.feedback import PlanFeedback, summarise_plan_feedback
from ..reporting.reporting import compute_trained_share, subtree_rows
from .compliance import class_facts_and_spans, plan_compliance


@dataclass
class ClassDates:
    first: datetime | None = None
    last: datetime | None = None


@dataclass
class PlanOverview:
    plan: Plan
    now: datetime
    compliance: Compliance
    dates: dict[int, ClassDates]
    certificates: dict[int, int]             # class id -> certificates in force
    trained_share_as_of: date
    trained_share: list[dict]                # services.reporting.figure_row rows, tree order
    evaluation: PlanFeedback | None = None   # the feedback results; None in a supplier's view
    agency_only: bool = False                # a supplier's view: her agency's rows only
    notes: list[str] = field(default_factory=list)

    @property
    def certificates_issued(self) -> int:
        return sum(self.certificates.values())


def trained_share_day(plan: Plan, today: date) -> date:
    """The day the plan's trained-share figures are read on: the end of its period once it is
    over, else today."""
    return min(plan.period_end, today) if plan.period_end else today


def overview(plan: Plan, now: datetime, *, with_trained_share: bool = True, with_evaluation: bool = True,
             agency_id: int | None = None) -> PlanOverview:
    as_of = trained_share_day(plan, to_local(now).date())
    rows = []
    if with_trained_share:
        report, info = compute_trained_share(as_of)
        root = plan.issuing_org_id if plan.issuing_org_id in report.depth else None
        rows = [row for row in subtree_rows(report, info, root=root) if row["depth"] <= 1]
        for row in rows:
            row["untrained"] = row["women"] - row["trained"]
    facts, spans = class_facts_and_spans(plan, now)
    return PlanOverview(plan=plan, now=now, compliance=plan_compliance(plan, now, agency_id=agency_id, facts=facts),
                        dates={class_id: ClassDates(first, last) for class_id, (first, last) in spans.items()},
                        # A supplier's view shows no certificates: they are not counted for it.
                        certificates={} if agency_id is not None else issued_counts(plan.id),
                        trained_share_as_of=as_of, trained_share=rows,
                        # A supplier's view leaves the participants' opinions out: they are not hers to read.
                        evaluation=summarise_plan_feedback(plan) if with_evaluation and agency_id is None else None,
                        agency_only=agency_id is not None)
