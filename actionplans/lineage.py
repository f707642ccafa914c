"""A measure from round to round: the earlier programme a city carries its measures over from,
the measures still to carry over, and one measure's earlier and later versions and where it was
dropped. Reads only; the carrying itself is `services.carry_over`."""

from dataclasses import dataclass, field

from django.db.models import Q

from actionplans.access import programmes_visible_to
from actionplans.models import ActionProgramme, Measure, MeasureDrop


def carry_source(programme):
    """The city's latest submitted programme of an earlier round (by due date), or None; None also
    when `programme` itself is submitted or its round has no deadline to compare by."""
    deadline = getattr(programme.round, "deadline", None)
    if programme.is_submitted or deadline is None:
        return None
    return (
        ActionProgramme.objects.submitted()
        .filter(city_id=programme.city_id, round__deadline__due_date__lt=deadline.due_date)
        .select_related("round", "city")
        .order_by("-round__deadline__due_date", "-pk")
        .first()
    )


def pending_measures(source, programme):
    """The measures of `source` neither carried into `programme` nor dropped from it yet."""
    return (
        source.measures.exclude(carried_into__programme=programme)
        .exclude(drops__programme=programme)
        .select_related("theme_area", "category")
    )


def copies_in(programme, source):
    """The measures of `programme` carried over from `source`."""
    return programme.measures.filter(carried_from__programme=source).select_related("carried_from", "theme_area")


def drops_from(programme, source):
    """The measures of `source` the city chose not to carry into `programme`."""
    return programme.measure_drops.filter(measure__programme=source).select_related("measure", "dropped_by")


@dataclass
class Version:
    """One version of a measure, as the lineage lists it."""

    pk: int
    title: str
    expected_effect: object
    carry: str
    round_name: str
    city_name: str
    programme_id: int

    @property
    def carry_label(self):
        return Measure.Carry(self.carry).label if self.carry else ""


@dataclass
class Lineage:
    earlier: list = field(default_factory=list)  # oldest first
    later: list = field(default_factory=list)  # by round, oldest first
    drops: list = field(default_factory=list)  # MeasureDrop rows of any version

    def __bool__(self):
        return bool(self.earlier or self.later or self.drops)


def lineage_of(measure, user):
    """The versions of `measure` in the city's other programmes that `user` may read, and the
    programmes it (or any version of it) was dropped from. Three queries, however long the chain:
    a lineage stays within one city, so the city's linked measures are read at once and walked here."""
    city_id = measure.programme.city_id
    linked = {
        row["pk"]: row
        for row in Measure.objects.filter(programme__city_id=city_id)
        .filter(Q(carried_from__isnull=False) | Q(carried_into__isnull=False))
        .values(
            "pk",
            "carried_from_id",
            "title",
            "expected_effect",
            "carry",
            "programme_id",
            "programme__round__name",
            "programme__city__name",
            "programme__round__deadline__due_date",
        )
        .distinct()
    }
    visible = set(programmes_visible_to(user).filter(city_id=city_id).values_list("pk", flat=True))

    earlier, seen = [], {measure.pk}
    parent = measure.carried_from_id
    while parent in linked and parent not in seen:
        seen.add(parent)
        earlier.append(linked[parent])
        parent = linked[parent]["carried_from_id"]
    earlier.reverse()

    children = {}
    for row in linked.values():
        children.setdefault(row["carried_from_id"], []).append(row)
    later, queue = [], [measure.pk]
    while queue:
        for row in children.get(queue.pop(), []):
            if row["pk"] not in seen:
                seen.add(row["pk"])
                later.append(row)
                queue.append(row["pk"])
    later.sort(key=lambda row: (row["programme__round__deadline__due_date"] is None, _day(row), row["pk"]))

    drops = (
        MeasureDrop.objects.filter(measure_id__in=seen, programme_id__in=visible)
        .select_related("measure", "programme__round", "programme__city", "dropped_by")
        .order_by("dropped_at", "pk")
    )
    return Lineage(
        earlier=[_version(row) for row in earlier if row["programme_id"] in visible],
        later=[_version(row) for row in later if row["programme_id"] in visible],
        drops=list(drops),
    )


def _day(row):
    return row["programme__round__deadline__due_date"] or row["pk"]


def _version(row):
    return Version(
        pk=row["pk"],
        title=row["title"],
        expected_effect=row["expected_effect"],
        carry=row["carry"],
        round_name=row["programme__round__name"],
        city_name=row["programme__city__name"],
        programme_id=row["programme_id"],
    )
