from django.urls import path

from ruta.accounts import views

app_name = "accounts"

urlpatterns = [
    path("cuenta/entrar/", views.login_view, name="login"),
    path("cuenta/entrar/verificar/", views.login_verify_view, name="login_verify"),
    path("cuenta/salir/", views.logout_view, name="logout"),
    path("cuenta/seguridad/", views.security_view, name="security"),
    path("cuenta/seguridad/2fa/", views.two_factor_setup_view, name="two_factor_setup"),
    path("cuenta/seguridad/codigos/", views.recovery_codes_view, name="recovery_codes"),
    path(
        "cuenta/seguridad/cerrar-sesiones/", views.logout_everywhere_view, name="logout_everywhere"
    ),
    path("cuenta/seguridad/contrasena/", views.password_change_view, name="password_change"),
    path("cuenta/contrasena/olvido/", views.password_reset_view, name="password_reset"),
    path("cuenta/contrasena/enviado/", views.password_reset_done_view, name="password_reset_done"),
    path(
        "cuenta/contrasena/nueva/<uidb64>/<token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path(
        "cuenta/contrasena/lista/",
        views.password_reset_complete_view,
        name="password_reset_complete",
    ),
    path("usuarios/", views.user_list_view, name="user_list"),
    path("usuarios/invitar/", views.user_invite_view, name="user_invite"),
    path("usuarios/<uuid:user_uuid>/", views.user_detail_view, name="user_detail"),
    path("usuarios/<uuid:user_uuid>/rol/", views.user_role_view, name="user_role"),
    path("usuarios/<uuid:user_uuid>/estado/", views.user_active_view, name="user_active"),
    path(
        "usuarios/<uuid:user_uuid>/reiniciar-2fa/", views.user_reset_2fa_view, name="user_reset_2fa"
    ),
    path("usuarios/roles/", views.role_grant_list_view, name="role_grant_list"),
    path(
        "usuarios/roles/<uuid:grant_uuid>/confirmar/",
        views.role_grant_confirm_view,
        name="role_grant_confirm",
    ),
    path(
        "usuarios/roles/<uuid:grant_uuid>/rechazar/",
        views.role_grant_refuse_view,
        name="role_grant_refuse",
    ),
    path(
        "usuarios/<uuid:user_uuid>/enlace/",
        views.user_resend_invite_view,
        name="user_resend_invite",
    ),
]
