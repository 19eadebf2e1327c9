"""Forms of the conference pages. They parse and validate input; ``actions`` decides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.cases.models import NeedDomain
from ruta.conferences.models import AgendaKind, Conference, Modality
from ruta.ui.forms import DateInput

if TYPE_CHECKING:
    from ruta.accounts.models import User

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

CONFIDENTIALITY_STATEMENT = _(
    "What is said and written in this case conference is confidential. I will use it only "
    "to support the survivor, I will not share it outside the conference, I will not copy "
    "it to e-mail or messaging apps, and I will not try to identify the survivor."
)

COMMITMENT = _("I will keep this case conference confidential.")

# The agenda fields of the convene form, one per structured kind (seed 003).
AGENDA_FIELDS: list[tuple[str, str]] = [
    ("agenda_progress", AgendaKind.PROGRESS),
    ("agenda_barriers", AgendaKind.BARRIERS),
    ("agenda_roles", AgendaKind.ROLES),
    ("agenda_conflicts", AgendaKind.CONFLICTS),
    ("agenda_plan_adjustments", AgendaKind.PLAN_ADJUSTMENTS),
]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _label(user: User) -> str:
    role = user.get_role_display()
    return f"{user.full_name or user.email} · {role}"


class UserChoiceMixin:
    """Turns chosen UUIDs back into users of a fixed queryset."""

    def users_from(self, uuids: list[str], users: list[Any]) -> list[Any]:
        by_uuid = {str(user.uuid): user for user in users}
        return [by_uuid[value] for value in uuids if value in by_uuid]


class ConveneForm(UserChoiceMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    modality = forms.ChoiceField(
        label=_("Modality"), choices=Modality.choices, widget=forms.RadioSelect
    )
    place_or_link = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("Only participants see it. Prefer a link that needs a password."),
    )
    survivor_invited = forms.BooleanField(
        label=_("The survivor is invited (if possible and if she or he wishes)"), required=False
    )
    participants = forms.MultipleChoiceField(label=_("Participants"), required=True)
    agenda_progress = forms.CharField(
        label=AgendaKind.PROGRESS.label, max_length=200, required=False
    )
    agenda_barriers = forms.CharField(
        label=AgendaKind.BARRIERS.label, max_length=200, required=False
    )
    agenda_roles = forms.CharField(label=AgendaKind.ROLES.label, max_length=200, required=False)
    agenda_conflicts = forms.CharField(
        label=AgendaKind.CONFLICTS.label, max_length=200, required=False
    )
    agenda_plan_adjustments = forms.CharField(
        label=AgendaKind.PLAN_ADJUSTMENTS.label, max_length=200, required=False
    )
    agenda_other = forms.CharField(
        label=_("Other agenda items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )
    confirm = forms.BooleanField(
        label=COMMITMENT, help_text=CONFIDENTIALITY_STATEMENT, required=True
    )

    def __init__(self, *args: Any, eligible: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        _choice(self, "participants").choices = [(str(u.uuid), _label(u)) for u in eligible]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not any((data.get(name) or "").strip() for name, _kind in AGENDA_FIELDS)
            and not (data.get("agenda_other") or "").strip()
        ):
            self.add_error("agenda_progress", _("Add at least one agenda item."))
        return data

    def agenda(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        items = [(kind, data.get(name) or "") for name, kind in AGENDA_FIELDS]
        items += [
            (AgendaKind.OTHER, line)
            for line in (data.get("agenda_other") or "").splitlines()
            if line.strip()
        ]
        return [(kind, title.strip()) for kind, title in items if title.strip()]

    def chosen_users(self) -> list[Any]:
        return self.users_from(self.cleaned_data.get("participants") or [], self.eligible)

    def roles(self) -> dict[Any, str]:
        """Each chosen person's role in the conference, typed next to their name."""
        roles = {}
        for user in self.chosen_users():
            role = (self.data.get(f"role_{user.uuid}") or "").strip()[:100]
            if role:
                roles[user.pk] = role
        return roles

    def groups(self) -> list[dict[str, Any]]:
        """The eligible people grouped by organization, with what was typed kept."""
        chosen = set(self.data.getlist("participants")) if self.is_bound else set()  # type: ignore[attr-defined]
        groups: dict[Any, dict[str, Any]] = {}
        for user in self.eligible:
            group = groups.setdefault(
                user.organization_id,
                {"organization": user.organization, "people": []},
            )
            group["people"].append(
                {
                    "value": str(user.uuid),
                    "label": _label(user),
                    "checked": str(user.uuid) in chosen,
                    "role": self.data.get(f"role_{user.uuid}", "") if self.is_bound else "",
                }
            )
        return list(groups.values())


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=COMMITMENT, help_text=CONFIDENTIALITY_STATEMENT, required=True
    )


class ParticipantsForm(UserChoiceMixin, forms.Form):
    participants = forms.MultipleChoiceField(
        label=_("People to invite"), widget=forms.CheckboxSelectMultiple
    )
    role = forms.CharField(label=_("Role in the conference"), max_length=100, required=False)

    def __init__(self, *args: Any, eligible: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        _choice(self, "participants").choices = [
            (str(u.uuid), f"{_label(u)} · {u.organization.display_name}") for u in eligible
        ]

    def chosen_users(self) -> list[Any]:
        return self.users_from(self.cleaned_data.get("participants") or [], self.eligible)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Stored encrypted. Write what participants need; no more identifying detail "
            "than necessary."
        ),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    need = forms.ChoiceField(
        label=_("Need"),
        choices=NeedDomain.choices,
        initial=NeedDomain.PSYCHOSOCIAL,
        help_text=_(
            "For an owner of the case's organization the action joins the case's plan under "
            "a goal of this need."
        ),
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = [p.user for p in conference.participants.select_related("user__organization")]
        _choice(self, "owner").choices = [("", "—")] + [
            (str(u.uuid), f"{u.full_name or u.email} · {u.organization.display_name}")
            for u in self.people
        ]

    def owner_user(self) -> Any:
        value = self.cleaned_data["owner"]
        return next(u for u in self.people if str(u.uuid) == value)


class HeldForm(forms.Form):
    survivor_attended = forms.ChoiceField(
        label=_("Did the survivor attend?"),
        choices=[("", _("Not invited or not known")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    attended = forms.MultipleChoiceField(
        label=_("Who attended"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = [p.user for p in conference.participants.select_related("user__organization")]
        _choice(self, "attended").choices = [
            (str(u.uuid), f"{u.full_name or u.email} · {u.organization.display_name}")
            for u in self.people
        ]

    def attended_users(self) -> list[Any]:
        chosen = set(self.cleaned_data.get("attended") or [])
        return [u for u in self.people if str(u.uuid) in chosen]

    def survivor(self) -> bool | None:
        value = self.cleaned_data.get("survivor_attended")
        return {"yes": True, "no": False}.get(value or "")


class StatusNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
