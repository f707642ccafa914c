"""The portal's lists as tables for export: headers and rows of plain values
(text, whole and decimal numbers, dates, moments, yes/no, nothing). Each table
takes the same filters as its page and shows a user the same rows: the
`visible_to` querysets and the rules decide, as there.

A table function checks access and builds its querysets at once (so that a
refusal is a 403 or 404 before any file is begun), but its `rows` are a
generator: they are read from the database `CHUNK` rows at a time, as tuples
from `values_list()` where the row is flat, while the file is written. No
list of all rows is ever built; labels of choices are looked up in the active
language once per table, not once per row. `count()` gives the number of rows
by a query (the XLSX export uses it to decide whether to build the file in the
background). `reporting.exports` writes the tables as CSV or XLSX; a table
names the columns that hold tonnes of CO2e or kroner, which XLSX shows with
their number format.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actionplans.access import programmes_visible_to
from actionplans.filters import ProgrammeFilter, ReviewGridFilter
from actionplans.models import (
    ActionProgramme,
    AgreementKind,
    ExtensionRequest,
    Measure,
    ProgrammeState,
    Review,
    programme_state,
)
from agreements.access import agreements_visible_to
from agreements.filters import AgreementExportFilter
from agreements.models import Agreement, Party
from cities.models import ThemeArea
from cities.sectors import EmissionSector
from lib.formats import person_name
from meetings.access import get_meeting_for_user
from meetings.models import Invitation
from meetings.views.invitations import affiliation
from reporting.effects import TENTH, tonnes
from results.models import ProgressStatus
from results.progress import with_latest_progress

# What a column of numbers counts (`Table.units`).
TONNES, KRONER = "tonnes", "kroner"
# Rows read from the database at a time (`QuerySet.iterator`); also the programmes whose reviews
# the reviews table reads in one query.
CHUNK = 2000


@dataclass
class Table:
    name: str  # the file name, without its extension
    title: str  # the sheet's name
    headers: list[str]
    rows: Iterable[Sequence] = ()  # read once: a generator that queries as it goes
    units: dict[int, str] = field(default_factory=dict)  # column index -> TONNES or KRONER
    counter: Callable[[], int] | None = None  # the number of rows, by a query

    def count(self):
        """The number of rows, without reading them."""
        return self.counter() if self.counter is not None else len(self.rows)


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


def _labels(choices):
    """The labels of `choices` as text in the active language, looked up once for a whole table."""
    return {value: str(label) for value, label in choices}


def _yes_no():
    """Yes, no or nothing, by the stored value, in the active language."""
    return {True: _("Yes"), False: _("No"), None: None}


def _state_label():
    """The label of a programme's state (`programme_state`) from its stored fields."""
    labels = _labels(ProgrammeState.choices)
    return lambda status, submitted_at, on_time: labels[programme_state(status, submitted_at, on_time)]


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


# The tables


