"""GBV statistics pages: the agency's ISP, who signed, the suppressed tables, and the
published reports with their XLSX and PDF. Figures only, never a person; anything a user
may not see is answered 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.permissions import login_only, public
from ruta.statistics import access, report, tables
from ruta.statistics.forms import PeriodForm, PublishForm, SharingProtocolForm
from ruta.statistics.models import Audience, SharingProtocol

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest


def _default_period() -> tables.Period:
    period = tables.parse_period(tables.last_quarter())
    assert period is not None
    return period


@login_only
@require_http_methods(["GET", "POST"])
def isp_view(request: AuthenticatedRequest) -> HttpResponse:
    if not access.may_sign(request.user):
        raise Http404
    organization = request.user.organization
    assert organization is not None
    current = SharingProtocol.objects.filter(
        organization=organization, withdrawn_at__isnull=True
    ).first()
    form = SharingProtocolForm(
        request.POST or None, initial={"effective_from": timezone.localdate()}
    )
    if request.method == "POST" and current is None and form.is_valid():
        with transaction.atomic():
            protocol = form.save(commit=False)
            protocol.organization = organization
            protocol.signed_by = request.user
            protocol.signed_at = timezone.now()
            protocol.save()
            record(
                "statistics.isp_signed",
                actor=request.user,
                obj=protocol,
                organization=organization,
                details={
                    "analysts": protocol.share_with_analysts,
                    "coordinator": protocol.share_with_coordinator,
                    "public": protocol.share_with_public,
                    "threshold": protocol.threshold,
                    "from": protocol.effective_from.isoformat(),
                },
            )
        messages.success(request, _("Your agency's information sharing protocol is signed."))
        return redirect("statistics:isp")
    history = SharingProtocol.objects.filter(organization=organization).select_related()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "statistics/isp.html",
        {"organization": organization, "current": current, "form": form, "history": history},
        status=status,
    )


@login_only
@require_POST
def isp_withdraw_view(request: AuthenticatedRequest) -> HttpResponse:
    if not access.may_sign(request.user):
        raise Http404
    with transaction.atomic():
        protocol = (
            SharingProtocol.objects.select_for_update()
            .filter(organization_id=request.user.organization_id, withdrawn_at__isnull=True)
            .first()
        )
        if protocol is None:
            raise Http404
        protocol.withdrawn_at = timezone.now()
        protocol.withdrawn_by = request.user
        protocol.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            "statistics.isp_withdrawn",
            actor=request.user,
            obj=protocol,
            organization=protocol.organization,
            details={},
        )
    messages.success(request, _("The protocol is withdrawn: your agency shares nothing now."))
    return redirect("statistics:isp")


@login_only
@require_GET
def signatories_view(request: AuthenticatedRequest) -> HttpResponse:
    if not access.may_see_signatories(request.user):
        raise Http404
    active = {
        p.organization_id: p for p in SharingProtocol.objects.filter(withdrawn_at__isnull=True)
    }
    organizations = [(org, active.get(org.pk)) for org in Organization.objects.order_by("name")]
    return render(
        request,
        "statistics/signatories.html",
        {"organizations": organizations, "signed": len(active)},
    )


def _tables_context(audience: str, period: tables.Period) -> dict[str, Any]:
    protocols = tables.sharing_protocols(audience)
    try:
        data = report.suppressed(audience, period, protocols)
    except report.AuditFailed:
        return {"refused": True}
    return {
        "data": data,
        "shown": report.labelled(data["tables"], period.code),
        "sharing": len(protocols),
    }


@login_only
@require_GET
def tables_view(request: AuthenticatedRequest) -> HttpResponse:
    audience = access.audience_of(request.user)
    if audience is None:
        raise Http404
    asked = "period" in request.GET
    form = PeriodForm(request.GET if asked else None, initial={"period": tables.last_quarter()})
    period = form.cleaned_data["period"] if asked and form.is_valid() else _default_period()
    context = {
        "form": form,
        "period": period,
        "audience": Audience(audience),
        "publish_form": PublishForm(initial={"period": period.code, "audience": audience})
        if access.may_publish(request.user)
        else None,
        **_tables_context(audience, period),
    }
    record(
        "statistics.tables_viewed",
        actor=request.user,
        details={"audience": audience, "period": period.code},
    )
    return render(
        request,
        "statistics/tables.html",
        context,
        status=400 if asked and not form.is_valid() else 200,
    )


@login_only
@require_POST
def publish_view(request: AuthenticatedRequest) -> HttpResponse:
    if not access.may_publish(request.user):
        raise Http404
    form = PublishForm(request.POST)
    if form.is_valid():
        audience, period = form.cleaned_data["audience"], form.cleaned_data["period"]
        if not tables.sharing_protocols(audience):
            form.add_error("audience", _("No agency's protocol shares with this audience."))
        else:
            try:
                published = report.publish(request.user, audience, period)
            except report.AuditFailed:
                form.add_error(None, _("The suppression audit failed: nothing was published."))
            else:
                messages.success(request, _("The report is published."))
                return redirect("statistics:report_detail", uuid=published.uuid)
    return render(request, "statistics/publish.html", {"publish_form": form}, status=400)


@public
@require_GET
def report_list_view(request: HttpRequest) -> HttpResponse:
    reports = access.visible_reports(request.user).select_related()
    return render(request, "statistics/report_list.html", {"reports": reports})


def _visible(request: HttpRequest, uuid: Any) -> Any:
    return get_object_or_404(access.visible_reports(request.user), uuid=uuid)


@public
@require_GET
def report_detail_view(request: HttpRequest, uuid: Any) -> HttpResponse:
    published = _visible(request, uuid)
    return render(
        request,
        "statistics/report_detail.html",
        {"report": published, "shown": report.labelled(published.tables, published.period)},
    )


@public
@require_GET
def report_download_view(request: HttpRequest, uuid: Any, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    published = _visible(request, uuid)
    if fmt == "xlsx":
        content = report.as_xlsx(published)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = report.as_pdf(published), "application/pdf"
    record(
        "statistics.report_downloaded",
        actor=request.user if request.user.is_authenticated else None,
        obj=published,
        details={"format": fmt},
    )
    response = HttpResponse(content, content_type=kind)
    name = f"ruta-gbv-{published.period}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
