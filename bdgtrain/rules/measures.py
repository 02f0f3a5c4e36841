"""The measures over units' yearly headcounts and over trainees (docs/MEASURES.md), as plain functions.

- **Share of units whose key leadership includes a woman**: over the reported units of a subtree that
  said yes or no for the year (a unit that did not report is left out, not counted as "no").
- **Share of women staff sent to training in the year**: women sent / women staff, summed over the
  subtree's units that reported the year.
- Staff broken down by sex and ethnic group (DTTS): women's share and ethnic-minority share of staff.
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

    @property
    def women_leader_units(self) -> float | None:
        return self.leadership_with_woman / self.leadership_answered if self.leadership_answered else None

    @property
    def women_staff_trained(self) -> float | None:
        return self.women_sent / self.staff_women if self.staff_women else None

    @property
    def women_staff_share(self) -> float | None:
        return self.staff_women / self.staff_total if self.staff_total else None

    @property
    def dtts_staff_share(self) -> float | None:
        return self.staff_dtts / self.staff_total if self.staff_total else None


def headcount_figures(headcounts: Iterable[Headcount], home: dict[int, int],
                      ancestors: dict[int, list[int]]) -> tuple[dict[int, HeadcountFigure], HeadcountFigure]:
    """Each reported unit's figure over its subtree, and the province's. `home` maps a unit to the reported
    unit it counts in (itself, or today's successor when folding); `ancestors` a reported unit to itself
    and the reported units above it (rules.trained_share.snapshot)."""
    sums: dict[int | None, list[int]] = {}

    def add(key, h: Headcount) -> None:
        s = sums.setdefault(key, [0] * 8)
        for i, value in enumerate((1, h.staff_total, h.staff_women, h.staff_dtts, h.women_dtts,
                                   h.women_sent_to_training, h.key_leadership_has_woman is not None,
                                   bool(h.key_leadership_has_woman))):
            s[i] += int(value)

    for h in headcounts:
        add(None, h)
        for above in ancestors.get(home.get(h.unit_id, h.unit_id), []):
            add(above, h)
    figures = {key: HeadcountFigure(*values) for key, values in sums.items() if key is not None}
    return figures, HeadcountFigure(*sums.get(None, [0] * 8))


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
