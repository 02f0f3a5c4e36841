"""Audience compliance (thành phần): did the units send the right people, on time, and did they stay?

Pure: the services count each enrolment's marks with aggregate SQL and hand the counts in as
`Nominee`s; this module decides, per class and per nominating agency and district, who attended,
completed, arrived late, never came, and who sat in a class whose audience she does not fit.

Definitions (docs/MONITORING.md):
- nominated: an active enrolment (nominated or confirmed; declined and replaced ones are history);
- attended: present or late in at least one held session;
- completed: rules/completion.py (present or late in `completion_percent` of the held sessions);
- late: late in at least one session (`late_marks` counts every late mark);
- no-show: not a single attendance although at least one held session has ended;
- outside the audience: an attendee for whom rules/eligibility.py gives a warning (sex or level of
  government); unknown facts give no warning, so "fits" means "nothing says she does not".
A cancelled class has no held sessions: nobody is a no-show there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..messages import Message
from .completion import completion
from .eligibility import eligibility_warnings
from .names import fold

# "unrecorded": its sessions have ended but nobody's attendance was recorded (not held, or not marked).
CLASS_STATES = ("planned", "in_progress", "held", "unrecorded", "cancelled")
UNKNOWN_GROUP = Message("Không rõ")


@dataclass(frozen=True)
class ClassFacts:
    id: int
    code: str
    title: str
    cancelled: bool
    held: int            # non-cancelled sessions
    ended: int           # of those, sessions that have ended
    percent: int = 80
    eligible_sex: str | None = None
    eligible_kinds: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        """Cancelled, held (every session has ended), in progress (some have), or planned."""
        if self.cancelled:
            return "cancelled"
        if self.held and self.ended >= self.held:
            return "held"
        return "in_progress" if self.ended else "planned"


@dataclass(frozen=True)
class Nominee:
    """One active enrolment, with her marks in the class's held sessions counted."""
    enrolment_id: int
    class_id: int
    name: str
    sex: str | None = None
    unit_name: str | None = None
    unit_kind: str | None = None
    district: str | None = None              # the body whose seats she fills
    agencies: tuple[str, ...] = ()           # who nominated her
    present: int = 0
    late: int = 0
    person_id: int | None = None             # for the access log of the pages that name her


@dataclass(frozen=True)
class Outcome:
    nominee: Nominee
    attended: bool
    completed: bool
    late: bool
    no_show: bool
    warnings: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.warnings


@dataclass
class Tally:
    """Counts for one class, agency, district or the whole plan; each person once."""
    name: str = ""
    nominated: int = 0
    attended: int = 0
    completed: int = 0
    late: int = 0
    late_marks: int = 0
    no_show: int = 0
    outside: int = 0     # attendees outside the audience

    def add(self, outcome: Outcome, count: int = 1, late_marks: int | None = None) -> None:
        """One nominee, or `count` nominees of the same outcome with `late_marks` late marks between them."""
        self.nominated += count
        self.attended += outcome.attended * count
        self.completed += outcome.completed * count
        self.late += outcome.late * count
        self.late_marks += outcome.nominee.late if late_marks is None else late_marks
        self.no_show += outcome.no_show * count
        self.outside += (outcome.attended and not outcome.fits) * count

    @property
    def fit(self) -> int:
        return self.attended - self.outside

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.nominated if self.nominated else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.nominated if self.nominated else None

    @property
    def fit_rate(self) -> float | None:
        return self.fit / self.attended if self.attended else None


@dataclass
class ClassCompliance:
    facts: ClassFacts
    tally: Tally
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The class's state by its sessions, except that sessions nobody attended do not make it held."""
        state = self.facts.state
        if state in ("held", "in_progress") and self.tally.attended == 0:
            return "unrecorded" if state == "held" else "planned"
        return state

    @property
    def outside(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.attended and not o.fits]

    @property
    def no_shows(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.no_show]


@dataclass
class Compliance:
    classes: list[ClassCompliance]
    by_agency: list[Tally]
    by_district: list[Tally]
    total: Tally

    @property
    def held(self) -> int:
        return sum(1 for c in self.classes if c.state == "held")

    @property
    def unrecorded(self) -> int:
        return sum(1 for c in self.classes if c.state == "unrecorded")

    @property
    def cancelled(self) -> int:
        return sum(1 for c in self.classes if c.state == "cancelled")

    @property
    def outside_people(self) -> list[tuple[str, Outcome]]:
        """(class code, outcome) of every attendee outside her class's audience."""
        return [(c.facts.code, o) for c in self.classes for o in c.outside]

    @property
    def no_show_people(self) -> list[tuple[str, Outcome]]:
        return [(c.facts.code, o) for c in self.classes for o in c.no_shows]

    @property
    def planned(self) -> int:
        """Every class of the plan, cancelled ones included: what the plan set out to hold."""
        return len(self.classes)


def outcome(facts: ClassFacts, nominee: Nominee) -> Outcome:
    held = 0 if facts.cancelled else facts.held
    ended = 0 if facts.cancelled else min(facts.ended, held)
    statuses = ["present"] * nominee.present + ["late"] * nominee.late
    done = completion(statuses, held=held, remaining=held - ended, percent=facts.percent)
    attended = done.attended > 0
    warnings = tuple(eligibility_warnings(nominee.sex, nominee.unit_kind, facts.eligible_sex, facts.eligible_kinds))
    return Outcome(nominee, attended=attended, completed=done.completed, late=nominee.late > 0,
                   no_show=ended > 0 and not attended, warnings=warnings)