def programmes_table(user, params):
    """The round's programmes `user` may see (filters: round, status), as on the programme list."""
    filters = _programmes(user, params)
    round_ = filters.chosen_round
    programmes = (
        filters.qs.with_totals()
        .annotate(
            extension_pending=Exists(
                ExtensionRequest.objects.filter(programme=OuterRef("pk"), status=ExtensionRequest.Status.PENDING)
            )
        )
        .order_by("city__name")
        .values_list(
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
    state, yes_no = _state_label(), _yes_no()

    def rows():
        for (
            city,
            number,
            county,
            round_name,
            status,
            due,
            extended,
            submitted_at,
            version,
            on_time,
            pending,
            drafts,
            measures,
            effect,
        ) in programmes.iterator(chunk_size=CHUNK):
            submitted = status == ActionProgramme.Status.SUBMITTED
            yield (
                city,
                number,
                county,
                round_name,
                state(status, submitted_at, on_time),
                extended or due,
                extended,
                submitted_at if submitted else None,
                version if submitted else None,
                yes_no[bool(pending)],
                drafts,
                measures,
                tonnes(effect) if effect is not None else None,
            )

    return Table(
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
        rows=rows(),
        units={12: TONNES},
        counter=filters.qs.count,
    )


def measures_table(user, params):
    """The measures of the round's programmes `user` may see, with their effect claimed and assessed, their
    sector, whether they were carried over, and the latest progress reported (filters: round, status, theme)."""
    filters = _programmes(user, params)
    round_ = filters.chosen_round
    measures = Measure.objects.filter(programme__in=filters.qs.values("pk"))
    if params.get("theme"):
        measures = measures.filter(theme_area__code=params["theme"])
    listed = (
        with_latest_progress(measures)
        .order_by("programme__city__name", "theme_area__order", "title", "pk")
        .values_list(
            "programme__city__name",
            "programme__status",
            "programme__submitted_at",
            "programme__submitted_on_time",
            _named("theme_area__"),
            _named("category__"),
            "title",
            "description",
            "status",
            "expected_effect",
            "assessed_effect",
            "sector",
            "cost_estimate",
            "state_cooperation_wanted",
            "candidate_kind",
            "carry",
            "progress_status",
            "progress_share",
            "progress_effect",
        )
    )
    state, yes_no = _state_label(), _yes_no()
    statuses, kinds = _labels(Measure.Status.choices), _labels(AgreementKind.choices)
    sectors, carries = _labels(EmissionSector.choices), _labels(Measure.Carry.choices)
    progress = _labels(ProgressStatus.choices)

    def rows():
        for (
            city,
            programme_status,
            submitted_at,
            on_time,
            theme,
            category,
            title,
            description,
            status,
            effect,
            assessed,
            sector,
            cost,
            cooperation,
            kind,
            carry,
            progress_status,
            share,
            effect_now,
        ) in listed.iterator(chunk_size=CHUNK):
            yield (
                city,
                state(programme_status, submitted_at, on_time),
                theme,
                category,
                title,
                description,
                statuses[status],
                effect,
                assessed,
                sectors.get(sector),
                cost,
                yes_no[cooperation],
                kinds.get(kind),
                carries.get(carry),
                progress.get(progress_status),
                share,
                None if effect_now is None else Decimal(effect_now).quantize(TENTH),  # a subquery's: SQLite's number
            )

    return Table(
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
            _("Assessed effect (t CO₂e/yr)"),
            _("Emission sector"),
            _("Cost estimate (NOK)"),
            _("State cooperation wanted"),
            _("Agreement candidate"),
            _("Carried over"),
            _("Latest progress"),
            _("Share done (%)"),
            _("Effect now (t CO₂e/yr)"),
        ],
        rows=rows(),
        units={7: TONNES, 8: TONNES, 10: KRONER, 16: TONNES},
        counter=measures.count,
    )


def reviews_table(user, params):
    """Every submitted programme of the round in every theme area, with its review (filters: round, theme, status).

    For the reviewers, as the review grid; a programme whose review has not
    been opened yet is "not started". The reviews are read for `CHUNK`
    programmes at a time.
    """
    if not user.has_perm("actionplans.view_reviews"):
        raise PermissionDenied
    filters = ReviewGridFilter(
        params, ActionProgramme.objects.filter(submitted_at__isnull=False).order_by("city__name", "pk")
    )
    programmes = filters.qs
    round_, cleaned = filters.chosen_round, filters.form.cleaned_data
    themes = ThemeArea.objects.all()
    if cleaned.get("theme"):
        themes = themes.filter(code=cleaned["theme"])
    themes = [(theme.pk, theme.name) for theme in themes]
    chosen = cleaned.get("status") or None
    state, statuses = _state_label(), _labels(Review.Status.choices)
    not_started = statuses[Review.Status.NOT_STARTED]

    def reviews_of(programme_ids):
        return Review.objects.filter(programme__in=programme_ids, theme_area__in=[pk for pk, _name in themes])

    def rows():
        listed = programmes.values_list("pk", "city__name", "status", "submitted_at", "submitted_on_time")
        for batch in _batches(listed.iterator(chunk_size=CHUNK), CHUNK):
            reviews = {
                (programme_id, theme_id): rest
                for programme_id, theme_id, *rest in reviews_of([p[0] for p in batch])
                .annotate(comment_count=Count("comments"))
                .order_by()
                .values_list("programme_id", "theme_area_id", "status", "comment_count", "updated_at", "completed_at")
            }
            for pk, city, status, submitted_at, on_time in batch:
                programme_state_label = state(status, submitted_at, on_time)
                for theme_id, theme_name in themes:
                    review = reviews.get((pk, theme_id))
                    review_status = review[0] if review else Review.Status.NOT_STARTED
                    if chosen and review_status != chosen:
                        continue
                    yield (
                        city,
                        theme_name,
                        statuses[review_status] if review else not_started,
                        review[1] if review else 0,
                        review[2] if review else None,
                        review[3] if review else None,
                        programme_state_label,
                        submitted_at,
                    )

    def count():
        cells = programmes.count() * len(themes)
        if not chosen:
            return cells
        reviews = reviews_of(programmes.values("pk"))
        if chosen == Review.Status.NOT_STARTED:
            return cells - reviews.exclude(status=Review.Status.NOT_STARTED).count()
        return reviews.filter(status=chosen).count()

    return Table(
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
        rows=rows(),
        counter=count,
    )


def agreements_table(user, params):
    """The agreements `user` may read (filters: kind, status, theme, city, party), as in the pipeline."""
    if not user.has_perm("agreements.list_agreements"):
        raise PermissionDenied
    agreements = Agreement.objects.filter(
        pk__in=AgreementExportFilter(params, agreements_visible_to(user)).qs.values("pk")
    )
    listed = (
        agreements.select_related("responsible")
        .prefetch_related(
            "theme_areas", Prefetch("parties", queryset=Party.objects.select_related("city", "organisation"))
        )
        .annotate(measure_count=Count("measures"))
        .order_by("title", "pk")
    )
    kinds, statuses = _labels(AgreementKind.choices), _labels(Agreement.Status.choices)

    def rows():
        # A few agreements a city at most, each with its parties and themes: model objects,
        # prefetched a chunk at a time.
        for a in listed.iterator(chunk_size=CHUNK):
            parties = [p.city.name if p.city else p.organisation.short_name for p in a.parties.all()]
            yield (
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
            )

    return Table(
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
        rows=rows(),
        units={6: KRONER},
        counter=agreements.count,
    )


def registrations_table(user, params):
    """The invitations to one meeting and their answers (filter: meeting), for its organisers only."""
    if not (params.get("meeting") or "").isdigit():
        raise Http404
    meeting = get_meeting_for_user(user, int(params["meeting"]), "meetings.change_meeting")
    invitations = Invitation.objects.filter(meeting=meeting)
    listed = (
        invitations.select_related("user")
        .prefetch_related("user__memberships__city", "user__memberships__organisation", "user__memberships__theme_area")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    responses, yes_no = _labels(Invitation.Response.choices), _yes_no()

    def rows():
        for i in listed.iterator(chunk_size=CHUNK):
            yield (
                person_name(i.user),
                i.user.username,
                i.user.email,
                affiliation(i.user),
                responses[i.response],
                i.responded_at,
                yes_no[i.attended],
            )

    return Table(
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
        rows=rows(),
        counter=invitations.count,
    )


TABLES = {
    "programmes": programmes_table,
    "measures": measures_table,
    "reviews": reviews_table,
    "agreements": agreements_table,
    "registrations": registrations_table,
}
