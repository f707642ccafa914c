from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views

from actionplans.models import ActionProgramme, Round
from agreements.models import Agreement
from cities import rules as cities_rules
from cities.models import City, Profile
from portal import charts, dashboard, exports


@login_required
def home(request):
    """The landing page: the current round, its deadline and the user's own programmes;
    for those who may see it, the dashboard of the whole round."""
    current = Round.objects.current()
    programmes = ActionProgramme.objects.none()
    if current is not None:
        programmes = (
            ActionProgramme.objects.visible_to(request.user)
            .filter(round=current, city_id__in=cities_rules.city_ids(request.user))
            .select_related("city", "submitted_draft")
            .with_totals()
        )
    board = None
    if request.user.has_perm("portal.view_dashboard"):
        board = dashboard.build(request.user, current, timezone.now())
        # The counts cover every city; the table shows them a page at a time.
        board["city_page"] = Paginator(board["cities"], CITIES_PER_PAGE).get_page(request.GET.get("page"))
        board["texts"] = {
            "effect_by_theme": charts.text_alternative(
                board["effect_by_theme"], "name", "effect", unit=_("t CO₂e per year")
            ),
            "effect_by_city": charts.text_alternative(
                board["effect_by_city"], "city", "effect", unit=_("t CO₂e per year")
            ),
            "agreements_by_status": charts.text_alternative(
                board["agreements"]["by_status"] if board["agreements"] else [], "label", "count", decimals=0
            ),
        }
    return render(
        request,
        "portal/home.html",
        {
            "round": current,
            "deadline": getattr(current, "deadline", None),
            "programmes": programmes,
            "board": board,
            "status_badges": STATUS_BADGES,
        },
    )


CITIES_PER_PAGE = 50

# Colour only repeats what the badge's text says.
STATUS_BADGES = {
    dashboard.CityStatus.NOT_STARTED: "text-bg-secondary",
    dashboard.CityStatus.DRAFT: "text-bg-warning",
    dashboard.CityStatus.EXTENSION_GRANTED: "text-bg-info",
    dashboard.CityStatus.SUBMITTED_ON_TIME: "text-bg-success",
    dashboard.CityStatus.SUBMITTED_LATE: "text-bg-danger",
    dashboard.CityStatus.UNDER_REVIEW: "text-bg-primary",
    dashboard.CityStatus.REVIEWED: "text-bg-dark",
}

# Chart name -> (its rows from the dashboard, its drawing).
CHARTS = {
    "effect-by-theme": (dashboard.effect_by_theme, charts.effect_by_theme_svg),
    "effect-by-city": (dashboard.effect_by_city, charts.effect_by_city_svg),
    "agreements-by-status": (
        lambda user, round_: dashboard.agreements(user)["by_status"],
        charts.agreements_by_status_svg,
    ),
}


@login_required
# pygal styles its SVG with a <style> element; the relaxed policy is this image's only.
@csp_update({"style-src": ["'self'", "'unsafe-inline'"]})
def dashboard_chart(request, name):
    """One of the dashboard's charts as SVG, for the current round, with what the user may read."""
    if not request.user.has_perm("portal.view_dashboard"):
        raise PermissionDenied
    if name not in CHARTS:
        raise Http404
    gather, draw = CHARTS[name]
    response = HttpResponse(draw(gather(request.user, Round.objects.current())), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export(request, table, fmt):
    """A list as a CSV or XLSX file, with the page's filters and permissions (see `portal.exports`)."""
    return exports.export(request.user, table, fmt, request.GET)


@login_required
def city_detail(request, slug):
    """A city's page: its programmes and the agreements it is party to, as far as the user may see them."""
    if not cities_rules.is_member(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    city = get_object_or_404(City.objects.select_related("county"), slug=slug)
    programmes = (
        ActionProgramme.objects.visible_to(request.user)
        .filter(city=city)
        .select_related("round__deadline", "submitted_draft")
        .with_totals()
        .order_by("-round__deadline__due_date")
    )
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(parties__city=city)
        .distinct()
        .prefetch_related("theme_areas")
        .order_by("title")
    )
    return render(
        request,
        "portal/city_detail.html",
        {
            "city": city,
            "programmes": programmes,
            "agreements": agreements,
            "can_print": request.user.has_perm("reports.view_city_report", city),
        },
    )


def set_language(request):
    """Django's language switch, which also keeps the choice in a logged-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
