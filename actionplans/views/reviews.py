"""Reviews of one programme: the queue of a theme, reviewing a programme in a theme, the
city's answers, the submitted draft in the review frame. Views across themes and cities
are in `actionplans.views.across`."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from actionplans import changes, documents, services
from actionplans.access import (
    get_comment_for_user,
    get_draft_for_user,
    get_reviewed_measure_for_user,
    get_reviewed_programme_for_user,
)
from actionplans.filters import ReviewQueueFilter
from actionplans.forms import CandidateForm, CommentForm, ReplyForm, ReviewForm
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Measure,
    Review,
)
from actionplans.models.reviews import comments_of
from actionplans.views import shared
from cities.models import City, ThemeArea
from lib.downloads import safe_download_response
from lib.security import record


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


# Rows on a page of the queue, and the most cities offered as suggestions in its city field:
# a constant cost whatever the number of cities.
QUEUE_PER_PAGE = 50
CITY_SUGGESTIONS = 100


@login_required
def review_queue(request, theme):
    """Submitted programmes for one theme's reviewers, earliest submission first, a page at a time,
    with how many are in each review status."""
    shared.require(request.user, "actionplans.view_reviews")
    theme = shared.theme(theme)
    # One review per programme and theme; no ordering, so that Review's default one adds no joins.
    status = Review.objects.filter(programme=OuterRef("pk"), theme_area=theme).order_by().values("status")[:1]
    filters = ReviewQueueFilter(
        request.GET,
        ActionProgramme.objects.submitted()
        .select_related("city", "submitted_draft")
        .annotate(review_status=Coalesce(Subquery(status), Value(Review.Status.NOT_STARTED)))
        .order_by("submitted_at", "city__name", "pk"),
    )
    round_, rounds = filters.chosen_round, filters.rounds
    page = Paginator(filters.qs, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    # Suggestions for the city field while they are few; past that the field takes any name.
    cities = list(
        City.objects.filter(programmes__round=round_, programmes__status="submitted")
        .order_by("name")
        .only("name")[: CITY_SUGGESTIONS + 1]
    )
    return render(
        request,
        "actionplans/review_queue.html",
        {
            "theme": theme,
            "themes": ThemeArea.objects.all(),
            "round": round_,
            "rounds": rounds,
            "programmes": page.object_list,
            "page": page,
            "status_counts": filters.status_counts(),
            "statuses": Review.Status.choices,
            "status_labels": dict(Review.Status.choices),
            "chosen_status": request.GET.get("status", ""),
            "cities": cities if len(cities) <= CITY_SUGGESTIONS else [],
            "chosen_city": request.GET.get("city", ""),
        },
    )


@login_required
def review_detail(request, pk, theme):
    """One programme's review in one theme: the draft, the measures, the comments."""
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = shared.theme(theme)
    review = Review.objects.filter(programme=programme, theme_area=theme).select_related(
        "reviewed_draft"
    ).first() or Review(programme=programme, theme_area=theme)
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
    measure_changes = changes.since_review(review) if review.pk else None
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
            # The same for every measure of the page: they share the programme and the theme.
            "can_assess": request.user.has_perm(
                "actionplans.assess_measure", Measure(programme=programme, theme_area=theme)
            ),
            "review_form": ReviewForm(instance=review) if can_write else None,
            "comment_form": CommentForm(measures=measures) if can_write else None,
            "candidate_choices": CandidateForm().fields["kind"].choices,
            "history": review.status_changes.select_related("changed_by") if review.pk else [],
            "drafts": programme.drafts.all(),
            # Completed on an earlier version: what changed since (None otherwise).
            "changes": measure_changes,
            "text_changes": _text_changes(review, draft) if measure_changes is not None else None,
        },
    )


def _text_changes(review, draft):
    """The two versions' texts compared, once both were read; None until then."""
    old = review.reviewed_draft
    if draft is None or not (old.read_at and draft.read_at):
        return None
    lines, cut = documents.text_changes(old.text, draft.text)
    return {"lines": lines, "cut": cut}


@login_required
@require_POST
def review_save(request, pk, theme):
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = shared.theme(theme)
    shared.require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=theme))
    existing = Review.objects.filter(programme=programme, theme_area=theme).first()
    form = ReviewForm(request.POST, instance=existing or Review(programme=programme, theme_area=theme))
    if form.is_valid():
        completing = (
            form.cleaned_data["status"] == Review.Status.COMPLETED and form.current_status != Review.Status.COMPLETED
        )
        unresolved = existing.comments.filter(resolved_at__isnull=True).count() if existing else 0
        if completing and unresolved and request.POST.get("confirm") != "yes":
            # Asked first, with what was typed kept: nothing is saved until it is confirmed.
            return render(
                request,
                "actionplans/review_complete_confirm.html",
                {"programme": programme, "theme": theme, "unresolved": unresolved, "data": form.cleaned_data},
            )
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
        messages.error(request, _("The review was not saved: %(errors)s") % {"errors": shared.errors(form)})
    return redirect("actionplans:review_detail", pk=programme.pk, theme=theme.code)


@login_required
@require_POST
def comment_add(request, pk, theme):
    programme = get_reviewed_programme_for_user(request.user, pk)
    theme = shared.theme(theme)
    shared.require(request.user, "actionplans.write_review", Review(programme=programme, theme_area=theme))
    measures = list(programme.measures.filter(theme_area=theme))
    form = CommentForm(request.POST, measures=measures)
    if form.is_valid():
        review = services.review_for(programme, theme)
        measure = form.cleaned_data["measure"]
        services.add_comment(review, measure=measure, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("The comment was added."))
        if measure is not None:  # back to the measure it is about
            url = reverse("actionplans:review_detail", args=[programme.pk, theme.code])
            return redirect(f"{url}#measure-{measure.pk}")
    else:
        messages.error(request, _("The comment was not added: %(errors)s") % {"errors": shared.errors(form)})
    return redirect("actionplans:review_detail", pk=programme.pk, theme=theme.code)


@login_required
@require_POST
def measure_candidate(request, pk):
    measure = get_reviewed_measure_for_user(request.user, pk)
    shared.require(
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
    back = f"{_programme_url(comment)}#comment-{comment.pk}"
    # The version it was resolved in, or "none": resolved without a new version. Said, not guessed.
    chosen = request.POST.get("version", "")
    version = None
    if chosen != "none":
        version = comment.review.programme.drafts.filter(pk=chosen).first() if chosen.isdigit() else None
        if version is None:
            messages.error(request, _("Say in which version the comment was resolved, or that it was without one."))
            return _back(request, back)
    services.resolve_comment(comment, by=request.user, version=version)
    messages.success(request, _("The comment was marked resolved."))
    return _back(request, back)


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
    record(
        "draft_downloaded",
        request=request,
        programme=draft.programme_id,
        version=draft.number,
        file=draft.original_name,
        shown="inline",
    )
    return safe_download_response(
        handle, name=draft.original_name, content_type=draft.content_type, extension=draft.extension, inline=True
    )
