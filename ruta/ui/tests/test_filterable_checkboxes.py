"""Long lists (organizations, countries, people) are checkboxes in a scrolling box with a
filter field, not Ctrl-click lists: the field renders as a labelled fieldset, the filter
field is hidden until the script shows it, ticked values stay ticked."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from ruta.ui.forms import FilterableCheckboxes


class _Form(forms.Form):
    countries = forms.MultipleChoiceField(
        label="Countries",
        choices=[("VE", "Venezuela"), ("CO", "Colombia"), ("PE", "Peru")],
        widget=FilterableCheckboxes,
        required=False,
    )


def _html(form: forms.Form) -> str:
    with translation.override("en"):
        return render_to_string("ui/_field.html", {"field": form["countries"]})


def test_renders_a_fieldset_of_checkboxes_with_a_filter_field_the_script_shows() -> None:
    html = _html(_Form(initial={"countries": ["CO"]}))
    assert '<fieldset class="ed-choices ed-f-countries' in html and "<legend>Countries" in html
    assert html.count('type="checkbox"') == 3 and "<select" not in html
    assert "data-filter-box hidden" in html
    assert '<label for="id_countries_filter">Filter: Countries</label>' in html
    assert 'data-filter-checkboxes="id_countries"' in html and 'id="id_countries"' in html
    assert "data-filter-list" in html and "ed-choice-scroll" in html
    checked = [line for line in html.split("<li>") if "checked" in line]
    assert len(checked) == 1 and 'value="CO"' in checked[0]


def test_ticked_boxes_post_like_a_multiple_select() -> None:
    form = _Form({"countries": ["VE", "PE"]})
    assert form.is_valid() and form.cleaned_data["countries"] == ["VE", "PE"]


def test_a_plain_checkbox_list_has_no_filter() -> None:
    class Plain(forms.Form):
        countries = forms.MultipleChoiceField(
            choices=[("VE", "Venezuela")], widget=forms.CheckboxSelectMultiple
        )

    html = _html(Plain())
    assert "data-filter-box" not in html and "ed-choice-scroll" not in html
