from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from actionplans.models import AgreementKind
from agreements import services
from agreements.access import agreements_visible_to, get_agreement_for_user
from agreements.filters import AgreementFilter
from agreements.forms import AgreementForm, DocumentForm, StatusForm
from agreements.models import Agreement, AgreementDocument, Party
from cities.models import City, Organisation, ThemeArea
from lib.downloads import safe_download_response
from lib.uploads import uploaded_files

# The first agreements of each status shown in its column, the agreements of one status a page
# at a time, and the parties named under each agreement: the page costs the same for 13 cities
# and for 10,000.
PER_COLUMN = 20
PER_PAGE = 50
PARTIES_SHOWN = 5
CITY_SUGGESTIONS = 100


def _listed(agreements):
    """`agreements` with what an entry of the pipeline reads: its first parties and how many it has."""
    # The cities by name, then the organisations by name: the same first parties on SQLite and on
    # PostgreSQL (ordering by the organisation's id put a NULL first on the one, last on the other).
    parties = Party.objects.select_related("city", "organisation").order_by(
        F("city__name").asc(nulls_last=True), "organisation__short_name", "pk"
    )
    return agreements.annotate(
        # Made of a state body's offer (the state app's requests point here; this app does not import it).
        from_request=Exists(Agreement.objects.filter(pk=OuterRef("pk"), state_requests__isnull=False)),
        party_count=Coalesce(
            Subquery(
                Party.objects.filter(agreement=OuterRef("pk"))
                .order_by()
                .values("agreement")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    ).prefetch_related(Prefetch("parties", queryset=parties[:PARTIES_SHOWN], to_attr="first_parties"))


@login_required
def pipeline(request):
    """Agreements by status, filtered by kind, theme area, city and party, with counts and total
    value: each status's first agreements in its column, or (?status=…) one status a page at a time."""
    if not request.user.has_perm("agreements.list_agreements"):
        raise PermissionDenied
    chosen = AgreementFilter(request.GET, agreements_visible_to(request.user)).qs
    # One row per agreement, whatever the joins of the filters.
    agreements = Agreement.objects.filter(pk__in=chosen.values("pk"))
    filters = {name: request.GET.get(name, "") for name in ("kind", "theme", "city", "party")}
    status = request.GET.get("status", "")
    status = status if status in Agreement.Status.values else ""
    totals = {
        row["status"]: row
        for row in agreements.order_by().values("status").annotate(count=Count("pk"), value=Sum("value"))
    }
    if status:
        page = Paginator(_listed(agreements.filter(status=status)).order_by("title", "pk"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        listed = page.object_list
    else:
        page = None
        first = Window(RowNumber(), partition_by=[F("status")], order_by=[F("title").asc(), F("pk").asc()])
        # Each status's first agreements are picked before the rest is read, so that only they
        # have their parties counted.
        shown = agreements.annotate(place=first).filter(place__lte=PER_COLUMN).values("pk")
        listed = list(_listed(Agreement.objects.filter(pk__in=shown)).order_by("title", "pk"))
    columns = [
        {
            "status": value,
            "label": label,
            "agreements": [a for a in listed if a.status == value],
            "count": totals.get(value, {}).get("count", 0),
            "value": totals.get(value, {}).get("value"),
        }
        for value, label in Agreement.Status.choices
        if not status or value == status
    ]
    values = [row["value"] for row in totals.values() if row["value"] is not None]
    # Suggestions for the city field while they are few; past that the field takes any name.
    # Names, not cities: two cities of one name are one suggestion, which finds both.
    city_names = list(
        City.objects.filter(agreement_parties__agreement__in=agreements_visible_to(request.user).values("pk"))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[: CITY_SUGGESTIONS + 1]
    )
    return render(
        request,
        "agreements/pipeline.html",
        {
            "columns": columns,
            "filters": filters,
            "status": status,
            "page": page,
            "kinds": AgreementKind.choices,
            "themes": ThemeArea.objects.all(),
            "organisations": Organisation.objects.all(),
            "city_names": city_names if len(city_names) <= CITY_SUGGESTIONS else [],
            "total_count": sum(row["count"] for row in totals.values()),
            "total_value": sum(values) if values else None,
            "can_add": request.user.has_perm("agreements.add_agreement"),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    history = list(agreement.status_changes.select_related("changed_by", "decision__minutes__meeting"))
    documents = list(agreement.documents.select_related("uploaded_by"))
    may_delete = request.user.has_perm("agreements.delete_agreement", agreement) and not (
        agreement.history_beyond_creation(status_changes=history, documents=documents)
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "history": history,
            "documents": documents,
            "measures": agreement.measures.select_related("programme__city", "theme_area"),
            "decisions": agreement.decisions.select_related("minutes__meeting"),
            "action_items": agreement.action_items.select_related("minutes__meeting", "owner"),
            "can_change": request.user.has_perm("agreements.change_agreement", agreement),
            "may_delete": may_delete,
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
    """A new agreement; `?measures=<id>&measures=<id>…` (from the groups of similar measures)
    fills the form in from those measures. Nothing is stored until the form is saved."""
    if not request.user.has_perm("agreements.add_agreement"):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, _("The agreement was proposed."))
    form.helper.form_action = reverse("agreements:agreement_create")  # the filled-in form posts to a clean address
    prefilled = _prefill(request, form) if request.method == "GET" and "measures" in request.GET else []
    return render(request, "agreements/agreement_form.html", {"form": form, "prefilled": prefilled})


def _prefill(request, form):
    """Fill `form` in from the measures of the address, saying which could not be used."""
    measures, refused = form.prefill_from_measures(request.GET.getlist("measures"))
    if not measures:
        messages.error(
            request,
            _(
                "None of the measures in the address can be linked to an agreement: they do not exist, "
                "or are not in a submitted action programme you may read. The form is empty."
            ),
        )
    elif refused:
        messages.warning(
            request,
            ngettext(
                "%(n)s of the measures in the address cannot be linked to an agreement and was left out.",
                "%(n)s of the measures in the address cannot be linked to an agreement and were left out.",
                refused,
            )
            % {"n": refused},
        )
    return measures


@login_required
@require_http_methods(["GET", "POST"])
def agreement_update(request, pk):
    agreement = get_agreement_for_user(request.user, pk, "agreements.change_agreement")
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, _("The agreement was saved."))
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_delete(request, pk):
    """Delete an agreement started by mistake: a page that asks first, or says why it may not be."""
    agreement = get_agreement_for_user(request.user, pk)
    if not request.user.has_perm("agreements.delete_agreement", agreement):
        raise PermissionDenied(
            _("Only the programme management and the staff of the agreement's theme areas may delete it.")
        )
    if request.method == "POST":
        try:
            services.delete_agreement(agreement, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("agreements:agreement_detail", pk=agreement.pk)
        messages.success(request, _("The agreement “%(title)s” was deleted.") % {"title": agreement.title})
        return redirect("agreements:pipeline")
    return render(
        request,
        "agreements/agreement_confirm_delete.html",
        {
            "agreement": agreement,
            "reasons": agreement.history_beyond_creation(),
            "measures": agreement.measures.select_related("programme__city"),
            "links": agreement.decisions.count() + agreement.action_items.count(),
        },
    )


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
