from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import i18n as i18n_views
from django.views.decorators.http import require_safe

from actionplans.access import programmes_visible_to
from actionplans.models import ActionProgramme, Round
from agreements.access import agreements_visible_to
from cities import rules as cities_rules
from cities.models import City, Profile
from emissions.baseline import city_baseline, claimed_measures
from reporting import my_tasks
from reporting import views as reporting_views


@require_safe
def health(request):
    """For a load balancer, and the floor of `make bench`: the server answers and the database
    answers one query. No login, no session, nothing about the programme."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    """The landing page: what waits for the user, the current round, its deadline and the user's
    own programmes; for those who may see it, the dashboard of the whole round."""
    current = Round.objects.current()
    programmes = ActionProgramme.objects.none()
    if current is not None:
        programmes = (
            programmes_visible_to(request.user)
            .filter(round=current, city_id__in=cities_rules.city_ids(request.user))
            .select_related("city", "submitted_draft")
            .with_totals()
        )
    board = reporting_views.dashboard_context(request, current)
    # The dashboard has counted the extension requests waiting for a decision already.
    waiting = getattr((board or {}).get("extension_requests"), "total", None)
    return render(
        request,
        "portal/home.html",
        {
            "tasks": my_tasks.tasks_for(request.user, current, pending_extensions=waiting),
            "round": current,
            "deadline": getattr(current, "deadline", None),
            "programmes": programmes,
            "board": board,
        },
    )


@login_required
def city_detail(request, slug):
    """A city's page: its programmes and the agreements it is party to, as far as the user may see them,
    and its emissions (public statistics) beside what its measures of the current round claim to cut."""
    if not cities_rules.is_member(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    city = get_object_or_404(City.objects.select_related("county"), slug=slug)
    current = Round.objects.current()
    baseline = city_baseline(city.emissions.all(), claimed_measures(request.user, city, current))
    programmes = (
        programmes_visible_to(request.user)
        .filter(city=city)
        .select_related("round__deadline", "submitted_draft")
        .with_totals()
        .order_by("-round__deadline__due_date")
    )
    agreements = (
        agreements_visible_to(request.user)
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
            "round": current,
            "baseline": baseline,
        },
    )


def set_language(request):
    """Django's language switch, which also keeps the choice in a logged-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
