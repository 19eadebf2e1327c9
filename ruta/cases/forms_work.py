"""Forms of the supervision and daily-work pages: asking for and deciding approvals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.cases.models import ApprovalKind

APPROVE = "approve"
RETURN = "return"


class ApprovalRequestForm(forms.Form):
    """What the caseworker asks a supervisor to approve (closures are asked when closing)."""

    kind = forms.ChoiceField(
        label=_("What"),
        choices=[
            (ApprovalKind.ASSESSMENT.value, ApprovalKind.ASSESSMENT.label),
            (ApprovalKind.ACTION_PLAN.value, ApprovalKind.ACTION_PLAN.label),
        ],
    )
    target = forms.UUIDField(label=_("Record"), widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    """Approve, or return with a comment that says what needs to change."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment for the caseworker"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when you return a request: say what needs to change. Do not write "
            "the survivor's name or contact details."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, urgent_risk: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if urgent_risk:  # closing with an urgent risk open: only a supervisor's reason
            self.fields["risk_override_reason"] = forms.CharField(
                label=_("Reason for closing despite the urgent risk"),
                required=False,  # required to approve, not to return (see clean)
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_(
                    "Required to approve: say why the case closes while an urgent risk is "
                    "open and what was done about it. Do not write the survivor's name or "
                    "contact details."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == RETURN and not str(data.get("comment", "")).strip():
            self.add_error("comment", _("Say what needs to change when you return a request."))
        if (
            "risk_override_reason" in self.fields
            and data.get("decision") == APPROVE
            and not str(data.get("risk_override_reason", "")).strip()
        ):
            self.add_error(
                "risk_override_reason",
                _("Say why the case closes despite the urgent risk, or return the request."),
            )
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == APPROVE
