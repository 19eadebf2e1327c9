"""Log in (password, then second factor), enrol 2FA, account security, user management."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts import actions, throttle
from ruta.accounts.access import (
    RECENT_GRANT_DAYS,
    get_manageable_user,
    get_role_grant_for_user,
    manageable_users,
    pending_and_recent_role_grants,
)
from ruta.accounts.forms import EnrolForm, InviteForm, LoginForm, OtpForm, RoleForm
from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import (
    TWO_FACTOR_ROLES,
    Cap,
    capability_required,
    grantable_roles,
    login_only,
    public,
    user_can,
)

PENDING_KEY = "ruta_pending_2fa"
PENDING_SECONDS = 300
MAX_OTP_ATTEMPTS = 5


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:dashboard")


def _complete_login(request: HttpRequest, user: User, device: Any, next_url: str) -> HttpResponse:
    login(request, user, backend="ruta.accounts.backends.EmailBackend")
    if device is not None:
        otp_login(request, device)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


@public
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request, next_url))
    if request.method == "POST" and throttle.account_locked(request.POST.get("username", "")):
        return lockout_response(request, account_wide=True)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        target = _safe_next(request, next_url)
        if user.has_two_factor:
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "at": int(time.time()),
                "next": target,
                "tries": 0,
            }
            return redirect("accounts:login_verify")
        return _complete_login(request, user, None, target)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            record(
                "2fa.verified",
                actor=user,
                request=request,
                obj=user,
                details={
                    "method": "recovery_code"
                    if device.__class__.__name__ == "StaticDevice"
                    else "totp"
                },
            )
            return _complete_login(request, user, device, pending["next"])
        pending["tries"] += 1
        record(
            "2fa.failed", actor=user, request=request, obj=user, details={"tries": pending["tries"]}
        )
        if pending["tries"] >= MAX_OTP_ATTEMPTS:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _("Too many wrong codes. Please log in again."))
            return redirect("accounts:login")
        request.session[PENDING_KEY] = pending
        form.add_error("token", _("This code is not valid. Try the current code again."))
    return render(request, "accounts/login_verify.html", {"form": form})


def lockout_response(
    request: HttpRequest,
    original_response: Any = None,
    credentials: Any = None,
    *,
    account_wide: bool = False,
) -> HttpResponse:
    """The same answer for a locked account whether the password was right or not."""
    if account_wide:  # failures from many addresses together (throttle.account_locked)
        message = _(
            "Too many failed attempts for this account. It is locked for %(minutes)d minutes."
        ) % {"minutes": _lockout_minutes()}
    else:
        message = _(
            "Too many failed attempts. This account is locked on this device for "
            "%(minutes)d minutes."
        ) % {"minutes": _lockout_minutes()}
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": "locked"}, status=429)
    form = LoginForm(request)
    return render(
        request, "accounts/login.html", {"form": form, "locked_message": message}, status=429
    )


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


@login_only
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if request.method == "GET" or device is None:
        device = actions.start_totp_enrolment(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_totp_enrolment(user, device, form.cleaned_data["token"], request)
        if codes is not None:
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "token", _("This code is not valid. Check your phone's clock and try again.")
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    secret = _base32_secret(device)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": svg,
            "secret": secret,
            "required": user.role in TWO_FACTOR_ROLES,
            "already": user.has_two_factor,
        },
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_only
@never_cache
def security_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    from django_otp.plugins.otp_static.models import StaticToken

    remaining = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return render(
        request,
        "accounts/security.html",
        {"two_factor": user.has_two_factor, "recovery_remaining": remaining},
    )


@login_only
@require_POST
def recovery_codes_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    if not user.has_two_factor:
        return redirect("accounts:two_factor_setup")
    codes = actions.regenerate_recovery_codes(user, request)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_only
@require_POST
def logout_everywhere_view(request: AuthenticatedRequest) -> HttpResponse:
    actions.log_out_everywhere(request.user, request)
    logout(request)
    messages.success(request, _("You have been logged out of every session."))
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record("user.password_changed", request=self.request, obj=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not throttle.reset_allowed(self.request, email):
            # The same page as always, and no e-mail: nobody learns which addresses exist.
            record("auth.password_reset_throttled", request=self.request)
            return redirect(self.get_success_url())
        record(
            throttle.RESET_EVENT,
            request=self.request,
            details={
                "known_account": get_user_model().objects.filter(email__iexact=email).exists(),
                "account": throttle.reset_key(email),
            },
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record("user.password_reset", actor=form.user, request=self.request, obj=form.user)
        return response


password_change_view = login_only(PasswordChangeView.as_view())
password_reset_view = public(PasswordResetView.as_view())
password_reset_done_view = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm_view = public(PasswordResetConfirmView.as_view())
password_reset_complete_view = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


# --- User management --------------------------------------------------------


@capability_required(Cap.MANAGE_AGENCY_USERS)
def user_list_view(request: AuthenticatedRequest) -> HttpResponse:
    users = manageable_users(request.user).order_by("organization__name", "email")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(email__icontains=query) | users.filter(full_name__icontains=query)
    role = request.GET.get("role", "")
    if role:
        users = users.filter(role=role)
    page = paginate(request, users, per_page=50)
    pending, recent = pending_and_recent_role_grants(request.user)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": querystring_without_page(request),
            "q": query,
            "role": role,
            "pending_grants": pending,
            "recent_grants": recent[:20],
            "recent_days": RECENT_GRANT_DAYS,
        },
    )


def _organizations_for(actor: User) -> Any:
    if user_can(actor, Cap.MANAGE_ALL_USERS):
        return Organization.objects.filter(active=True)
    return Organization.objects.filter(pk=actor.organization_id)


@capability_required(Cap.MANAGE_AGENCY_USERS)
@require_http_methods(["GET", "POST"])
def user_invite_view(request: AuthenticatedRequest) -> HttpResponse:
    actor: User = request.user
    form = InviteForm(
        request.POST or None, roles=grantable_roles(actor), organizations=_organizations_for(actor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.invite_user(actor, request=request, **form.cleaned_data)
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            if actions.pending_role_grant(user) is not None:
                messages.success(
                    request,
                    _(
                        "Account created for %(email)s. It is waiting for confirmation by a "
                        "second person (a supervisor or another administrator); the invitation "
                        "goes out once it is confirmed."
                    )
                    % {"email": user.email},
                )
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": user.email}
                )
            return redirect("accounts:user_detail", user_uuid=user.uuid)
    return render(request, "accounts/user_invite.html", {"form": form})


@capability_required(Cap.MANAGE_AGENCY_USERS)
def user_detail_view(request: AuthenticatedRequest, user_uuid: str) -> HttpResponse:
    actor: User = request.user
    user = get_manageable_user(actor, user_uuid)
    role_form = RoleForm(initial={"role": user.role}, roles=grantable_roles(actor))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "role_form": role_form,
            "can_change": user.pk != actor.pk and user.role in grantable_roles(actor),
            "pending_grant": actions.pending_role_grant(user),
        },
    )


def _user_change(request: AuthenticatedRequest, user_uuid: str, change: Any) -> HttpResponse:
    actor = request.user
    user = get_manageable_user(actor, user_uuid)
    try:
        change(actor, user)
    except actions.AccountError as error:
        messages.error(request, str(error))
    return redirect("accounts:user_detail", user_uuid=user.uuid)


@capability_required(Cap.MANAGE_AGENCY_USERS)
@require_POST
def user_role_view(request: AuthenticatedRequest, user_uuid: str) -> HttpResponse:
    form = RoleForm(request.POST, roles=grantable_roles(request.user))

    def change(actor: User, user: User) -> None:
        if not form.is_valid():
            raise actions.AccountError(_("You cannot grant this role."))
        actions.change_role(actor, user, form.cleaned_data["role"], request)
        if user.role == form.cleaned_data["role"]:
            messages.success(request, _("Role changed."))
        else:
            messages.success(
                request,
                _(
                    "Role change requested. It is waiting for confirmation by a second person "
                    "(a supervisor or another administrator)."
                ),
            )

    return _user_change(request, user_uuid, change)


@capability_required(Cap.MANAGE_AGENCY_USERS)
@require_POST
def user_active_view(request: AuthenticatedRequest, user_uuid: str) -> HttpResponse:
    active = request.POST.get("active") == "1"

    def change(actor: User, user: User) -> None:
        actions.set_active(actor, user, active, request)
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))

    return _user_change(request, user_uuid, change)


@capability_required(Cap.MANAGE_AGENCY_USERS)
@require_POST
def user_reset_2fa_view(request: AuthenticatedRequest, user_uuid: str) -> HttpResponse:
    def change(actor: User, user: User) -> None:
        actions.reset_two_factor(actor, user, request)
        messages.success(
            request, _("Two-factor authentication was reset; the person must enrol again.")
        )

    return _user_change(request, user_uuid, change)


@capability_required(Cap.MANAGE_AGENCY_USERS)
@require_POST
def user_resend_invite_view(request: AuthenticatedRequest, user_uuid: str) -> HttpResponse:
    def change(actor: User, user: User) -> None:
        actions.send_password_link(actor, user, request)
        messages.success(request, _("A link to set the password was sent."))

    return _user_change(request, user_uuid, change)


# --- Role grants: a second person confirms case-data roles ------------------


@capability_required(Cap.DECIDE_ROLE_GRANTS)
def role_grant_list_view(request: AuthenticatedRequest) -> HttpResponse:
    pending, recent = pending_and_recent_role_grants(request.user)
    return render(
        request,
        "accounts/role_grant_list.html",
        {
            "pending_grants": pending,
            "recent_grants": recent,
            "recent_days": RECENT_GRANT_DAYS,
        },
    )


def _decide(request: AuthenticatedRequest, grant_uuid: str, decide: Any, done: str) -> HttpResponse:
    actor = request.user
    grant = get_role_grant_for_user(actor, grant_uuid)
    try:
        decide(actor, grant, request)
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("accounts:role_grant_list")


@capability_required(Cap.DECIDE_ROLE_GRANTS)
@require_POST
def role_grant_confirm_view(request: AuthenticatedRequest, grant_uuid: str) -> HttpResponse:
    return _decide(request, grant_uuid, actions.confirm_role_grant, _("Role grant confirmed."))


@capability_required(Cap.DECIDE_ROLE_GRANTS)
@require_POST
def role_grant_refuse_view(request: AuthenticatedRequest, grant_uuid: str) -> HttpResponse:
    return _decide(request, grant_uuid, actions.refuse_role_grant, _("Role grant refused."))
