"""Reviews across themes and cities: the cross-theme review of a programme and its
measure links, the city × theme grid, one theme across the cities, the climate effect
totals and the groups of similar measures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import analysis, services, similarity
from actionplans.access import (
    get_reviewed_programme_for_user,
)
from actionplans.filters import ReviewGridFilter
from actionplans.forms import LinkForm, ReviewForm
from actionplans.models import (
    ActionProgramme,
    Measure,
    MeasureCategory,
    MeasureLink,
    Review,
)
from actionplans.models.reviews import comments_of
from actionplans.views import shared
from actionplans.views.programmes import PER_PAGE
from cities.models import ThemeArea

COMPARE_PER_PAGE = 20  # cities on a page of one theme across the cities


@login_required
def cross_review(request, pk):
    """All themes' reviews and measures of one programme; the management's summary and links."""
    programme = get_reviewed_programme_for_user(request.user, pk)
    reviews = {r.theme_area_id: r for r in programme.reviews.select_related("theme_area")}
    cross = reviews.get(None) or Review(programme=programme, theme_area=None)
    measures = list(
        programme.measures.select_related("theme_area", "category").prefetch_related(
            comments_of(Review.objects.filter(programme=programme))
        )
    )
    can_write = request.user.has_perm("actionplans.write_review", cross)
    form = ReviewForm(request.POST or None, instance=cross, cross_theme=True)
    if request.method == "POST":
        shared.require(request.user, "actionplans.write_review", cross)
        if form.is_valid():
            review = services.review_for(programme, None)
            try:
                services.update_review(
                    review,
                    assessment=form.cleaned_data["assessment"],
                    status=form.cleaned_data["status"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("status", error)
            else:
                messages.success(request, _("The cross-theme summary was saved."))
                return redirect("actionplans:cross_review", pk=programme.pk)
    themes = [
        {
            "theme": theme,
            "review": reviews.get(theme.pk),
            "measures": [m for m in measures if m.theme_area_id == theme.pk],
        }
        for theme in ThemeArea.objects.all()
    ]
    return render(
        request,
        "actionplans/cross_review.html",
        {
            "programme": programme,
            "cross": cross,
            "themes": themes,
            "links": MeasureLink.objects.filter(source__programme=programme).select_related(
                "source__theme_area", "target__theme_area", "created_by"
            ),
            "can_write": can_write,
            "form": form if can_write else None,
            "link_form": _link_form(programme, measures) if can_write else None,
            "totals": analysis.programme_effect_by_theme(programme),
        },
    )


def _link_form(programme, measures):
    form = LinkForm(measures=measures)
    form.helper.form_action = reverse("actionplans:measure_link", args=[programme.pk])
    return form


@login_required
@require_POST
def measure_link(request, pk):
    programme = get_reviewed_programme_for_user(request.user, pk)
    shared.require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=None))
    measures = list(programme.measures.select_related("theme_area"))
    form = LinkForm(request.POST, measures=measures)
    if form.is_valid():
        try:
            services.link_measures(
                form.cleaned_data["source"],
                form.cleaned_data["target"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The measures were linked."))
    else:
        messages.error(request, _("The measures were not linked: %(errors)s") % {"errors": shared.errors(form)})
    return redirect("actionplans:cross_review", pk=programme.pk)


@login_required
def review_grid(request):
    """Every city against every theme area, with the review status in each cell."""
    shared.require(request.user, "actionplans.view_reviews")
    themes = list(ThemeArea.objects.all())
    filters = ReviewGridFilter(
        request.GET,
        ActionProgramme.objects.select_related("city")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.filter(theme_area__isnull=False)))
        .order_by("city__name"),
    )
    programmes = filters.qs
    round_, rounds = filters.chosen_round, filters.rounds
    page = Paginator(programmes, PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for programme in page.object_list:
        by_theme = {r.theme_area_id: r.status for r in programme.reviews.all()}
        rows.append(
            {
                "programme": programme,
                "cells": [(theme, by_theme.get(theme.pk, Review.Status.NOT_STARTED)) for theme in themes],
            }
        )
    return render(
        request,
        "actionplans/review_grid.html",
        {
            "round": round_,
            "rounds": rounds,
            "themes": themes,
            "rows": rows,
            "page": page,
            "status_labels": dict(Review.Status.choices),
        },
    )


@login_required
def theme_compare(request, theme):
    """One theme across all submitted programmes: measures by city, with effect and comments."""
    shared.require(request.user, "actionplans.view_reviews")
    theme = shared.theme(theme)
    round_, rounds = shared.round_choice(request)
    # A page of cities at a time: each city's measures and comments take room.
    in_theme = Measure.objects.filter(programme=OuterRef("pk"), theme_area=theme)
    programmes = ActionProgramme.objects.filter(Exists(in_theme), round=round_, status="submitted").order_by(
        "city__name", "pk"
    )
    page = Paginator(programmes.values_list("pk", flat=True), COMPARE_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    measures = (
        Measure.objects.filter(programme__in=shown, theme_area=theme)
        .select_related("programme__city", "category")
        .prefetch_related(comments_of(Review.objects.filter(programme__round=round_, theme_area=theme)))
        .order_by("programme__city__name", "programme", "title")
    )
    cities = {}
    for m in measures:
        cities.setdefault(m.programme.city, []).append(m)
    return render(
        request,
        "actionplans/theme_compare.html",
        {
            "theme": theme,
            "themes": ThemeArea.objects.all(),
            "round": round_,
            "rounds": rounds,
            "cities": list(cities.items()),
            "page": page,
            "totals": analysis.theme_effect_by_city(round_, theme, programmes=shown),
        },
    )


@login_required
def effect_totals(request):
    shared.require(request.user, "actionplans.view_reviews")
    round_, rounds = shared.round_choice(request)
    return render(
        request,
        "actionplans/effect_totals.html",
        {
            "round": round_,
            "rounds": rounds,
            "sets": [
                (_("Submitted programmes"), analysis.effect_totals(round_, submitted_only=True)),
                (_("All programmes, drafts included"), analysis.effect_totals(round_, submitted_only=False)),
            ],
            "status_labels": dict(Measure.Status.choices),
        },
    )


@login_required
def similar_measures(request):
    """The round's groups of similar measures, 20 a page, each with its first measures; or, with
    `?group=category-<id>` or `?group=text-<number>`, every measure of one group, 50 a page."""
    shared.require(request.user, "actionplans.view_reviews")
    round_, rounds = shared.round_choice(request)
    themes = list(ThemeArea.objects.all())
    context = {"round": round_, "rounds": rounds, "themes": themes}
    if "group" in request.GET:
        group = _similar_group(request.GET["group"], round_)
        if group is not None:
            context["group"] = group
            context["page"] = Paginator(group["members"], similarity.MEASURES_PER_PAGE).get_page(
                request.GET.get("page")
            )
            return render(request, "actionplans/similar_group.html", context)
        context["group_gone"] = True
    current = True
    groups = []
    if round_ is not None:
        groups, state = similarity.stored_groups(round_)
        current = similarity.groups_up_to_date(round_, state)
        if groups is None:  # never stored: the category groups, summed now, until the task has run
            groups = similarity.live_category_groups(round_, {t.pk: t for t in themes}, MeasureCategory.objects.in_bulk)
    page = Paginator(groups, similarity.GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    if round_ is not None:
        page.object_list = similarity.with_members(round_, page.object_list)
    context |= {"page": page, "groups_current": current, "shown": similarity.MEASURES_SHOWN}
    return render(request, "actionplans/similar_measures.html", context)


def _similar_group(value, round_):
    """The group `value` ("category-<id>" or "text-<number>") names, with its figures and its
    members (a queryset), or None if it names no group of the round."""
    kind, _sep, key = value.partition("-")
    if round_ is None or kind not in (similarity.CATEGORY, similarity.TEXT):
        return None
    if not (key.isascii() and key.isdigit() and len(key) < 19):
        return None
    stored = similarity.stored_group(round_, kind, int(key))
    if stored is not None:
        group = {f: getattr(stored, f) for f in similarity.PAGE_FIELDS}
    elif kind == similarity.CATEGORY and (category := MeasureCategory.objects.filter(pk=key).first()):
        # Not stored (yet): summed now.
        figures = similarity.group_members(round_, kind, int(key)).aggregate(**similarity.group_figures())
        group = figures | {"kind": kind, "key": int(key), "category": category, "theme_area": category.theme_area}
    else:
        return None
    if group["measures"] < 2:
        return None
    return group | {"members": similarity.group_members(round_, kind, int(key)).select_related("programme__city")}
