"""QuickSelect writes the markup Django's Select writes, without a template per option."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ruta.ui.forms import QuickSelect

CHOICES: list[Any] = [
    ("", gettext_lazy("Anywhere")),
    ("a", "Áncash & <Lima>"),
    ("b", mark_safe("<b>Safe</b> label")),
    ("Perú", [("PE-LMA", "Lima"), ("PE-TUM", 'Tumbes "norte"')]),
    ("Ecuador", [("EC-P", "Pichincha")]),
    (7, "A number"),
]


def _both(**field: Any) -> tuple[type[forms.Form], type[forms.Form]]:
    class Plain(forms.Form):
        area = forms.ChoiceField(choices=CHOICES, **field)

    class Quick(forms.Form):
        area = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, **field)

    return Plain, Quick


def _markup(form: forms.Form) -> str:
    return re.sub(r">\s+<", "><", str(form["area"])).strip()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (None, {}),
        ({"area": "PE-TUM"}, {}),
        ({"area": "7"}, {"required": False}),
        ({"area": "nowhere"}, {"help_text": "Choose one"}),
        ({}, {"required": True, "disabled": True}),
    ],
)
def test_the_same_markup_as_django_s_select(data: Any, field: dict[str, Any]) -> None:
    plain, quick = _both(**field)
    expected, written = plain(data), quick(data)
    expected.is_valid(), written.is_valid()
    assert _markup(written) == _markup(expected)
    assert "&lt;Lima&gt;" in _markup(written) and "<b>Safe</b>" in _markup(written)
