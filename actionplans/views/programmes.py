"""Action programmes: the list, one programme, its versions and measures, submitting and reopening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actionplans import lineage, services, sharing
from actionplans.access import (
    get_draft_for_user,
    get_measure_for_user,
    get_programme_for_user,
    programmes_visible_to,
    reviews_visible_to,
)
from actionplans.filters import ProgrammeFilter
from actionplans.forms import (
    AssessForm,
    CarryOverForm,
    DraftNoteForm,
    DraftUploadForm,
    MeasureForm,
    ReopenForm,
)
from actionplans.models import ActionProgramme, Measure, ReviewComment
from actionplans.models.reviews import comments_of
from actionplans.rules import reads_as_another_city
from actionplans.views import shared
from cities.models import ThemeArea
from lib.downloads import safe_download_response
from lib.security import record
from lib.uploads import uploaded_files

# Rows on a page of a list of cities: a constant cost whatever the number of cities.
PER_PAGE = 50


@login_required
def programme_list(request):
    """The programmes of a round the user may see, a page of cities at a time."""
    filters = ProgrammeFilter(
        request.GET,
        programmes_visible_to(request.user)
        .select_related("city__county", "submitted_draft")
        .with_totals()
        .order_by("city__name"),
    )
    programmes = filters.qs
    status = request.GET.get("status")
    page = Paginator(programmes, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actionplans/programme_list.html",
        {
            "rounds": filters.rounds,
            "round": filters.chosen_round,
            "programmes": page.object_list,
            "page": page,
            "statuses": ActionProgramme.Status.choices,
            "status": status,
        },
    )


@login_required
def programme_detail(request, pk):
    programme = get_programme_for_user(request.user, pk)
    # The city reads the comments once they are sent; reviewers read them all.
    reviews = list(reviews_visible_to(request.user, programme))
    # The programme's sums come with its measures (summed over all of them in the database).
    measures = list(
        programme.measures.select_related("theme_area", "category")
        .annotate(total_effect=Window(Sum("expected_effect")), total_cost=Window(Sum("cost_estimate")))
        .prefetch_related(comments_of([r.pk for r in reviews]))
    )
    themes = []
    for theme in ThemeArea.objects.all():
        theme_measures = [m for m in measures if m.theme_area_id == theme.pk]
        themes.append({"theme": theme, "measures": theme_measures})
    first = measures[0] if measures else None
    totals = {"effect": first and first.total_effect, "cost": first and first.total_cost}
    # Another city reads what was submitted, not the drafts before it, nor who asked what of whom.
    another_city = reads_as_another_city(request.user, programme) and not request.user.is_superuser
    drafts = programme.drafts.select_related("uploaded_by")
    can_edit = request.user.has_perm("actionplans.change_programme", programme)
    return render(
        request,
        "actionplans/programme_detail.html",
        {
            "programme": programme,
            "deadline": getattr(programme.round, "deadline", None),
            "drafts": drafts.filter(pk=programme.submitted_draft_id) if another_city else drafts,
            "another_city": another_city,
            "can_share": request.user.has_perm("actionplans.share_programme", programme),
            "can_note": request.user.has_perm("actionplans.note_on_draft", programme),
            # Notes exist only on a draft that was shared at some time.
            "notes": programme.draft_notes.select_related("author") if programme.shared_at and not another_city else [],
            "note_form": DraftNoteForm(),
            "themes": themes,
            "all_measures": measures,
            "totals": totals,
            "history": [] if another_city else programme.status_changes.select_related("changed_by", "draft"),
            "can_edit": can_edit,
            "can_submit": request.user.has_perm("actionplans.submit_programme", programme),
            "can_reopen": request.user.has_perm("actionplans.reopen_programme", programme),
            "reviews": reviews,
            "general_comments": ReviewComment.objects.filter(review__in=[r.pk for r in reviews], measure__isnull=True)
            .select_related("author", "resolved_in", "review__theme_area")
            .prefetch_related("replies__author"),
            "can_answer": request.user.has_perm("actionplans.answer_comments", programme),
            "can_request_extension": request.user.has_perm("actionplans.request_extension", programme),
            "extension_requests": [] if another_city else programme.extension_requests.select_related("decided_by"),
            "carry_source": lineage.carry_source(programme) if can_edit else None,
            "measure_drops": programme.measure_drops.select_related("measure__programme__round"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_upload(request, pk):
    programme = get_programme_for_user(request.user, pk, "actionplans.change_programme")
    form = DraftUploadForm(request.POST or None, uploaded_files(request) or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.upload_draft(
                programme,
                file=form.cleaned_data["file"],
                inspected=form.inspected,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(number)s was uploaded.") % {"number": draft.number})
            return redirect("actionplans:programme_detail", pk=programme.pk)
    return render(request, "actionplans/draft_upload.html", {"programme": programme, "form": form})


@login_required
def draft_download(request, pk):
    draft = get_draft_for_user(request.user, pk)
    try:
        handle = draft.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    record(
        "draft_downloaded",
        request=request,
        programme=draft.programme_id,
        version=draft.number,
        file=draft.original_name,
    )
    return safe_download_response(
        handle, name=draft.original_name, content_type=draft.content_type, extension=draft.extension
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request, pk):
    programme = get_programme_for_user(request.user, pk, "actionplans.change_programme")
    initial = {"theme_area": request.GET.get("theme")} if request.GET.get("theme", "").isdigit() else {}
    form = MeasureForm(request.POST or None, initial=initial)
    return _save_measure(request, programme, form, _("The measure was added."))


@login_required
@require_http_methods(["GET", "POST"])
def measure_update(request, pk):
    measure = get_measure_for_user(request.user, pk)
    form = MeasureForm(request.POST or None, instance=measure)
    return _save_measure(request, measure.programme, form, _("The measure was saved."))


def _save_measure(request, programme, form, success_message):
    if request.method == "POST" and form.is_valid():
        try:
            services.save_measure(programme, form, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success_message)
            return redirect("actionplans:programme_detail", pk=programme.pk)
    return render(request, "actionplans/measure_form.html", {"programme": programme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, pk):
    measure = get_measure_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_measure(measure, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The measure “%(title)s” was removed.") % {"title": measure.title})
        return redirect("actionplans:programme_detail", pk=measure.programme_id)
    return render(request, "actionplans/measure_confirm_delete.html", {"measure": measure})


@login_required
def measure_detail(request, pk):
    """One measure: what the city claims and a reviewer assessed, its agreements and its lineage."""
    measure = get_measure_for_user(request.user, pk, "actionplans.view_measure")
    can_assess = request.user.has_perm("actionplans.assess_measure", measure)
    form = None
    if can_assess:
        form = AssessForm(
            initial={"assessed_effect": measure.assessed_effect, "assessed_reason": measure.assessed_reason}
        )
        form.helper.form_action = reverse("actionplans:measure_assess", args=[measure.pk])
    return render(
        request,
        "actionplans/measure_detail.html",
        {
            "measure": measure,
            "measures": [measure],
            "programme": measure.programme,
            "lineage": lineage.lineage_of(measure, request.user),
            "can_edit": request.user.has_perm("actionplans.change_measure", measure),
            "can_assess": can_assess,
            "assess_form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_assess(request, pk):
    """Set or clear a reviewer's assessment of a measure's effect."""
    measure = get_measure_for_user(request.user, pk, "actionplans.assess_measure")
    form = AssessForm(
        request.POST if request.method == "POST" else None,
        initial={"assessed_effect": measure.assessed_effect, "assessed_reason": measure.assessed_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_measure(
                measure,
                effect=form.cleaned_data["assessed_effect"],
                reason=form.cleaned_data["assessed_reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["assessed_effect"] is None:
                messages.success(request, _("The assessed effect was cleared."))
            else:
                messages.success(request, _("The assessed effect was saved."))
            return redirect("actionplans:measure_detail", pk=measure.pk)
    return render(
        request, "actionplans/measure_assess.html", {"measure": measure, "programme": measure.programme, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def carry_over(request, pk):
    """Keep, change or drop each measure of the city's latest submitted programme of an earlier round."""
    programme = get_programme_for_user(request.user, pk, "actionplans.change_programme")
    source = lineage.carry_source(programme)
    context = {"programme": programme, "source": source}
    if source is None:
        return render(request, "actionplans/carry_over.html", context)
    copies = list(lineage.copies_in(programme, source))
    drops = list(lineage.drops_from(programme, source))
    form = CarryOverForm(
        request.POST if request.method == "POST" else None,
        measures=lineage.pending_measures(source, programme),
        handled={m.carried_from_id for m in copies} | {d.measure_id for d in drops},
        source=source,
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.carry_over(programme, source=source, decisions=form.decisions, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            dropped = len(form.decisions) - len(made)
            changed = [m for m in made if m.carry == Measure.Carry.CHANGED]
            messages.success(
                request,
                _("Carried over: %(kept)s as they were, %(changed)s to change; %(dropped)s dropped.")
                % {"kept": len(made) - len(changed), "changed": len(changed), "dropped": dropped},
            )
            if len(changed) == 1:  # straight on to the one to change
                return redirect("actionplans:measure_update", pk=changed[0].pk)
            return redirect("actionplans:carry_over", pk=programme.pk)
    return render(request, "actionplans/carry_over.html", context | {"form": form, "copies": copies, "drops": drops})


@login_required
@require_http_methods(["GET", "POST"])
def programme_submit(request, pk):
    programme = get_programme_for_user(request.user, pk, "actionplans.submit_programme")
    latest = programme.drafts.select_related("uploaded_by").order_by("-number").first()
    error = None
    if request.method == "POST":
        try:
            programme = services.submit_programme(programme, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if programme.submitted_on_time:
                messages.success(request, _("The action programme was submitted. Thank you!"))
            else:
                messages.warning(request, _("The action programme was submitted after the deadline."))
            return redirect("actionplans:programme_detail", pk=programme.pk)
    stats = programme.measures.aggregate(count=Count("pk"), effect=Sum("expected_effect"))
    return render(
        request,
        "actionplans/programme_submit.html",
        {
            "programme": programme,
            "deadline": getattr(programme.round, "deadline", None),
            "latest": latest,
            "stats": stats,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_reopen(request, pk):
    programme = get_programme_for_user(request.user, pk, "actionplans.reopen_programme")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reopen_programme(programme, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("The programme was reopened for the city."))
        return redirect("actionplans:programme_detail", pk=programme.pk)
    return render(request, "actionplans/programme_reopen.html", {"programme": programme, "form": form})


@login_required
@require_POST
def programme_share(request, pk):
    """The city lets its theme coordinators read the draft before submitting it, or takes it back."""
    programme = get_programme_for_user(request.user, pk, "actionplans.share_programme")
    share = request.POST.get("share") == "yes"
    sharing.share_programme(programme, share=share, by=request.user)
    if share:
        messages.success(request, _("The coordinators can now read the draft and leave notes on it."))
    else:
        messages.success(request, _("The draft is no longer shared: only your city reads it."))
    return redirect("actionplans:programme_detail", pk=programme.pk)


@login_required
@require_POST
def draft_note_add(request, pk):
    """A coordinator's informal note on a shared draft."""
    programme = get_programme_for_user(request.user, pk, "actionplans.note_on_draft")
    form = DraftNoteForm(request.POST)
    if form.is_valid():
        try:
            sharing.add_draft_note(programme, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your note was saved; the city reads it at once."))
    else:
        messages.error(request, _("The note was not saved: %(errors)s") % {"errors": shared.errors(form)})
    return redirect(reverse("actionplans:programme_detail", args=[programme.pk]) + "#notes-heading")
