"""Is this list row a person we already know? The matching rules of the person registry.

Same person when the ID number (CCCD/CMND) matches, or the phone matches, or the normalised
name and the full birth date match. Same name and birth year but a different unit, with no
shared phone or ID: a *possible* duplicate, left for a person to decide, never merged silently.
Same name with another birth year: different people.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Generic, Hashable, Iterable, Literal, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)

Outcome = Literal["same", "possible", "new"]


class Identity(NamedTuple, Generic[K]):
    """What matching looks at, for a known person (key = her id) or a list row (key = row number).

    A named tuple: an import builds one for every person in the registry, and a tuple is made
    several times faster than a frozen dataclass (and straight from a database row, `_make`)."""

    key: K
    name: str                 # fold()ed full name
    birth_date: date | None = None
    birth_year: int | None = None
    phone: str | None = None
    id_number: str | None = None
    unit: str | None = None   # fold()ed unit name

    @property
    def year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


@dataclass(frozen=True)
class Match(Generic[K]):
    outcome: Outcome
    key: K | None = None      # the known person's key for "same" and "possible"
    reason: str = ""          # "id_number", "phone", "name_birth_date", "name_birth_year"


NEW = Match("new")


class Registry(Generic[K]):
    """An in-memory index of known identities: one dictionary lookup per rule, whatever the size."""

    def __init__(self, people: Iterable[Identity[K]] = ()):
        self._by_id: dict[str, K] = {}
        self._by_phone: dict[str, K] = {}
        self._by_name_year: dict[tuple[str, int], list[Identity[K]]] = defaultdict(list)
        for person in people:
            self.add(person)

    def add(self, person: Identity[K]) -> None:
        # The first one wins: an index never silently re-points an ID or phone to someone else.
        if person.id_number:
            self._by_id.setdefault(person.id_number, person.key)
        if person.phone:
            self._by_phone.setdefault(person.phone, person.key)
        if person.year:
            self._by_name_year[(person.name, person.year)].append(person)

    def match(self, row: Identity) -> Match[K]:
        if row.id_number and row.id_number in self._by_id:
            return Match("same", self._by_id[row.id_number], "id_number")
        if row.phone and row.phone in self._by_phone:
            return Match("same", self._by_phone[row.phone], "phone")
        if row.year:
            for known in self._by_name_year.get((row.name, row.year), ()):
                if _contradicting(row, known):
                    continue  # two ID numbers or two full birth dates that differ: two people
                if row.birth_date and row.birth_date == known.birth_date:
                    return Match("same", known.key, "name_birth_date")
                if known.unit and row.unit and known.unit == row.unit:
                    # Same name, year and unit, nothing contradicting: the same official.
                    return Match("same", known.key, "name_birth_year_unit")
                return Match("possible", known.key, "name_birth_year")
        return NEW


def _contradicting(a: Identity, b: Identity) -> bool:
    return bool((a.birth_date and b.birth_date and a.birth_date != b.birth_date)
                or (a.id_number and b.id_number and a.id_number != b.id_number))
