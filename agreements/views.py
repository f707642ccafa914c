from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actionplans.access import submitted_measures_visible_to
from actionplans.models import AgreementKind
from agreements import services
from agreements.access import agreements_visible_to, get_agreement_for_user, with_relations
from agreements.filters import AgreementFilter
from agreements.forms import AgreementForm, DocumentForm, StatusForm
from agreements.models import Agreement, AgreementDocument
from cities.models import City, Organisation, ThemeArea
from lib.downloads import safe_download_response
from lib.uploads import uploaded_files


@login_required
def pipeline(request):
    """Agreements by status, filtered by kind, theme area, city and party, with counts and total value."""
    if not request.user.has_perm("agreements.list_agreements"):
        raise PermissionDenied
    agreements = AgreementFilter(request.GET, agreements_visible_to(request.user)).qs.distinct()
    filters = {name: request.GET.get(name, "") for name in ("kind", "theme", "city", "party")}
    totals = {
        row["status"]: row
        for row in Agreement.objects.filter(pk__in=agreements.values("pk"))
        .values("status")
        .annotate(count=Count("pk"), value=Sum("value"))
    }
    listed = list(with_relations(agreements).order_by("title"))
    columns = [
        {
            "status": value,
            "label": label,
            "agreements": [a for a in listed if a.status == value],
            "count": totals.get(value, {}).get("count", 0),
            "value": totals.get(value, {}).get("value"),
        }
        for value, label in Agreement.Status.choices
    ]
    return render(
        request,
        "agreements/pipeline.html",
        {
            "columns": columns,
            "filters": filters,
            "kinds": AgreementKind.choices,
            "themes": ThemeArea.objects.all(),
            "cities": City.objects.all(),
            "organisations": Organisation.objects.all(),
            "total_count": len(listed),
            "total_value": Agreement.objects.filter(pk__in=agreements.values("pk")).aggregate(v=Sum("value"))["v"],
            "can_add": request.user.has_perm("agreements.add_agreement"),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "history": agreement.status_changes.select_related("changed_by", "decision__minutes__meeting"),
            "documents": agreement.documents.select_related("uploaded_by"),
            "measures": agreement.measures.select_related("programme__city", "theme_area"),
            "decisions": agreement.decisions.select_related("minutes__meeting"),
            "action_items": agreement.action_items.select_related("minutes__meeting", "owner"),
            "can_change": request.user.has_perm("agreements.change_agreement", agreement),
            "status_form": _status_form(request.user, agreement),
        },
    )


def _status_form(user, agreement):
    """The form that moves the agreement on, for whoever may, while its table lets it move at all."""
    if not user.has_perm("agreements.change_status", agreement):
        return None
    form = StatusForm(agreement=agreement, user=user)
    return form if form.offers_a_move else None


def _save(request, form, success):
    agreement = services.save_agreement(
        form, cities=form.cleaned_data["cities"], organisations=form.cleaned_data["organisations"], by=request.user
    )
    messages.success(request, success)
    return redirect("agreements:agreement_detail", pk=agreement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    if not request.user.has_perm("agreements.add_agreement"):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, _("The agreement was proposed."))
    return render(request, "agreements/agreement_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_update(request, pk):
    agreement = get_agreement_for_user(request.user, pk, "agreements.change_agreement")
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, _("The agreement was saved."))
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
@require_POST
def agreement_from_measures(request):
    """Start an agreement from a group of candidate measures, in one step."""
    if not request.user.has_perm("agreements.start_from_measures"):
        raise PermissionDenied
    ids = [i for i in request.POST.getlist("measures") if i.isdigit()]
    measures = submitted_measures_visible_to(request.user).filter(pk__in=ids)
    try:
        agreement = services.start_from_measures(measures, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("actionplans:similar_measures")
    messages.success(
        request,
        _("The agreement was started from %(n)s measures. Fill in the rest.") % {"n": agreement.measures.count()},
    )
    return redirect("agreements:agreement_update", pk=agreement.pk)


@login_required
@require_POST
def agreement_status(request, pk):
    agreement = get_agreement_for_user(request.user, pk, "agreements.change_status")
    form = StatusForm(request.POST, agreement=agreement, user=request.user)
    if form.is_valid():
        try:
            services.change_status(
                agreement,
                to_status=form.cleaned_data["to_status"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                decision=form.cleaned_data.get("decision"),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("agreements:agreement_detail", pk=agreement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, pk):
    agreement = get_agreement_for_user(request.user, pk, "agreements.change_agreement")
    form = DocumentForm(request.POST or None, uploaded_files(request) or None)
    if request.method == "POST" and form.is_valid():
        document = services.upload_document(
            agreement,
            file=form.cleaned_data["file"],
            inspected=form.inspected,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("Version %(number)s was uploaded.") % {"number": document.number})
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/document_upload.html", {"agreement": agreement, "form": form})


@login_required
def document_download(request, pk):
    document = get_object_or_404(AgreementDocument, pk=pk)
    get_agreement_for_user(request.user, document.agreement_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return safe_download_response(
        handle, name=document.original_name, content_type=document.content_type, extension=document.extension
    )
