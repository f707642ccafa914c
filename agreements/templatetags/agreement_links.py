"""Links from what an agreement was made of to the agreement: a measure's agreements and site
visits, a decision's agreements. Here, in the app that knows agreements, so that the pages of
the apps below it (programmes, reviews, minutes) link to agreements without importing them.
Each tag costs one query for a whole page, and shows only what the reader may open."""

from collections import defaultdict

from django import template
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast

from agreements.access import agreements_visible_to
from agreements.models import Agreement
from meetings.access import meetings_visible_to
from meetings.models import AgendaItem

register = template.Library()


def _grouped(pairs):
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


@register.simple_tag(takes_context=True)
def links_of_measures(context, measures):
    """{measure pk: {"agreements": [...], "visits": [...]}} for the measures of a page: the
    agreements the reader may open that a measure is part of, and the meetings the reader may
    open where it was shown on a site visit. One query (a UNION) for the whole page."""
    user = context["request"].user
    pks = [m.pk for m in measures]
    no_date = Cast(Value(None), models.DateTimeField())
    agreements = Agreement.measures.through.objects.filter(
        measure_id__in=pks, agreement__in=agreements_visible_to(user)
    ).values_list("measure_id", Value("agreement"), "agreement_id", "agreement__title", "agreement__status", no_date)
    visits = AgendaItem.measures.through.objects.filter(
        measure_id__in=pks, agendaitem__meeting__in=meetings_visible_to(user)
    ).values_list(
        "measure_id",
        Value("visit"),
        "agendaitem__meeting_id",
        "agendaitem__meeting__title",
        Value(""),
        "agendaitem__meeting__starts_at",
    )
    statuses = dict(Agreement.Status.choices)
    links = defaultdict(lambda: {"agreements": [], "visits": []})
    for measure_id, kind, pk, title, status, starts_at in sorted(agreements.union(visits, all=True), key=_order):
        if kind == "agreement":
            links[measure_id]["agreements"].append({"pk": pk, "title": title, "status": statuses.get(status, status)})
        elif not any(v["pk"] == pk for v in links[measure_id]["visits"]):  # two visits of one meeting
            links[measure_id]["visits"].append({"pk": pk, "title": title, "starts_at": starts_at})
    return dict(links)


def _order(row):
    measure_id, kind, pk, title, _status, starts_at = row
    return (measure_id, kind, starts_at.timestamp() if starts_at else 0, title, pk)


@register.simple_tag(takes_context=True)
def agreements_of_decisions(context, decisions):
    """{decision pk: [agreements the reader may open that the decision led to]}."""
    user = context["request"].user
    through = Agreement.decisions.through.objects.filter(
        decision_id__in=[d.pk for d in decisions], agreement__in=agreements_visible_to(user)
    ).select_related("agreement")
    return _grouped((link.decision_id, link.agreement) for link in through.order_by("agreement__title"))
