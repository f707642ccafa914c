"""The portal's lists as tables for export: headers and rows of plain values
(text, whole and decimal numbers, dates, moments, yes/no, nothing), built with
`values()` or `select_related`/`prefetch_related` in a fixed number of
queries. Each table takes the same filters as its page and shows a user the
same rows: the `visible_to` querysets and the rules decide, as there.
`reporting.exports` writes them as CSV or XLSX; a table names the columns
that hold tonnes of CO2e or kroner, which XLSX shows with their number format.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actionplans.access import programmes_visible_to
from actionplans.filters import ProgrammeFilter, ReviewGridFilter
from actionplans.models import ActionProgramme, AgreementKind, ExtensionRequest, Measure, Review, programme_state
from agreements.access import agreements_visible_to
from agreements.filters import AgreementExportFilter
from agreements.models import Agreement, Party
from cities.models import ThemeArea
from lib.formats import person_name
from meetings.access import get_meeting_for_user
from meetings.models import Invitation
from meetings.views.invitations import affiliation
from reporting.dashboard import tonnes

# What a column of numbers counts (`Table.units`).
TONNES, KRONER = "tonnes", "kroner"


@dataclass
class Table:
    name: str  # the file name, without its extension
    title: str  # the sheet's name
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    units: dict[int, str] = field(default_factory=dict)  # column index -> TONNES or KRONER


# Helpers for the tables


def _english():
    return (get_language() or "nb").startswith("en")


def _named(prefix):
    """The field of a name in the user's language: `theme_area__name_en` or `theme_area__name_nb`."""
    return f"{prefix}name_en" if _english() else f"{prefix}name_nb"


def _slug(round_):
    return round_.slug if round_ is not None else "none"


def _programmes(user, params):
    """The programme list's filters (round, status) on what `user` may see, as on the page."""
    return ProgrammeFilter(params, programmes_visible_to(user))


def _yes_no(value):
    return None if value is None else (_("Yes") if value else _("No"))


# The tables


