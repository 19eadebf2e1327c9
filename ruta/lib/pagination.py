"""Page through querysets in views without trusting the page number."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class CappedPaginator(Paginator):
    """Counts no further than ``cap`` + 1 rows, so a broad search does not scan every row
    to print an exact total; past the cap the page says "more than {cap}"."""

    def __init__(self, object_list: Any, per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        items: Any = self.object_list
        counted: int = items[: self.cap + 1].count()
        return counted

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate_capped(request: HttpRequest, items: Any, per_page: int, cap: int) -> Page:
    return CappedPaginator(items, per_page, cap).get_page(request.GET.get("page"))
