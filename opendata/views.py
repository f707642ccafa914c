"""Open data: the public pages of the published rounds (no login), their downloads and catalog, and the
management's page to publish and withdraw a round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from actionplans.analysis import effect_totals
from actionplans.models import ActionProgramme, Measure
from lib.downloads import safe_download_response
from opendata import catalog, datasets, services
from opendata.access import (
    get_public_programme,
    get_publication_for_user,
    get_published_round,
    party_name,
    public_agreements,
    public_programmes,
    published_rounds,
)
from opendata.forms import PublishForm, WithdrawForm

# Cities on a page of a round: the same cost whatever the number of cities.
PER_PAGE = 50
FIGURES = {
    "count": Count("pk"),
    "effect": Sum("expected_effect"),
    "assessed": Sum("assessed_effect"),
    "assessed_count": Count("assessed_effect"),
}
THEME_FIELDS = ("theme_area__order", "theme_area__code", "theme_area__name_nb", "theme_area__name_en")


def _theme_name(row):
    return row["theme_area__name_en"] if (get_language() or "nb").startswith("en") else row["theme_area__name_nb"]


def _by_theme(measures, *group):
    rows = measures.values(*group, *THEME_FIELDS).annotate(**FIGURES).order_by(*group, *THEME_FIELDS[:2])
    return [{**row, "theme": _theme_name(row)} for row in rows]


@require_safe
def index(request):
    """The published rounds, each with the programme-wide totals, claimed and assessed, by theme area."""
    rounds = list(published_rounds())
    measures = Measure.objects.filter(programme__round__in=rounds, programme__status=ActionProgramme.Status.SUBMITTED)
    themes = {}
    for row in _by_theme(measures, "programme__round"):
        themes.setdefault(row["programme__round"], []).append(row)
    totals = {row["programme__round"]: row for row in measures.values("programme__round").annotate(**FIGURES)}
    programmes = dict(
        ActionProgramme.objects.filter(round__in=rounds, status=ActionProgramme.Status.SUBMITTED)
        .values("round")
        .annotate(n=Count("pk"))
        .values_list("round", "n")
    )
    listed = [
        {"round": r, "themes": themes.get(r.pk, []), "total": totals.get(r.pk), "programmes": programmes.get(r.pk, 0)}
        for r in rounds
    ]
    return render(request, "opendata/index.html", {"rounds": listed})


@require_safe
def round_page(request, round_slug):
    """A published round: every city that has submitted, with its figures (50 a page), the totals, and the
    downloads with their schema and licence."""
    round_ = get_published_round(round_slug)
    page = Paginator(public_programmes(round_), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "opendata/round.html",
        {
            "round": round_,
            "publication": round_.publication,
            "page": page,
            "totals": effect_totals(round_, submitted_only=True, cities_shown=0),
            "tables": datasets.TABLES.values(),
            "formats": datasets.FORMATS,
        },
    )


@require_safe
def city_page(request, round_slug, city_slug):
    """A city's submitted programme in a published round: the document, the measures, the agreements."""
    round_ = get_published_round(round_slug)
    programme = get_public_programme(round_, city_slug)
    measures = programme.measures.select_related("theme_area", "category").order_by("theme_area__order", "title", "pk")
    agreements = [
        {"agreement": agreement, "parties": [party_name(p) for p in agreement.public_parties]}
        for agreement in public_agreements(round_, programme)
    ]
    return render(
        request,
        "opendata/city.html",
        {
            "round": round_,
            "publication": round_.publication,
            "programme": programme,
            "city": programme.city,
            "measures": measures,
            "themes": _by_theme(programme.measures.all()),
            "agreements": agreements,
        },
    )


@require_safe
def document(request, round_slug, city_slug):
    """The submitted version of a city's programme in a published round: that one only, never a draft. Named
    by the round and the city, not by the name it was uploaded under."""
    round_ = get_published_round(round_slug)
    programme = get_public_programme(round_, city_slug)
    draft = programme.submitted_draft
    try:
        handle = draft.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    return safe_download_response(
        handle,
        name=f"{round_.slug}-{programme.city.slug}",
        content_type=draft.content_type,
        extension=draft.extension,
    )


@require_safe
def download(request, round_slug, table, fmt):
    """A table of a published round as CSV or JSON (`opendata.datasets`), streamed."""
    round_ = get_published_round(round_slug)
    return datasets.download_response(datasets.TABLES[table], fmt, round_, request)


def _catalog_response(text, content_type):
    response = HttpResponse(text, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalog_jsonld(request):
    """The DCAT-AP-NO catalog of the published rounds, as JSON-LD."""
    return _catalog_response(catalog.jsonld(request), "application/ld+json; charset=utf-8")


@require_safe
def catalog_turtle(request):
    """The same catalog as Turtle."""
    return _catalog_response(catalog.turtle(request), "text/turtle; charset=utf-8")


def _publication_page(request, round_, publication, *, publish_form=None, withdraw_form=None, status=200):
    history = []
    if publication is not None:
        history = publication.history.select_related("published_by", "withdrawn_by").order_by("-history_date")[:20]
    return render(
        request,
        "opendata/publication.html",
        {
            "round": round_,
            "publication": publication,
            "history": history,
            "publish_form": publish_form or PublishForm(action=reverse("opendata:publish", args=[round_.pk])),
            "withdraw_form": withdraw_form or WithdrawForm(action=reverse("opendata:withdraw", args=[round_.pk])),
            "submitted": round_.programmes.filter(status=ActionProgramme.Status.SUBMITTED).count(),
        },
        status=status,
    )


@login_required
@require_safe
def publication(request, pk):
    """Where the management publishes a round, or withdraws it, and sees when it was."""
    round_, publication = get_publication_for_user(request.user, pk)
    return _publication_page(request, round_, publication)


@login_required
@require_POST
def publish(request, pk):
    round_, publication = get_publication_for_user(request.user, pk)
    form = PublishForm(request.POST, action=reverse("opendata:publish", args=[round_.pk]))
    if not form.is_valid():
        return _publication_page(request, round_, publication, publish_form=form)
    try:
        services.publish_round(round_, licence=form.cleaned_data["licence"], by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The round is published: anyone may now read it under /open/."))
    return redirect("opendata:publication", pk=round_.pk)


@login_required
@require_POST
def withdraw(request, pk):
    round_, publication = get_publication_for_user(request.user, pk)
    form = WithdrawForm(request.POST, action=reverse("opendata:withdraw", args=[round_.pk]))
    if not form.is_valid():
        return _publication_page(request, round_, publication, withdraw_form=form)
    try:
        services.withdraw_round(round_, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The publication is withdrawn: its pages and downloads are no longer public."))
    return redirect("opendata:publication", pk=round_.pk)
