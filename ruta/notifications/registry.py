"""What a notification says and where it leads, supplied by the apps that send them.

This app sits below the apps that notify, so it never imports them: each one registers the
text of its kinds (and cases the links to the cases a person may open, and the page of
today's work) in its ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils import formats

from ruta.notifications.models import NotificationKind

if TYPE_CHECKING:
    from ruta.accounts.models import User

TextFn = Callable[[dict[str, Any]], str]
CaseUrlsFn = Callable[[Any, set[int]], dict[int, str]]

_texts: dict[str, TextFn] = {}
_case_urls: list[CaseUrlsFn] = []
_home: list[str] = []


def local_date(iso_date: object) -> str:
    """A date kept in a notification's details (ISO, language-free) as the reader writes it."""
    try:
        day = dt.date.fromisoformat(str(iso_date))
    except ValueError:
        return ""
    return formats.date_format(day, "DATE_FORMAT")


def register_text(kind: str, text: TextFn) -> None:
    """``text(details)`` gives the message of a notification of ``kind``."""
    _texts[kind] = text


def register_case_urls(urls: CaseUrlsFn) -> None:
    """``urls(user, case_ids)`` gives the page of each case among ``case_ids`` the user may see."""
    if urls not in _case_urls:
        _case_urls.append(urls)


def register_home(url_name: str) -> None:
    """The page a notification without a case points to (today's work)."""
    _home[:] = [url_name]


def home_url() -> str:
    return reverse(_home[0]) if _home else ""


def notification_text(kind: str, details: dict[str, Any]) -> str:
    """The message of a notification, in the active language, from its kind and details."""
    text = _texts.get(kind)
    if text is not None:
        return text(details)
    return str(NotificationKind(kind).label) if kind in NotificationKind.values else ""


def notification_link(details: dict[str, Any]) -> str:
    """The page a notification points to beyond its case (a referral, a conference...)."""
    name, target = details.get("link"), details.get("uuid")
    if not name or not target:
        return ""
    try:
        return reverse(name, args=[target])
    except NoReverseMatch:
        return ""


def case_urls(user: User, case_ids: set[int]) -> dict[int, str]:
    """The case pages among ``case_ids`` that ``user`` may open, by case id."""
    found: dict[int, str] = {}
    for urls in _case_urls:
        found.update(urls(user, case_ids))
    return found
