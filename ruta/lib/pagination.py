"""Page through querysets in views without trusting the page number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page[Any]:
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class CappedPaginator(Paginator[Any]):
    """Pages through a queryset with one ranking pass: the keys of its first ``cap`` + 1
    rows, in order, give both the count ("more than {cap}" past the cap) and the rows of
    every page, fetched by key. A broad search neither scans every row for
    an exact total nor filters and ranks twice (once to count, once for the page).

    ``rank(n)``, when given, returns the first ``n`` head rows (keys, or tuples that start
    with the key) in the queryset's order, as the caller can find them faster; ``load``
    turns a page's head rows into what the page shows, in their order, without the
    queryset's filters. Without it a page is the queryset's rows of those keys."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        cap: int,
        *,
        rank: Callable[[int], list[Any]] | None = None,
        load: Callable[[list[Any]], list[Any]] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.rank = rank
        self.load = load

    @cached_property
    def head(self) -> list[Any]:
        """The first ``cap`` + 1 rows' keys (or ``rank``'s rows), in the queryset's order."""
        if self.rank is not None:
            return self.rank(self.cap + 1)
        items: Any = self.object_list
        return list(items.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self.head)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: Any) -> Page[Any]:
        """Every page lies within the counted rows (the last one may hold the row past the
        cap, which only says "more than {cap}"), so it is read by key."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.head[bottom : bottom + self.per_page]
        if self.load is not None:
            return Page(self.load(rows), number, self)
        keys = [row[0] if isinstance(row, tuple) else row for row in rows]
        position = {key: index for index, key in enumerate(keys)}
        items: Any = self.object_list
        found = sorted(items.filter(pk__in=keys), key=lambda row: position[row.pk])
        return Page(found, number, self)


def paginate_capped(
    request: HttpRequest,
    items: Any,
    per_page: int,
    cap: int,
    *,
    rank: Callable[[int], list[Any]] | None = None,
    load: Callable[[list[Any]], list[Any]] | None = None,
) -> Page[Any]:
    paginator = CappedPaginator(items, per_page, cap, rank=rank, load=load)
    return paginator.get_page(request.GET.get("page"))
