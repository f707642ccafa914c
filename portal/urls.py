from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts.urls import login_urlpatterns
from meetings.urls import calendar_urlpatterns
from portal import views

admin.site.site_header = _("Cities of the Future – administration")
admin.site.site_title = _("Cities of the Future – administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.health, name="health"),
    path("", include("reporting.urls")),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("calendar/", include(calendar_urlpatterns)),
    path("accounts/", include(login_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("people/", include("people.urls")),
    path("outbox/", include("outbox.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for it on pages without their own icon link (the admin, PDFs).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
    path("", include("actionplans.urls")),
    path("meetings/", include("meetings.urls")),
    path("agreements/", include("agreements.urls")),
    path("state/", include("state.urls")),
    path("emissions/", include("emissions.urls")),
    path("results/", include("results.urls")),
    path("search/", include("search.urls")),
    path("api/v1/", include("api.urls")),
    path("open/", include("opendata.urls")),
]
