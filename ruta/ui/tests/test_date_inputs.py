"""Native date pickers read and write ISO dates in every language: the Spanish short date
("07/12/2026") is a value the browser's picker drops, so a date the form filled in for the
user (today, for a needs check) came back empty and the form said it was missing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.utils import translation

from ruta.stabilisation.forms import NeedsCheckForm, PaymentForm
from ruta.ui.forms import DateInput, DateTimeInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["es", "en"])
def test_initial_dates_render_as_iso(language: str) -> None:
    with translation.override(language):
        html = str(
            _Form(initial={"day": dt.date(2026, 12, 7), "moment": dt.datetime(2026, 12, 7, 9, 5)})
        )
        check = str(NeedsCheckForm(initial={"checked_on": dt.date(2026, 12, 7)})["checked_on"])
    assert 'type="date"' in html and 'value="2026-12-07"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-07T09:05"' in html
    assert re.search(r'type="date"[^>]*value="2026-12-07"', check)
    assert 'type="date"' in str(PaymentForm()["paid_on"])


def test_a_submitted_iso_date_is_read_back() -> None:
    with translation.override("es"):
        form = _Form({"day": "2026-12-07", "moment": "2026-12-07T09:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 7)
