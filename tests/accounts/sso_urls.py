"""The portal's URLs with single sign-on mounted, as when OIDC_RP_CLIENT_ID is set (accounts/urls.py
reads it once, at import)."""

from django.urls import include, path

from accounts import urls as accounts_urls
from portal import urls as portal_urls

urlpatterns = [
    path("accounts/", include((accounts_urls.urlpatterns + accounts_urls.sso_urlpatterns, "accounts"))),
    *(pattern for pattern in portal_urls.urlpatterns if getattr(pattern, "namespace", None) != "accounts"),
]
