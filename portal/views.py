from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from actionplans.models import ActionProgramme, Round
from cities import rules as cities_rules


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
