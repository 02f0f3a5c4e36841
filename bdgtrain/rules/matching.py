"""Is this list row a person we already know? The matching rules of the person registry.

Same person when the ID number (CCCD/CMND) or the phone matches and neither the name nor the birth
year says otherwise, or when the normalised name and the full birth date match. An ID number or a
phone alone never decides: one shared with another name or another birth year is a *possible*
duplicate (a typo, a phone passed on, or someone fishing for another agency's nominee with a number
she knows), the new row becomes a new person and an organiser decides. Same name and birth year but
a different unit, with no shared phone or ID: a *possible* duplicate, left for a person to decide,
never merged silently. Same name with another birth year: different people.
"""
from __future__ import annotations

from collections import defaultdict
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


class Match(NamedTuple, Generic[K]):
    """A named tuple, as Identity: an import makes one for every row."""

    outcome: Outcome
    key: K | None = None      # the known person's key for "same" and "possible"
    reason: str = ""          # "id_number", "phone", "name_birth_date", "name_birth_year"


NEW = Match("new")
_KEY, _NAME, _DATE, _YEAR, _PHONE, _ID, _UNIT = range(7)  # Identity's fields, for plain rows in the same order


class Registry(Generic[K]):
    """An in-memory index of known identities: one dictionary lookup per rule, whatever the size.

    Built from Identity tuples or from any rows with the same fields in the same order (a
    database row, so that 100,000 people need no Identity each), in three passes over them rather
    than one `add` call per person."""

    def __init__(self, people: Iterable[Identity[K]] = ()):
        people = people if isinstance(people, list) else list(people)
        # The first one wins: an index never silently re-points an ID or phone to someone else.
        # Built from the last to the first, so that the first one is written last. Each keeps the
        # whole identity, for the name and birth year an identifier's match must agree with.
        self._by_id: dict[str, tuple] = {p[_ID]: p for p in reversed(people) if p[_ID]}
        self._by_phone: dict[str, tuple] = {p[_PHONE]: p for p in reversed(people) if p[_PHONE]}
        self._by_name_year: dict[tuple[str, int], list] = defaultdict(list)
        for p in people:
            year = p[_DATE].year if p[_DATE] else p[_YEAR]
            if year:
                self._by_name_year[(p[_NAME], year)].append(p)

    def add(self, person: Identity[K]) -> None:
        if person.id_number:
            self._by_id.setdefault(person.id_number, person)
        if person.phone:
            self._by_phone.setdefault(person.phone, person)
        year = person.birth_date.year if person.birth_date else person.birth_year
        if year:
            self._by_name_year[(person.name, year)].append(person)

    def match(self, row: Identity) -> Match[K]:
        id_number, phone, birth_date = row.id_number, row.phone, row.birth_date
        year = birth_date.year if birth_date else row.birth_year
        # An identifier held by someone whose name or birth year differs: not her (see the module's text).
        clash: Match[K] | None = None
        for value, index, reason in ((id_number, self._by_id, "id_number"), (phone, self._by_phone, "phone")):
            known = index.get(value) if value else None
            if known is None:
                continue
            if _agrees(row.name, year, known):
                return Match("same", known[_KEY], reason)
            clash = clash or Match("possible", known[_KEY], reason)
        if year:
            for known in self._by_name_year.get((row.name, year), ()):
                known_date = known[_DATE]
                if (birth_date and known_date and birth_date != known_date) or \
                        (id_number and known[_ID] and id_number != known[_ID]):
                    continue  # two ID numbers or two full birth dates that differ: two people
                if clash is not None:
                    return Match("possible", known[_KEY], "name_birth_year")
                if birth_date and birth_date == known_date:
                    return Match("same", known[_KEY], "name_birth_date")
                if known[_UNIT] and row.unit and known[_UNIT] == row.unit:
                    # Same name, year and unit, nothing contradicting: the same official.
                    return Match("same", known[_KEY], "name_birth_year_unit")
                return Match("possible", known[_KEY], "name_birth_year")
        return clash or NEW


def _agrees(name: str, year: int | None, known: tuple) -> bool:
    """Whether a row's name and birth year allow it to be `known`: the same fold()ed name, and the same
    birth year when both give one."""
    known_year = known[_DATE].year if known[_DATE] else known[_YEAR]
    return name == known[_NAME] and (not year or not known_year or year == known_year)
