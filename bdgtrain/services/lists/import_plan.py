"""What an import would do, decided before anything is written: each row's outcome (RowPlan) and
the whole plan (ImportPlan), with the report the UI shows and the CLI prints."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l

from ...importers.person_list import PersonRow, ReadResult
from ...importers.results import RowProblem
from ...models import Organisation, TrainingClass
from ...rules.names import fold

OUTCOME_LABELS = {
    "added": _l("Người mới"),
    "matched": _l("Đã có trong hệ thống"),
    "merged": _l("Đã được đơn vị khác cử"),
    "unchanged": _l("Đã có trong danh sách này"),
    "flagged": _l("Có thể trùng người"),
    "in_file": _l("Trùng dòng trong tệp"),
}


@dataclass
class RowPlan:
    row: PersonRow
    outcome: str                      # a key of OUTCOME_LABELS
    person_id: int | None = None      # the known person ("matched", "merged", "unchanged", "flagged" look-alike)
    same_as_row: int | None = None    # "in_file": the earlier row she repeats; "flagged" may point at a row too
    reason: str = ""
    body_org_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    waiting: bool = False             # a new enrolment that would find the class full (lists._mark_waiting)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def needs_attention(self) -> bool:
        """A row the sender should look at before sending: a possible duplicate, a repeated row, a
        person outside the class's audience, or one the full class would put on its waiting list."""
        return self.outcome in ("flagged", "in_file") or self.waiting or bool(self.warnings)


@dataclass
class ImportPlan:
    training_class: TrainingClass
    source_org: Organisation
    read: ReadResult
    rows: list[RowPlan]
    quota_warnings: list[str]
    flagged_names: dict[int, str]     # person id -> name, for the look-alikes of flagged rows
    conflicts: list[RowProblem] = field(default_factory=list)  # rows the reader accepted but the registry cannot
    # load_blank_fields(), when loaded with the registry (plan_upload); apply_import loads it otherwise
    blank_fields: dict[int, int] | None = None
    capacity: int | None = None       # the class's, when the plan was made

    @property
    def waiting(self) -> int:
        """How many people of the file would go to the waiting list: the class is full for them."""
        return sum(1 for p in self.rows if p.waiting)

    @property
    def rejected(self) -> list[RowProblem]:
        return self.read.problems + self.conflicts

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def for_supplier(self) -> ImportPlan:
        """The plan as the sending agency may read it: which rows are known, never that another agency
        nominated someone (a "merged" row reads "matched") nor whom a row looks like in the registry (a row
        flagged against a known person reads "added": it is written as a new person, and the organiser
        settles the flag). Look-alikes within her own file stay shown."""
        rows = []
        for p in self.rows:
            if p.outcome == "merged":
                p = replace(p, outcome="matched")
            elif p.outcome == "flagged" and p.person_id:
                p = replace(p, outcome="added", person_id=None, reason="")
            rows.append(p)
        return replace(self, rows=rows, flagged_names={})

    def as_report(self, written: bool) -> dict:
        """What the CLI prints with --json and what the import keeps as its summary."""
        counts = self.counts
        return {
            "rows": len(self.rows) + len({p.row for p in self.read.problems}),  # the reader drops its bad rows
            "added": counts["added"],
            "matched": counts["matched"],
            "merged": counts["merged"],
            "unchanged": counts["unchanged"] + counts["in_file"],
            "waiting": self.waiting,
            "flagged": [{"row": r.row.row, "name": r.row.full_name,
                         "like": self.flagged_names.get(r.person_id) if r.person_id else None,
                         "like_row": r.same_as_row} for r in self.rows if r.outcome == "flagged"],
            "rejected": [{"row": p.row, "column": p.column, "message": p.message} for p in self.rejected],
            "quota": self.quota_warnings,
            "notes": list(self.read.notes),
            "written": written,
        }


def supplier_figures(summary: dict) -> dict:
    """A written import's figures (as_report, or the summary kept with it) as its sending agency reads
    them: people nominated by another agency count among the known, and the rows flagged for the
    organiser among the new people (ImportPlan.for_supplier)."""
    figures = dict(summary)
    flagged = figures.get("flagged") or 0
    flagged = len(flagged) if isinstance(flagged, list) else flagged
    figures["matched"] = (figures.get("matched") or 0) + (figures.get("merged") or 0)
    figures["added"] = (figures.get("added") or 0) + flagged
    figures["merged"] = figures["flagged"] = 0
    return figures


def preview_rows(report: ImportPlan, *, q: str = "", attention: bool = False) -> list[RowPlan]:
    """The rows of the preview a person asked for: those whose folded name contains the folded `q`,
    only those needing attention when `attention`; in the file's order."""
    wanted = fold(q)
    return [r for r in report.rows if (not attention or r.needs_attention)
            and (not wanted or wanted in fold(r.row.full_name or ""))]
