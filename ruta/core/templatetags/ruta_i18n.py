"""The same page in another language, as a plain link (no form, no cookie)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in(context: Any, language: str) -> str:
    """This page's address in ``language`` (query string kept): the URL prefix says the
    language, so switching needs no session and no cookie."""
    request = context.get("request")
    if request is None:
        return "/" if language == "es" else f"/{language}/"
    return translate_url(request.get_full_path(), language)