def _sorted(tallies: Iterable[Tally]) -> list[Tally]:
    return sorted(tallies, key=lambda t: (t.name == UNKNOWN_GROUP, fold(t.name), t.name))


def _groups(outcomes: Iterable[Outcome], keys) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for item in outcomes:
        for key in keys(item.nominee) or (UNKNOWN_GROUP,):
            tallies.setdefault(key, Tally(name=key)).add(item)
    return _sorted(tallies.values())


def summarise(classes: Sequence[ClassFacts], nominees: Iterable[Nominee]) -> Compliance:
    """Per class, per nominating agency (a person nominated by two agencies counts in each), per
    district (her seat's body), and in total (each enrolment once)."""
    by_class = {c.id: ClassCompliance(c, Tally(name=c.code)) for c in classes}
    outcomes = []
    for nominee in nominees:
        entry = by_class.get(nominee.class_id)
        if entry is None:
            continue
        result = outcome(entry.facts, nominee)
        entry.outcomes.append(result)
        entry.tally.add(result)
        outcomes.append(result)
    total = Tally(name="")
    for item in outcomes:
        total.add(item)
    return Compliance(classes=list(by_class.values()),
                      by_agency=_groups(outcomes, lambda n: n.agencies),
                      by_district=_groups(outcomes, lambda n: (n.district,) if n.district else ()),
                      total=total)


def place_of(org_name: str | None) -> str:
    """"UBND tỉnh Hà Tĩnh" -> "Hà Tĩnh": the place a report is dated from, read from its issuing body."""
    if not org_name:
        return ""
    words = org_name.split()
    folded = [fold(w) for w in words]
    for marker in ("tinh", "pho"):  # "... tỉnh X", "... thành phố X"
        if marker in folded:
            rest = words[folded.index(marker) + 1:]
            if rest:
                return " ".join(rest)
    return org_name


@dataclass(frozen=True)
class Profile:
    """`count` nominees of one class alike in everything their outcome depends on (counted by the
    database, GROUP BY), with `late_marks` late marks between them; `group` is the district or the
    nominating agency they are counted under ("" or None: unknown)."""
    class_id: int
    marks: int                  # present or late marks in held sessions, each of them
    late: bool                  # at least one of those marks is late
    count: int
    late_marks: int
    sex: str | None = None
    unit_kind: str | None = None
    group: str | None = None


class _ProfileOutcomes:
    """The outcome of a profile in its class, decided once per distinct case: a plan of hundreds of classes
    alike (same sessions, percent and audience) has only a handful, so its thousand profiles cost a few
    decisions. The key holds every input of outcome() but the class's name and id, which it does not read;
    the outcomes serve only the tallies (their nominee is nobody)."""

    def __init__(self):
        self._decided: dict[tuple, Outcome] = {}

    def __call__(self, facts: ClassFacts, profile: Profile) -> Outcome:
        key = (facts.cancelled, facts.held, facts.ended, facts.percent, facts.eligible_sex, facts.eligible_kinds,
               profile.marks, profile.late, profile.sex, profile.unit_kind)
        decided = self._decided.get(key)
        if decided is None:
            nominee = Nominee(enrolment_id=0, class_id=0, name="", sex=profile.sex, unit_kind=profile.unit_kind,
                              present=profile.marks - profile.late, late=int(profile.late))
            decided = self._decided[key] = outcome(facts, nominee)
        return decided


def summarise_counted(classes: Sequence[ClassFacts], profiles: Iterable[Profile],
                      agency_profiles: Iterable[Profile], named: Iterable[Nominee]) -> Compliance:
    """summarise() from counts: `profiles` (grouped by district) give the classes', the districts' and
    the plan's tallies, `agency_profiles` (one per nominating agency of each nominee; `group` None for
    the nominees nobody nominated) the agencies'. `named` are the nominees who may be outside the
    audience or no-shows, a superset: each class's `outcomes` keeps only those who are (the people the
    pages and files name), so `outside` and `no_shows` are whole and nobody else is held."""
    by_class = {c.id: ClassCompliance(c, Tally(name=c.code)) for c in classes}
    profile_outcome = _ProfileOutcomes()
    total = Tally(name="")
    districts: dict[str, Tally] = {}
    for profile in profiles:
        entry = by_class.get(profile.class_id)
        if entry is None:
            continue
        result = profile_outcome(entry.facts, profile)
        entry.tally.add(result, profile.count, profile.late_marks)
        total.add(result, profile.count, profile.late_marks)
        key = profile.group or UNKNOWN_GROUP
        districts.setdefault(key, Tally(name=key)).add(result, profile.count, profile.late_marks)
    agencies: dict[str, Tally] = {}
    for profile in agency_profiles:
        entry = by_class.get(profile.class_id)
        if entry is None:
            continue
        key = UNKNOWN_GROUP if profile.group is None else profile.group  # as summarise: a name, even ""
        agencies.setdefault(key, Tally(name=key)).add(profile_outcome(entry.facts, profile), profile.count,
                                                      profile.late_marks)
    for nominee in named:
        entry = by_class.get(nominee.class_id)
        if entry is None:
            continue
        result = outcome(entry.facts, nominee)
        if result.no_show or (result.attended and not result.fits):
            entry.outcomes.append(result)
    return Compliance(classes=list(by_class.values()), by_agency=_sorted(agencies.values()),
                      by_district=_sorted(districts.values()), total=total)