def programmes_table(user, params):
    """The round's programmes `user` may see (filters: round, status), as on the programme list."""
    filters = _programmes(user, params)
    round_ = filters.chosen_round
    table = Table(
        name=f"programmes-{_slug(round_)}",
        title=_("Action programmes"),
        headers=[
            _("City"),
            _("Municipality number"),
            _("County"),
            _("Round"),
            _("Status"),
            _("Deadline"),
            _("Extended deadline"),
            _("Submitted at"),
            _("Submitted version"),
            _("Extension requested"),
            _("Versions"),
            _("Measures"),
            _("Expected effect (t CO₂e/yr)"),
        ],
        units={12: TONNES},
    )
    rows = (
        filters.qs.with_totals()
        .annotate(
            extension_pending=Exists(
                ExtensionRequest.objects.filter(programme=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
            )
        )
        .order_by("city__name")
        .values(
            "city__name",
            "city__municipality_number",
            "city__county__name",
            "round__name",
            "status",
            "round__deadline__due_date",
            "extended_due_date",
            "submitted_at",
            "submitted_draft__number",
            "submitted_on_time",
            "extension_pending",
            "draft_count",
            "measure_count",
            "total_effect",
        )
    )
    for p in rows:
        submitted = p["status"] == ActionProgramme.Status.SUBMITTED
        table.rows.append(
            [
                p["city__name"],
                p["city__municipality_number"],
                p["city__county__name"],
                p["round__name"],
                programme_state(p["status"], p["submitted_at"], p["submitted_on_time"]).label,
                p["extended_due_date"] or p["round__deadline__due_date"],
                p["extended_due_date"],
                p["submitted_at"] if submitted else None,
                p["submitted_draft__number"] if submitted else None,
                _yes_no(p["extension_pending"]),
                p["draft_count"],
                p["measure_count"],
                tonnes(p["total_effect"]) if p["total_effect"] is not None else None,
            ]
        )
    return table


def measures_table(user, params):
    """The measures of the round's programmes `user` may see, with their effect (filters: round, status, theme)."""
    filters = _programmes(user, params)
    round_ = filters.chosen_round
    measures = Measure.objects.filter(programme__in=filters.qs.values("pk"))
    if params.get("theme"):
        measures = measures.filter(theme_area__code=params["theme"])
    statuses = dict(Measure.Status.choices)
    kinds = dict(AgreementKind.choices)
    theme, category = _named("theme_area__"), _named("category__")
    table = Table(
        name=f"measures-{_slug(round_)}",
        title=_("Measures"),
        headers=[
            _("City"),
            _("Programme status"),
            _("Theme area"),
            _("Category"),
            _("Title"),
            _("Description"),
            _("Status"),
            _("Expected effect (t CO₂e/yr)"),
            _("Cost estimate (NOK)"),
            _("State cooperation wanted"),
            _("Agreement candidate"),
        ],
        units={7: TONNES, 8: KRONER},
    )
    rows = measures.order_by("programme__city__name", "theme_area__order", "title", "pk").values(
        "programme__city__name",
        "programme__status",
        "programme__submitted_at",
        "programme__submitted_on_time",
        theme,
        category,
        "title",
        "description",
        "status",
        "expected_effect",
        "cost_estimate",
        "state_cooperation_wanted",
        "candidate_kind",
    )
    for m in rows:
        table.rows.append(
            [
                m["programme__city__name"],
                programme_state(
                    m["programme__status"], m["programme__submitted_at"], m["programme__submitted_on_time"]
                ).label,
                m[theme],
                m[category],
                m["title"],
                m["description"],
                statuses[m["status"]],
                m["expected_effect"],
                m["cost_estimate"],
                _yes_no(m["state_cooperation_wanted"]),
                kinds.get(m["candidate_kind"]),
            ]
        )
    return table


def reviews_table(user, params):
    """Every submitted programme of the round in every theme area, with its review (filters: round, theme, status).

    For the reviewers, as the review grid; a programme whose review has not
    been opened yet is "not started".
    """
    if not user.has_perm("actionplans.view_reviews"):
        raise PermissionDenied
    filters = ReviewGridFilter(
        params, ActionProgramme.objects.filter(submitted_at__isnull=False).select_related("city").order_by("city__name")
    )
    programmes = list(filters.qs)
    round_, cleaned = filters.chosen_round, filters.form.cleaned_data
    themes = ThemeArea.objects.all()
    if cleaned.get("theme"):
        themes = themes.filter(code=cleaned["theme"])
    themes = list(themes)
    reviews = {
        (r.programme_id, r.theme_area_id): r
        for r in Review.objects.filter(programme__in=[p.pk for p in programmes], theme_area__in=themes).annotate(
            comment_count=Count("comments")
        )
    }
    statuses = dict(Review.Status.choices)
    chosen = cleaned.get("status") or None
    table = Table(
        name=f"reviews-{_slug(round_)}",
        title=_("Reviews"),
        headers=[
            _("City"),
            _("Theme area"),
            _("Review status"),
            _("Comments"),
            _("Last changed"),
            _("Completed at"),
            _("Programme status"),
            _("Submitted at"),
        ],
    )
    for p in programmes:
        for theme in themes:
            review = reviews.get((p.pk, theme.pk))
            status = review.status if review else Review.Status.NOT_STARTED
            if chosen and status != chosen:
                continue
            table.rows.append(
                [
                    p.city.name,
                    theme.name,
                    statuses[status],
                    review.comment_count if review else 0,
                    review.updated_at if review else None,
                    review.completed_at if review else None,
                    p.get_state_display(),
                    p.submitted_at,
                ]
            )
    return table


def agreements_table(user, params):
    """The agreements `user` may read (filters: kind, status, theme, city, party), as in the pipeline."""
    if not user.has_perm("agreements.list_agreements"):
        raise PermissionDenied
    agreements = AgreementExportFilter(params, agreements_visible_to(user)).qs
    listed = (
        Agreement.objects.filter(pk__in=agreements.values("pk"))
        .select_related("responsible")
        .prefetch_related(
            "theme_areas", Prefetch("parties", queryset=Party.objects.select_related("city", "organisation"))
        )
        .annotate(measure_count=Count("measures"))
        .order_by("title", "pk")
    )
    kinds, statuses = dict(AgreementKind.choices), dict(Agreement.Status.choices)
    table = Table(
        name="agreements",
        title=_("Agreements"),
        headers=[
            _("Title"),
            _("Kind"),
            _("Status"),
            _("Theme areas"),
            _("Parties"),
            _("Responsible"),
            _("Value (NOK)"),
            _("Period from"),
            _("Period to"),
            _("Signed"),
            _("Measures"),
        ],
        units={6: KRONER},
    )
    for a in listed:
        parties = [p.city.name if p.city else p.organisation.short_name for p in a.parties.all()]
        table.rows.append(
            [
                a.title,
                kinds[a.kind],
                statuses[a.status],
                ", ".join(t.name for t in a.theme_areas.all()),
                ", ".join(sorted(parties)),
                person_name(a.responsible) if a.responsible else None,
                a.value,
                a.period_start,
                a.period_end,
                a.signed_date,
                a.measure_count,
            ]
        )
    return table


def registrations_table(user, params):
    """The invitations to one meeting and their answers (filter: meeting), for its organisers only."""
    if not (params.get("meeting") or "").isdigit():
        raise Http404
    meeting = get_meeting_for_user(user, int(params["meeting"]), "meetings.change_meeting")
    invitations = (
        Invitation.objects.filter(meeting=meeting)
        .select_related("user")
        .prefetch_related("user__memberships__city", "user__memberships__organisation", "user__memberships__theme_area")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    responses = dict(Invitation.Response.choices)
    table = Table(
        name=f"registrations-{meeting.pk}",
        title=_("Registrations"),
        headers=[
            _("Name"),
            _("Username"),
            _("E-mail"),
            _("City or organisation"),
            _("Answer"),
            _("Answered at"),
            _("Attended"),
        ],
    )
    for i in invitations:
        table.rows.append(
            [
                person_name(i.user),
                i.user.username,
                i.user.email,
                affiliation(i.user),
                responses[i.response],
                i.responded_at,
                _yes_no(i.attended),
            ]
        )
    return table


TABLES = {
    "programmes": programmes_table,
    "measures": measures_table,
    "reviews": reviews_table,
    "agreements": agreements_table,
    "registrations": registrations_table,
}
