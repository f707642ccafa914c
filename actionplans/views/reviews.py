"""Reviews: the queue of a theme, reviewing one programme, the city's answers,
the cross-theme view, the city × theme grid, one theme across cities, the
climate effect totals and the groups of similar measures."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from actionplans import analysis, services
from actionplans.access import (
    get_comment_for_user,
    get_draft_for_user,
    get_reviewed_measure_for_user,
    get_reviewed_programme_for_user,
)
from actionplans.filters import ReviewGridFilter, ReviewQueueFilter, choose_round
from actionplans.forms import CandidateForm, CommentForm, LinkForm, ReplyForm, ReviewForm
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Measure,
    MeasureLink,
    Review,
    Round,
)
from actionplans.models.reviews import comments_of
from actionplans.views.programmes import PER_PAGE
from cities.models import City, ThemeArea
from lib.downloads import safe_download_response

COMPARE_PER_PAGE = 20  # cities on a page of one theme across the cities


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _round(request):
    rounds = list(Round.objects.select_related("deadline"))
    return choose_round(request.GET.get("round"), rounds), rounds


def _theme(code):
    return get_object_or_404(ThemeArea, code=code)


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def review_queue(request, theme):
    """Submitted programmes for one theme's reviewers, earliest submission first."""
    _require(request.user, "actionplans.view_reviews")
    theme = _theme(theme)
    status = Review.objects.filter(programme=OuterRef("pk"), theme_area=theme).values("status")[:1]
    filters = ReviewQueueFilter(
        request.GET,
        ActionProgramme.objects.submitted()
        .select_related("city", "submitted_draft")
        .annotate(review_status=Subquery(status))
        .order_by("submitted_at", "city__name"),
    )
    programmes = filters.qs
    round_, rounds = filters.chosen_round, filters.rounds
    chosen_status = request.GET.get("status", "")
    chosen_city = request.GET.get("city", "")
    return render(
        request,
        "actionplans/review_queue.html",
        {
            "theme": theme,
            "themes": ThemeArea.objects.all(),
            "round": round_,
            "rounds": rounds,
            "programmes": programmes,
            "statuses": Review.Status.choices,
            "status_labels": dict(Review.Status.choices),
            "chosen_status": chosen_status,
            "cities": City.objects.filter(programmes__round=round_, programmes__status="submitted").order_by("name"),
            "chosen_city": chosen_city,
        },
    )


@login_required
def review_detail(request, pk, theme):
    """One programme's review in one theme: the draft, the measures, the comments."""
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = _theme(theme)
    review = Review.objects.filter(programme=programme, theme_area=theme).first() or Review(
        programme=programme, theme_area=theme
    )
    measures = list(
        programme.measures.filter(theme_area=theme)
        .select_related("category")
        .prefetch_related(comments_of(Review.objects.filter(programme=programme, theme_area=theme)))
    )
    general = []
    if review.pk:
        general = (
            review.comments.filter(measure__isnull=True)
            .select_related("author")
            .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author")))
        )
    can_write = request.user.has_perm("actionplans.write_review", review)
    draft = programme.submitted_draft
    return render(
        request,
        "actionplans/review_detail.html",
        {
            "programme": programme,
            "theme": theme,
            "themes": ThemeArea.objects.all(),
            "review": review,
            "measures": measures,
            "general_comments": general,
            "draft": draft,
            "draft_is_pdf": draft is not None and draft.content_type == "application/pdf",
            "can_write": can_write,
            "review_form": ReviewForm(instance=review) if can_write else None,
            "comment_form": CommentForm(measures=measures) if can_write else None,
            "candidate_choices": CandidateForm().fields["kind"].choices,
            "history": review.status_changes.select_related("changed_by") if review.pk else [],
        },
    )


@login_required
@require_POST
def review_save(request, pk, theme):
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = _theme(theme)
    _require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=theme))
    existing = Review.objects.filter(programme=programme, theme_area=theme).first()
    form = ReviewForm(request.POST, instance=existing or Review(programme=programme, theme_area=theme))
    if form.is_valid():
        review = services.review_for(programme, theme)
        try:
            services.update_review(
                review, assessment=form.cleaned_data["assessment"], status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, _("The review was not saved: %(errors)s") % {"errors": " ".join(error.messages)})
        else:
            messages.success(request, _("The review was saved."))
    else:
        messages.error(request, _("The review was not saved: %(errors)s") % {"errors": _errors(form)})
    return redirect("actionplans:review_detail", pk=programme.pk, theme=theme.code)


