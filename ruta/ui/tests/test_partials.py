"""The one field partial and the one error summary: what assistive technology relies on."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As on the document.")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField()


def _field(form: forms.Form, name: str, **extra: object) -> str:
    return render_to_string("ui/_field.html", {"field": form[name], **extra})


def _described_ids_exist(html: str) -> None:
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in described.split():
            assert f'id="{target}"' in html, target


def test_a_text_field_ties_its_help_and_error_to_the_input() -> None:
    html = _field(SampleForm(data={}), "name")
    assert '<label for="id_name">' in html
    assert '<span aria-hidden="true">*</span>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    _described_ids_exist(html)


def test_radios_are_a_fieldset_the_summary_can_link_to() -> None:
    html = _field(SampleForm(data={}), "kind", inline=True)
    assert re.search(r'<fieldset [^>]*id="id_kind"', html)
    assert "<legend>Kind" in html
    assert 'class="ed-choice-list ed-inline"' in html
    _described_ids_exist(html)


def test_an_empty_choice_list_says_so() -> None:
    html = _field(SampleForm(), "tags", empty_text="No tags yet.")
    assert "No tags yet." in html


def test_a_checkbox_has_its_label_after_the_box_and_its_error_by_id() -> None:
    html = _field(SampleForm(data={}), "agree")
    assert re.search(r'<input type="checkbox"[^>]*> <label for="id_agree">', html)
    _described_ids_exist(html)


def test_the_summary_links_each_error_to_its_field() -> None:
    html = render_to_string("ui/_error_summary.html", {"form": SampleForm(data={})})
    assert 'role="alert"' in html and 'id="error-summary"' in html
    assert {"#id_name", "#id_kind", "#id_agree"} <= set(re.findall(r'href="(#[^"]+)"', html))


def test_the_summary_prefers_the_view_list_and_stays_away_from_unbound_forms() -> None:
    errors = [{"anchor": "", "text": "Row 2 — Phone: invalid."}]
    html = render_to_string("ui/_error_summary.html", {"form": SampleForm(), "errors": errors})
    assert "Row 2 — Phone: invalid." in html
    assert render_to_string("ui/_error_summary.html", {"form": SampleForm()}).strip() == ""
