"""What changed in a programme between the version a reviewer read and the one submitted now:
the measures of one theme area added, removed or changed field by field, from the measures'
history (django-simple-history)."""

from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.translation import gettext as _

from actionplans.models import ActionProgramme, Measure, MeasureCategory, StatusChange

# The fields of a measure a reviewer reads, in the order the page shows them.
FIELDS = [
    "title",
    "description",
    "category",
    "status",
    "expected_effect",
    "cost_estimate",
    "state_cooperation_wanted",
]


@dataclass
class Change:
    field: str  # the verbose name
    before: str
    after: str


@dataclass
class Changes:
    since: object  # the StatusChange of the submission the review was completed on
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (measure, [Change])

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


def submission_of(programme, draft):
    """The submission of `draft` (the latest, if it was submitted more than once)."""
    return (
        StatusChange.objects.filter(programme=programme, to_status=ActionProgramme.Status.SUBMITTED, draft=draft)
        .order_by("-changed_at")
        .first()
    )


def _shown(measure, name, categories):
    """A field of a measure (or of its historical record) as the page shows it."""
    model_field = Measure._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(measure, name + "_id")
        return categories.get(related, "–") if related else "–"
    value = getattr(measure, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "–" if value in (None, "") else str(localize(value))


def since_review(review):
    """The changes in the review's theme since the version its reviewer completed it on; None if
    the review was not completed on an earlier version than the one submitted now."""
    programme = review.programme
    if review.reviewed_draft_id is None or review.reviewed_draft_id == programme.submitted_draft_id:
        return None
    submission = submission_of(programme, review.reviewed_draft)
    if submission is None:
        return None
    then = {
        m.id: m
        for m in Measure.history.as_of(submission.changed_at).filter(
            programme_id=programme.pk, theme_area_id=review.theme_area_id
        )
    }
    now = {m.id: m for m in programme.measures.filter(theme_area_id=review.theme_area_id).order_by("title", "pk")}
    categories = {c.pk: str(c) for c in MeasureCategory.objects.filter(theme_area_id=review.theme_area_id)}
    changes = Changes(since=submission)
    changes.added = [m for pk, m in now.items() if pk not in then]
    changes.removed = sorted((m for pk, m in then.items() if pk not in now), key=lambda m: m.title)
    for pk, measure in now.items():
        if pk in then:
            pairs = [(name, _shown(then[pk], name, categories), _shown(measure, name, categories)) for name in FIELDS]
            diff = [
                Change(str(Measure._meta.get_field(name).verbose_name), before, after)
                for name, before, after in pairs
                if before != after
            ]
            if diff:
                changes.changed.append((measure, diff))
    return changes
