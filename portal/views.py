from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from actionplans.models import ActionProgramme, Round
from agreements.models import Agreement
from cities import rules as cities_rules
from cities.models import City


@login_required
def home(request):
    """The landing page: the current round, its deadline and the user's programmes."""
    current = Round.objects.current()
    programmes = ActionProgramme.objects.none()
    status_counts = []
    if current is not None:
        visible = ActionProgramme.objects.visible_to(request.user).filter(round=current)
        programmes = (
            visible.filter(city_id__in=cities_rules.city_ids(request.user))
            .select_related("city", "submitted_draft")
            .with_totals()
        )
        if cities_rules.is_programme_reader(request.user):
            counts = dict(visible.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
            status_counts = [(value, label, counts.get(value, 0)) for value, label in ActionProgramme.Status.choices]
    return render(
        request,
        "portal/home.html",
        {
            "round": current,
            "deadline": getattr(current, "deadline", None),
            "programmes": programmes,
            "status_counts": status_counts,
        },
    )


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
        {"city": city, "programmes": programmes, "agreements": agreements},
    )