def _errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def comment_add(request, pk, theme):
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = _theme(theme)
    _require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=theme))
    measures = list(programme.measures.filter(theme_area=theme))
    form = CommentForm(request.POST, measures=measures)
    if form.is_valid():
        review = services.review_for(programme, theme)
        services.add_comment(
            review, measure=form.cleaned_data["measure"], text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("The comment was added."))
    else:
        messages.error(request, _("The comment was not added: %(errors)s") % {"errors": _errors(form)})
    return redirect("actionplans:review_detail", pk=programme.pk, theme=theme.code)


@login_required
@require_POST
def measure_candidate(request, pk):
    measure = get_reviewed_measure_for_user(request.user, pk)
    _require(
        request.user, "actionplans.write_review", Review(programme=measure.programme, theme_area=measure.theme_area)
    )
    form = CandidateForm(request.POST)
    if form.is_valid():
        services.mark_candidate(measure, kind=form.cleaned_data["kind"], by=request.user)
        messages.success(request, _("The measure “%(title)s” was updated.") % {"title": measure.title})
    else:
        messages.error(request, _("Choose a kind of agreement from the list."))
    return _back(request, f"{_review_url(measure.programme_id, measure.theme_area.code)}#measure-{measure.pk}")


def _review_url(pk, theme):
    return reverse("actionplans:review_detail", args=[pk, theme])


@login_required
@require_POST
def comment_reply(request, pk):
    comment = get_comment_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reply_to_comment(comment, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Your answer was saved."))
    else:
        messages.error(request, _("Write an answer before you send it."))
    return _back(request, f"{_programme_url(comment)}#comment-{comment.pk}")


@login_required
@require_POST
def comment_resolve(request, pk):
    comment = get_comment_for_user(request.user, pk)
    services.resolve_comment(comment, by=request.user)
    messages.success(request, _("The comment was marked resolved."))
    return _back(request, f"{_programme_url(comment)}#comment-{comment.pk}")


def _programme_url(comment):
    return reverse("actionplans:programme_detail", args=[comment.review.programme_id])


@login_required
@xframe_options_sameorigin
# Framed by our own review page; Chromium shows the PDF with its built-in viewer (an object).
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})
def draft_inline(request, pk):
    """A PDF version shown in the browser, on the review page, after the same check as a download."""
    draft = get_draft_for_user(request.user, pk)
    if draft.content_type != "application/pdf":
        raise Http404
    try:
        handle = draft.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return safe_download_response(
        handle, name=draft.original_name, content_type=draft.content_type, extension=draft.extension, inline=True
    )


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
        _require(request.user, "actionplans.write_review", cross)
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
    _require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=None))
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
        messages.error(request, _("The measures were not linked: %(errors)s") % {"errors": _errors(form)})
    return redirect("actionplans:cross_review", pk=programme.pk)


@login_required
def review_grid(request):
    """Every city against every theme area, with the review status in each cell."""
    _require(request.user, "actionplans.view_reviews")
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
        rows.append({"programme": programme, "cells": [(theme, by_theme.get(theme.pk)) for theme in themes]})
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
    _require(request.user, "actionplans.view_reviews")
    theme = _theme(theme)
    round_, rounds = _round(request)
    # A page of cities at a time: each city's measures and comments take room.
    programmes = (
        ActionProgramme.objects.filter(round=round_, status="submitted", measures__theme_area=theme)
        .distinct()
        .order_by("city__name", "pk")
    )
    page = Paginator(programmes.values_list("pk", flat=True), COMPARE_PER_PAGE).get_page(request.GET.get("page"))
    measures = (
        Measure.objects.filter(programme__in=list(page.object_list), theme_area=theme)
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
            "totals": analysis.theme_effect_by_city(round_, theme),
        },
    )


@login_required
def effect_totals(request):
    _require(request.user, "actionplans.view_reviews")
    round_, rounds = _round(request)
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
    _require(request.user, "actionplans.view_reviews")
    round_, rounds = _round(request)
    return render(
        request,
        "actionplans/similar_measures.html",
        {
            "round": round_,
            "rounds": rounds,
            "page": Paginator(analysis.similar_groups(round_), 20).get_page(request.GET.get("page")),
        },
    )
