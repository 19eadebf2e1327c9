"""What the style page (/estilo/) shows of the design system: the colour tokens of
ruta.css with their contrast on the surfaces they are used on, worked out by the WCAG 2.2
formula rather than claimed, and a form with every widget the pages use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.lib.geo import country_choices
from ruta.ui.forms import DateInput, DateTimeInput, FilterableCheckboxes

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

WHITE = "#ffffff"
WASH = "#f3f5f8"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour (WCAG 2.2)."""
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Token:
    name: str  # the CSS custom property
    value: str
    use: StrOrPromise
    on: str = WHITE  # the surface it is read on
    text: bool = True  # text (4.5:1) or a boundary or mark (3:1)
    decorative: bool = False  # never the only boundary of a control: no minimum

    @property
    def ratio(self) -> float:
        return round(contrast(self.value, self.on), 1)

    @property
    def needed(self) -> float:
        if self.decorative:
            return 1.0
        return 4.5 if self.text else 3.0

    @property
    def passes(self) -> bool:
        return contrast(self.value, self.on) >= self.needed


# The values of ruta.css's :root (a test reads the stylesheet and compares).
TOKENS = [
    Token("--ink", "#1c2430", _("Text")),
    Token("--ink", "#1c2430", _("Text on the page background"), on=WASH),
    Token("--muted", "#4a5565", _("Secondary text, help")),
    Token("--brand", "#0b5c6b", _("Links, primary buttons, the header")),
    Token("--brand-dark", "#07424d", _("Links and buttons under the pointer")),
    Token("--danger", "#a4161a", _("Errors, destructive actions, urgent risk")),
    Token("--ok", "#1d6b2f", _("Success, low risk")),
    Token(
        "--line",
        "#c9d1dc",
        _("Rules and card borders: decorative, never a control's only edge (inputs use --muted)"),
        text=False,
        decorative=True,
    ),
    Token("--paper", "#ffffff", _("Cards, tables and inputs (text in --ink on it)"), on="#1c2430"),
    Token("--wash", "#f3f5f8", _("The page background (text in --ink on it)"), on="#1c2430"),
    Token("--focus", "#ffbf47", _("Focus ring, drawn on a dark ring"), on="#1c2430", text=False),
]


class SampleForm(forms.Form):
    """Every widget the pages use, to see them together (nothing is saved)."""

    name = forms.CharField(label=_("Text"), help_text=_("Help text sits under the label."))
    day = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    moment = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput(), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    choice = forms.ChoiceField(
        label=_("One choice"),
        choices=[("a", _("First")), ("b", _("Second"))],
        widget=forms.RadioSelect,
        required=False,
    )
    agree = forms.BooleanField(label=_("A yes or no"), required=False)
    countries = forms.MultipleChoiceField(
        label=_("Several choices from a long list"), widget=FilterableCheckboxes, required=False
    )

    def __init__(self, *args: object, language: str = "es", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = country_choices(language)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", "—"), *choices]
        several = self.fields["countries"]
        assert isinstance(several, forms.ChoiceField)
        several.choices = choices
