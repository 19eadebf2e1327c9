"""The design system page: colour tokens that are the stylesheet's, each with a contrast
worked out (not claimed) that meets WCAG AA; Ruta's own icons, decorative; the page in
both languages."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from pkgutil import walk_packages
from typing import Any

import pytest
from django import forms
from django.conf import settings

import ruta
from conftest import verified_login
from ruta.ui.icons import ICONS, icon
from ruta.ui.styleguide import TOKENS, WHITE, contrast

CSS = Path(settings.BASE_DIR) / "static" / "ruta" / "ruta.css"


def test_contrast_by_the_wcag_formula() -> None:
    assert round(contrast("#000000", WHITE), 1) == 21.0
    assert round(contrast(WHITE, WHITE), 1) == 1.0
    assert round(contrast("#767676", WHITE), 2) == 4.54  # the classic AA grey
    assert round(contrast("#0b5c6b", WHITE), 1) == 7.6  # as ruta.css says of --brand


def test_the_tokens_are_the_stylesheets_and_meet_aa() -> None:
    root = CSS.read_text(encoding="utf-8").split(":root {", 1)[1].split("}", 1)[0]
    declared = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", root))
    for token in TOKENS:
        assert declared[token.name].lower() == token.value, token.name
        assert token.passes, (token.name, token.ratio, token.needed)
    assert {t.name for t in TOKENS} == set(declared)  # every colour token is documented


def test_icons_are_decorative_inline_svg() -> None:
    for name, path in ICONS.items():
        assert re.fullmatch(r"[MLHVCSQTAZmlhvcsqtaz0-9 .,\-]+", path), name
        svg = str(icon(name))
        assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
        assert 'stroke="currentColor"' in svg and "style=" not in svg  # CSP: no inline style
    with pytest.raises(KeyError):
        icon("no-such-icon")


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "title"), [("", "Guía de estilo"), ("/en", "Style guide")])
def test_the_page_for_staff(world: Any, client: Any, prefix: str, title: str) -> None:
    verified_login(client, world.user("caseworker.care"))
    page = client.get(f"{prefix}/estilo/").content.decode()
    assert f"<h1>{title}</h1>" in page
    assert all(f"<code>{name}</code>" in page for name in ICONS)
    assert page.count('type="checkbox"') > 200  # the long list, as checkboxes
    assert 'type="date"' in page and 'type="datetime-local"' in page
    assert ("7,6:1" if prefix == "" else "7.6:1") in page  # a reader's number, localised


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_kind_of_text_input_the_forms_use_is_styled() -> None:
    """A kind of input the stylesheet forgets is drawn by the browser at its own small
    size and thin border (the 5W dashboard's month inputs were): every input type of
    every form field in Ruta has the form controls' rule."""
    for module in walk_packages(ruta.__path__, "ruta."):
        if module.name.rsplit(".", 1)[-1].startswith("forms"):
            importlib.import_module(module.name)
    used = set()
    for form in _subclasses(forms.BaseForm):
        if form.__module__.startswith("ruta."):
            for field in getattr(form, "base_fields", {}).values():
                widgets = getattr(field.widget, "widgets", [field.widget])
                used |= {getattr(widget, "input_type", None) for widget in widgets}
    used -= {None, "hidden", "checkbox", "radio", "file", "submit", "select"}
    assert {"text", "date", "month", "email"} <= used  # the walk found the forms
    rules = re.findall(r"([^{}]+)\{", CSS.read_text(encoding="utf-8"))
    controls = next(selector for selector in rules if "textarea" in selector)
    styled = set(re.findall(r"input\[type=([a-z-]+)\]", controls))
    assert used <= styled, used - styled
