"""The measures over units' yearly headcounts and over trainees (docs/MEASURES.md), as plain functions.

- **Share of units whose key leadership includes a woman**: over the reported units of a subtree that
  said yes or no for the year (a unit that did not report is left out, not counted as "no").
- **Women's share of those sent to training in the year** (seed 001): women sent / everyone sent.
- **Women's shares of party committees, of master's places, of master's and of doctoral degrees**, and
  the **share of specialised staff trained** (seeds 001, 002): part / whole, as the units entered them.
- Staff broken down by sex and ethnic group (DTTS): women's share and ethnic-minority share of staff, and
  the ethnic-minority women among the women staff.
Each (whole, part) pair is summed over the units that entered its whole for the year: a unit that left
it empty is left out of both counts, not counted as 0.
- **Women's and ethnic-minority shares among trainees**: among those who attended at least one held
  session of a class (per class), or of any class of a plan (per plan, each person once).
No denominator, no figure: None, never 0%.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Headcount:
    unit_id: int
    staff_total: int
    staff_women: int
    staff_dtts: int = 0
    women_dtts: int = 0
    women_sent_to_training: int = 0
    key_leadership_has_woman: bool | None = None
    # Entered counts the system cannot compute (None: not entered). Each whole comes with its part.
    staff_sent_to_training: int | None = None   # everyone sent to training in the year; part: women sent
    committee_total: int | None = None          # members of the unit's party committee (cấp ủy)
    committee_women: int | None = None
    masters_places_total: int | None = None     # staff sent to a master's programme
    masters_places_women: int | None = None
    masters_total: int | None = None            # staff holding a master's degree
    masters_women: int | None = None
    doctorates_total: int | None = None         # staff holding a doctorate
    doctorates_women: int | None = None
    specialised_total: int | None = None        # specialised staff (cán bộ chuyên trách)
    specialised_trained: int | None = None      # of whom trained in the year


# (whole, part) of each entered pair; the women sent pair's part is the older `women_sent_to_training`.
ENTERED_PAIRS = (
    ("staff_sent_to_training", "women_sent_to_training"),
    ("committee_total", "committee_women"),
    ("masters_places_total", "masters_places_women"),
    ("masters_total", "masters_women"),
    ("doctorates_total", "doctorates_women"),
    ("specialised_total", "specialised_trained"),
)


def share(part: int, whole: int) -> float | None:
    """part / whole; no whole, no figure (None, never 0%)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class HeadcountFigure:
    units_reporting: int = 0          # units of the subtree with a headcount for the year
    staff_total: int = 0
    staff_women: int = 0
    staff_dtts: int = 0
    women_dtts: int = 0
    women_sent: int = 0
    leadership_answered: int = 0      # units that said whether their key leadership includes a woman
    leadership_with_woman: int = 0
    # The entered pairs, each summed over the units that entered its whole (ENTERED_PAIRS).
    staff_sent: int = 0
    women_sent_of_sent: int = 0       # women sent, in the units that also entered everyone sent
    committee_total: int = 0
    committee_women: int = 0
    masters_places_total: int = 0
    masters_places_women: int = 0
    masters_total: int = 0
    masters_women: int = 0
    doctorates_total: int = 0
    doctorates_women: int = 0
    specialised_total: int = 0
    specialised_trained: int = 0

    @property
    def women_leader_units(self) -> float | None:
        return share(self.leadership_with_woman, self.leadership_answered)

    @property
    def women_sent_share(self) -> float | None:
        """Seed 001: women among those sent to training in the year (women sent / everyone sent)."""
        return share(self.women_sent_of_sent, self.staff_sent)

    @property
    def women_committee_share(self) -> float | None:
        return share(self.committee_women, self.committee_total)

    @property
    def women_masters_places_share(self) -> float | None:
        return share(self.masters_places_women, self.masters_places_total)

    @property
    def women_masters_share(self) -> float | None:
        return share(self.masters_women, self.masters_total)

    @property
    def women_doctorates_share(self) -> float | None:
        return share(self.doctorates_women, self.doctorates_total)

    @property
    def specialised_trained_share(self) -> float | None:
        return share(self.specialised_trained, self.specialised_total)

    @property
    def women_staff_share(self) -> float | None:
        return share(self.staff_women, self.staff_total)

    @property
    def dtts_staff_share(self) -> float | None:
        return share(self.staff_dtts, self.staff_total)

    @property
    def dtts_women_share(self) -> float | None:
        """Ethnic-minority women among the women staff (seed 000, II.2.c)."""
        return share(self.women_dtts, self.staff_women)


def headcount_figures(headcounts: Iterable[Headcount], home: dict[int, int],
                      ancestors: dict[int, list[int]]) -> tuple[dict[int, HeadcountFigure], HeadcountFigure]:
    """Each reported unit's figure over its subtree, and the province's. `home` maps a unit to the reported
    unit it counts in (itself, or today's successor when folding); `ancestors` a reported unit to itself
    and the reported units above it (rules.trained_share.snapshot)."""
    sums: dict[int | None, list[int]] = {}
    width = 8 + 2 * len(ENTERED_PAIRS)

    def values(h: Headcount) -> list[int]:
        counted = [1, h.staff_total, h.staff_women, h.staff_dtts, h.women_dtts, h.women_sent_to_training or 0,
                   h.key_leadership_has_woman is not None, bool(h.key_leadership_has_woman)]
        for whole, part in ENTERED_PAIRS:
            entered = getattr(h, whole) is not None  # not entered: out of both counts, not 0
            counted += [getattr(h, whole) or 0, (getattr(h, part) or 0) if entered else 0]
        return [int(v) for v in counted]

    for h in headcounts:
        counted = values(h)
        for key in [None, *ancestors.get(home.get(h.unit_id, h.unit_id), [])]:
            s = sums.setdefault(key, [0] * width)
            for i, value in enumerate(counted):
                s[i] += value
    figures = {key: HeadcountFigure(*values) for key, values in sums.items() if key is not None}
    return figures, HeadcountFigure(*sums.get(None, [0] * width))


@dataclass(frozen=True)
class Trainee:
    class_id: int
    person_id: int
    sex: str | None
    ethnicity: str | None


def is_ethnic_minority(ethnicity: str | None) -> bool:
    """DTTS: any named group but the Kinh majority; unknown is not counted as DTTS (but is a trainee)."""
    return bool(ethnicity and ethnicity.strip()) and ethnicity.strip().casefold() != "kinh"


@dataclass(frozen=True)
class TraineeShares:
    trainees: int
    women: int
    dtts: int

    @property
    def women_share(self) -> float | None:
        return self.women / self.trainees if self.trainees else None

    @property
    def dtts_share(self) -> float | None:
        return self.dtts / self.trainees if self.trainees else None


def trainee_shares(trainees: Sequence[Trainee]) -> tuple[dict[int, TraineeShares], TraineeShares]:
    """Per class, and over all the classes given (each person once)."""
    by_class: dict[int, dict[int, Trainee]] = {}
    everyone: dict[int, Trainee] = {}
    for t in trainees:
        by_class.setdefault(t.class_id, {})[t.person_id] = t
        everyone[t.person_id] = t

    def shares(people: Iterable[Trainee]) -> TraineeShares:
        people = list(people)
        return TraineeShares(len(people), sum(p.sex == "F" for p in people),
                             sum(is_ethnic_minority(p.ethnicity) for p in people))

    return {c: shares(p.values()) for c, p in by_class.items()}, shares(everyone.values())
