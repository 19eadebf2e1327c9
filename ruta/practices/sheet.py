"""A practice as the template of seed 004 lays it out, in its order.

The page, the PDF and the spreadsheet all read ``practice_sheet`` so they show the
same fields in the same order, in the current language, falling back to the other one:
an item's ``shown`` says in which, so the page and the PDF mark "Not translated yet".
Expects a practice loaded through ``search.with_full_data`` (no further queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ruta.lib.geo import country_name
from ruta.lib.translated import Version, in_reader_language, reader_language
from ruta.practices.models import Practice, current_language


@dataclass
class Item:
    label: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    key: str = ""  # a stable column name for the spreadsheet
    version: Version | None = None  # for a text stored per language: which one is shown

    @property
    def shown(self) -> Version:
        """The text and its language, for ``{% translated item.shown %}``."""
        if self.version is not None:
            return self.version
        reader = reader_language()
        return Version(value=self.text, language=reader, reader=reader)

    @property
    def empty(self) -> bool:
        return not (self.text or self.items)

    @property
    def flat(self) -> str:
        return self.text or "; ".join(self.items)


@dataclass
class Section:
    title: str
    items: list[Item]

    @property
    def empty(self) -> bool:
        return all(item.empty for item in self.items)


def organization_names(practice: Practice) -> list[str]:
    names = [org.display_name for org in practice.organizations.all()]
    others = [name.strip() for name in practice.other_organizations.split(",") if name.strip()]
    return names + others


def country_names(practice: Practice) -> list[str]:
    language = current_language()
    return [country_name(country.code, language) for country in practice.countries.all()]


def budget_text(practice: Practice) -> str:
    if practice.budget_amount is None:
        return ""
    amount = number_format(
        practice.budget_amount, decimal_pos=0, use_l10n=True, force_grouping=True
    )
    return f"{amount} {practice.budget_currency}"


def practice_sheet(practice: Practice) -> list[Section]:
    def t(label: str, field: str, key: str) -> Item:
        """An item of a narrative field stored per language."""
        version = in_reader_language(practice, field)
        return Item(label, version.text, key=key, version=version)

    people = practice.people_reached
    principles = [f"{p.letter}) {p.title}" for p in practice.guiding_principles.all()]
    return [
        Section(
            _("Identification"),
            [
                t(_("Area"), "area", key="area"),
                Item(_("Organizations"), items=organization_names(practice), key="organizations"),
                Item(_("Countries"), items=country_names(practice), key="countries"),
                Item(_("Territories"), practice.territories, key="territories"),
                Item(_("Themes"), items=[x.title for x in practice.themes.all()], key="themes"),
                Item(
                    _("IASC layers"),
                    items=[str(x) for x in practice.iasc_layers.all()],
                    key="iasc_layers",
                ),
            ],
        ),
        Section(_("Finding"), [t(_("Finding"), "finding", key="finding")]),
        Section(
            _("Relevant conditions and context"),
            [
                t(_("Context"), "context", key="context"),
                t(
                    _("Advice on applicability and replicability"),
                    "applicability",
                    key="applicability",
                ),
                t(_("Cause-effect relationship"), "cause_effect", key="cause_effect"),
            ],
        ),
        Section(
            _("Contribution and intended beneficiaries"),
            [t(_("Contribution and indicators"), "contribution", key="contribution")],
        ),
        Section(_("Effectiveness"), [t(_("Effectiveness"), "effectiveness", key="effectiveness")]),
        Section(
            _("Project targets"),
            [
                t(_("Target"), "target_description", key="target"),
                Item(
                    _("People reached"),
                    number_format(people, use_l10n=True, force_grouping=True)
                    if people is not None
                    else "",
                    key="people_reached",
                ),
                t(_("Type of assistance"), "target_type", key="target_type"),
                t(_("Actors involved"), "actors", key="actors"),
                Item(_("Approximate budget"), budget_text(practice), key="budget"),
                t(
                    _("Replication potential and by whom"),
                    "replication_potential",
                    key="replication_potential",
                ),
            ],
        ),
        Section(
            _("Links to the institution's higher objectives"),
            [
                t(
                    _("Institutional linkage"),
                    "institutional_linkage",
                    key="institutional_linkage",
                )
            ],
        ),
        Section(
            _("Relationship with the Sustainable Development Goals"),
            [Item(_("SDGs"), items=[str(x) for x in practice.sdgs.all()], key="sdgs")],
        ),
        Section(
            _("Relationship with the Global Compact for Safe, Orderly and Regular Migration"),
            [
                Item(_("Guiding principles"), items=principles, key="guiding_principles"),
                Item(
                    _("Objectives"),
                    items=[str(x) for x in practice.gcm_objectives.all()],
                    key="gcm_objectives",
                ),
            ],
        ),
        Section(
            _("Differentiating factors"),
            [
                t(
                    _("Differentiating factors"),
                    "differentiating_factors",
                    key="differentiating_factors",
                )
            ],
        ),
        Section(
            _("Sustainability"),
            [
                Item(
                    _("Level"),
                    str(practice.get_sustainability_display()) if practice.sustainability else "",
                    key="sustainability",
                ),
                t(_("Explanation"), "sustainability_notes", key="sustainability_notes"),
            ],
        ),
        Section(_("Keywords"), [t(_("Keywords"), "keywords", key="keywords")]),
    ]
