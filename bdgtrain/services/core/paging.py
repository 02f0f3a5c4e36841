"""One page of a long list: a class of 3,000 or an import of 3,000 rows is shown 100 at a time.

`ListPage` is shaped like Flask-SQLAlchemy's Pagination (page, pages, total, has_prev, iter_pages, ...)
so that the `pagination` macro of templates/_macros.html draws its pager. `page_of_query` pages a
SELECT in the database (a COUNT and a LIMIT/OFFSET: two statements whatever the size); `page_of_list`
pages rows already in memory (an upload's preview). A page past the last shows the last, so a link
kept from a longer list still lands somewhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Sequence, TypeVar

from sqlalchemy import Select, func, select

from ...extensions import db

T = TypeVar("T")

PER_PAGE = 100  # enough rows to scan by eye, few enough that a page stays well under 1 MB of HTML


class Pager:
    """What the `pagination` macro reads, for any page that knows its `page` and `pages` (ListPage here,
    the compliance pages' people and the pool register's entries)."""
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self):
        """The first two pages, those around this one and the last two; None where some are left out."""
        last = 0
        for n in range(1, self.pages + 1):
            if n <= 2 or n > self.pages - 2 or abs(n - self.page) <= 2:
                if last and n - last > 1:
                    yield None
                yield n
                last = n


class CountedPager(Pager):
    """A Pager whose `pages` follow from its `total` rows and its `per_page` (the compliance pages' people
    and classes, paged in memory; a unit's pool register)."""
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


@dataclass
class ListPage(Pager, Generic[T]):
    items: list[T]
    page: int
    pages: int
    total: int
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        """How many rows come before this page (for the STT column)."""
        return (self.page - 1) * self.per_page


def page_count(total: int, per_page: int) -> int:
    """The pages `total` rows fill, `per_page` to a page: at least one (an empty list shows one, empty)."""
    return max(1, -(-total // per_page))


def _bounded(page: int, total: int, per_page: int) -> tuple[int, int]:
    pages = page_count(total, per_page)
    return min(max(page, 1), pages), pages


def page_of_list(rows: Sequence[T], page: int = 1, per_page: int = PER_PAGE) -> ListPage[T]:
    page, pages = _bounded(page, len(rows), per_page)
    return ListPage(list(rows[(page - 1) * per_page: page * per_page]), page, pages, len(rows), per_page)


def page_of_query(query: Select, page: int = 1, per_page: int = PER_PAGE, *, scalars: bool = True,
                  rows_of: Callable[[Select], list] | None = None, total: int | None = None) -> ListPage:
    """Page `page` of an ORM SELECT (its ORDER BY decides the order): one COUNT, one LIMIT/OFFSET.
    `rows_of`, when given, reads the page's rows from that LIMIT/OFFSET SELECT itself (e.g. as a subquery
    choosing the page's ids, joined to the columns shown). A caller that counted the rows already, with
    other figures in one statement, passes `total`: no COUNT."""
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, pages = _bounded(page, total, per_page)
    limited = query.limit(per_page).offset((page - 1) * per_page)
    if rows_of is not None:
        return ListPage(list(rows_of(limited)), page, pages, total, per_page)
    result = db.session.scalars(limited) if scalars else db.session.execute(limited)
    return ListPage(list(result.unique().all() if scalars else result.all()), page, pages, total, per_page)
