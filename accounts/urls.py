from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import password_reset, profile, security_log, sso, two_factor

app_name = "accounts"

urlpatterns = [
    path("security-log/", security_log.security_log, name="security_log"),
    path("security-log/csv/", security_log.security_log_csv, name="security_log_csv"),
    path("unlock/", security_log.unlock, name="unlock"),
    path("password-reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", profile.profile, name="profile"),
    path("password-change/", profile.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", profile.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
]

# Single sign-on: there only when it is configured (OIDC_RP_CLIENT_ID).
sso_urlpatterns = [
    path("sso/start/", sso.SSOStartView.as_view(), name="sso_start"),
    path("sso/callback/", sso.SSOCallbackView.as_view(), name="sso_callback"),
]
if settings.SSO_ENABLED:
    urlpatterns += sso_urlpatterns

# Login and logout keep their short, unnamespaced names (settings.LOGIN_URL).
login_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
