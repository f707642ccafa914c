"""Action programmes: their versions, measures and status history (extension requests: `extensions`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models.rounds import Round, days_until, end_of_day
from actionplans.models.states import programme_state
from cities.models import City, ThemeArea
from cities.sectors import EmissionSector
from lib import limits
from lib.transitions import Transitions
from lib.uploads import StoredFile


class ActionProgrammeQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ActionProgramme.Status.SUBMITTED)

    def with_totals(self):
        """Number of measures and versions and the total expected effect, each
        from its own subquery so that the joins do not multiply one another."""
        measures = Measure.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
        drafts = Draft.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
        return self.annotate(
            measure_count=Coalesce(Subquery(measures.annotate(n=Count("pk")).values("n")), 0),
            total_effect=Subquery(measures.annotate(total=Sum("expected_effect")).values("total")),
            draft_count=Coalesce(Subquery(drafts.annotate(n=Count("pk")).values("n")), 0),
        )


class ActionProgramme(models.Model):
    # What is stored; what is shown is the `state` (ProgrammeState) made from it.
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("programme state", "Not started")
        DRAFT = "draft", pgettext_lazy("programme state", "Draft")
        SUBMITTED = "submitted", _("Submitted")

    # The first version or measure starts a programme; the city submits it (a programme whose
    # versions came in without starting it too); the management gives a submitted one back.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.NOT_STARTED: {
                Status.DRAFT: "actionplans.change_programme",
                Status.SUBMITTED: "actionplans.submit_programme",
            },
            Status.DRAFT: {Status.SUBMITTED: "actionplans.submit_programme"},
            Status.SUBMITTED: {Status.DRAFT: "actionplans.reopen_programme"},
        },
    )

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("round"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("city"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_draft = models.ForeignKey(
        "Draft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted version"),
    )
    submitted_on_time = models.BooleanField(_("submitted on time"), null=True, blank=True)
    # Before submitting, the city may let its theme coordinators read the draft (and leave notes).
    shared_at = models.DateTimeField(_("shared with the coordinators at"), null=True, blank=True, editable=False)
    # Kept when the city stops sharing (`shared_at` then still says that it once did: its notes stay).
    sharing = models.BooleanField(_("shared with the coordinators"), default=False, editable=False)
    extended_due_date = models.DateField(
        _("extended due date"),
        null=True,
        blank=True,
        validators=[limits.validate_programme_date],
        help_text=_("The city's own deadline, from an approved extension request."),
    )

    objects = ActionProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["round", "city__name"]
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        constraints = [
            models.UniqueConstraint(fields=["round", "city"], name="programme_one_per_city_and_round"),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(submitted_at__isnull=False, submitted_draft__isnull=False, submitted_on_time__isnull=False),
                name="programme_submitted_is_pinned",
            ),
        ]

    def __str__(self):
        return f"{self.city} – {self.round}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_shared(self):
        """A draft the city lets its coordinators read before it is submitted."""
        return self.sharing and not self.is_submitted

    @property
    def state(self):
        return programme_state(self.status, self.submitted_at, self.submitted_on_time)

    def get_state_display(self):
        return self.state.label

    @property
    def effective_due_date(self):
        """The city's own extended date if it has one, else the round's."""
        if self.extended_due_date:
            return self.extended_due_date
        deadline = getattr(self.round, "deadline", None)
        return deadline.due_date if deadline else None

    @property
    def effective_due_at(self):
        due = self.effective_due_date
        return end_of_day(due) if due else None

    def days_left(self, now=None):
        due = self.effective_due_date
        return days_until(due, now) if due else None

    def is_on_time(self, moment):
        due_at = self.effective_due_at
        return due_at is None or moment < due_at


class StatusChange(models.Model):
    """Who moved a programme from which status to which, and when."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("action programme")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ActionProgramme.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ActionProgramme.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)
    draft = models.ForeignKey(
        "Draft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
        help_text=_("The version that was submitted, for a submission."),
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [limits.length_check("comment", limits.NOTE, "status_change_comment_length")]

    def __str__(self):
        return f"{self.programme}: {self.from_status} → {self.to_status}"


def draft_upload_to(instance, filename):
    """A name the server makes; the uploaded name is kept only for display."""
    return f"drafts/{instance.programme_id}/{uuid.uuid4().hex}{instance.extension}"


class DraftNote(models.Model):
    """An informal note of a coordinator on a draft the city shared: read by the city at once,
    no part of the review."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="draft_notes", verbose_name=_("action programme")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = limits.text_field(_("note"), limits.NOTE)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note on a shared draft")
        verbose_name_plural = _("notes on shared drafts")
        constraints = [limits.length_check("text", limits.NOTE, "draft_note_text_length")]

    def __str__(self):
        return self.text[:60]


class Draft(StoredFile):
    """An uploaded version of an action programme. Never overwritten."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("action programme")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=draft_upload_to, max_length=200)
    note = limits.text_field(_("note"), limits.NOTE, blank=True)
    # Read once from the file after the upload (`tasks.read_draft`): compared between versions,
    # searched, and (DOCX, ODT) shown in the browser as sanitised HTML.
    text = models.TextField(_("text of the document"), blank=True, editable=False)
    html = models.TextField(_("the document as HTML"), blank=True, editable=False)
    read_at = models.DateTimeField(_("text read at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="draft_number_unique"),
            limits.length_check("note", limits.NOTE, "draft_note_length"),
        ]

    def __str__(self):
        return _("Version %(number)s of %(programme)s") % {"number": self.number, "programme": self.programme}


class MeasureCategory(models.Model):
    """A controlled list per theme area (parking policy, cycling, passive houses, …)."""

    theme_area = models.ForeignKey(
        ThemeArea, on_delete=models.PROTECT, related_name="categories", verbose_name=_("theme area")
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["theme_area__order", "name_nb"]
        verbose_name = _("measure category")
        verbose_name_plural = _("measure categories")
        constraints = [models.UniqueConstraint(fields=["theme_area", "name_nb"], name="category_unique_per_theme")]

    def __str__(self):
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


class AgreementKind(models.TextChoices):
    """The five kinds of state–city agreement named by the coordination group, and the framework
    agreements and letters of intent that the whole programme rests on (the one of 17.06.2008, the two
    signed on 19.05.2009): those are between all the parties, not about particular measures."""

    LONG_TERM_ECONOMIC = "long_term_economic", _("Long-term economic agreement")
    PILOT_PROJECT = "pilot_project", _("Pilot project")
    COMPETENCE_BUILDING = "competence_building", _("Competence building")
    JOINT_STUDY = "joint_study", _("Joint study")
    SHARED_DATA = "shared_data", _("Shared data and tools")
    FRAMEWORK = "framework", _("Framework agreement or letter of intent")


class Measure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")

    class Carry(models.TextChoices):
        """How a measure came from the city's programme of an earlier round ("" if it is new)."""

        KEPT = "kept", _("Carried over as it was")
        CHANGED = "changed", _("Carried over and changed")

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="measures", verbose_name=_("action programme")
    )
    theme_area = models.ForeignKey(
        ThemeArea, on_delete=models.PROTECT, related_name="measures", verbose_name=_("theme area")
    )
    category = models.ForeignKey(
        MeasureCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = limits.text_field(_("description"), limits.DESCRIPTION, blank=True)
    expected_effect = models.DecimalField(
        _("expected effect (t CO₂e per year)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=limits.effect_validators(),
        help_text=_(
            "Expected reduction in tonnes CO₂-equivalents per year. A negative value is an increase in emissions."
        ),
    )
    cost_estimate = models.DecimalField(
        _("cost estimate (NOK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=limits.amount_validators(),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    sector = models.CharField(
        _("emission sector"),
        max_length=20,
        blank=True,
        choices=EmissionSector.choices,
        help_text=_("The sector of the municipal emission statistics that the measure cuts emissions in, if any."),
    )
    state_cooperation_wanted = models.BooleanField(_("state cooperation wanted"), default=False)
    candidate_kind = models.CharField(
        _("agreement candidate"),
        max_length=30,
        blank=True,
        choices=AgreementKind.choices,
        help_text=_("Marked by a reviewer: the kind of state–city agreement the measure suits."),
    )
    # Lineage: the same measure in the city's programme of an earlier round. PROTECT: an earlier
    # version is the record of what the city promised then, and must not vanish under the later
    # one (a city that wants it gone removes the later copy first; `services.delete_measure` says so).
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name=_("carried over from"),
        editable=False,
    )
    carry = models.CharField(
        _("carried over"), max_length=10, blank=True, choices=Carry.choices, default="", editable=False
    )
    # What a reviewer assesses the effect to be, beside what the city claims (`expected_effect`).
    assessed_effect = models.DecimalField(
        _("assessed effect (t CO₂e per year)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=limits.effect_validators(),
        editable=False,
    )
    assessed_reason = limits.text_field(_("reason for the assessed effect"), limits.NOTE, blank=True, editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
        editable=False,
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme_area__order", "title", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            # The sums of effect by programme and theme (dashboard, totals, reports) read this
            # index alone, never the rows: 10 times less work at 10,000 cities.
            models.Index(fields=["programme", "theme_area", "expected_effect", "status"], name="measure_effect_sums"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__gte=0),
                name="measure_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__lte=limits.MAX_AMOUNT),
                name="measure_cost_at_most_a_trillion",
            ),
            models.CheckConstraint(
                condition=Q(expected_effect__isnull=True)
                | Q(expected_effect__gte=-limits.MAX_EFFECT, expected_effect__lte=limits.MAX_EFFECT),
                name="measure_effect_within_bounds",
            ),
            limits.length_check("description", limits.DESCRIPTION, "measure_description_length"),
            models.CheckConstraint(
                condition=Q(assessed_effect__isnull=True)
                | Q(assessed_effect__gte=-limits.MAX_EFFECT, assessed_effect__lte=limits.MAX_EFFECT),
                name="measure_assessed_effect_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(assessed_effect__isnull=True) | ~Q(assessed_reason=""),
                name="measure_assessed_effect_has_reason",
            ),
            limits.length_check("assessed_reason", limits.NOTE, "measure_assessed_reason_length"),
            # A copy knows how it was carried over; a new measure was carried from nothing.
            models.CheckConstraint(
                condition=Q(carried_from__isnull=True, carry="")
                | Q(carried_from__isnull=False, carry__in=["kept", "changed"]),
                name="measure_carry_has_origin",
            ),
            # One copy of an earlier measure per programme.
            models.UniqueConstraint(
                fields=["carried_from", "programme"],
                condition=Q(carried_from__isnull=False),
                name="measure_carried_once_per_programme",
            ),
        ]

    def __str__(self):
        return self.title


class MeasureDrop(models.Model):
    """A measure of the city's earlier programme that the city chose not to carry into a later one, and why."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="drops", verbose_name=_("measure of the earlier programme")
    )
    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.CASCADE,
        related_name="measure_drops",
        verbose_name=_("programme it was not carried into"),
    )
    reason = limits.text_field(_("reason"), limits.NOTE)
    dropped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dropped by")
    )
    dropped_at = models.DateTimeField(_("dropped at"), default=timezone.now)

    class Meta:
        ordering = ["dropped_at", "pk"]
        verbose_name = _("dropped measure")
        verbose_name_plural = _("dropped measures")
        constraints = [
            models.UniqueConstraint(fields=["measure", "programme"], name="measure_dropped_once_per_programme"),
            limits.length_check("reason", limits.NOTE, "measure_drop_reason_length"),
            models.CheckConstraint(condition=~Q(reason=""), name="measure_drop_has_reason"),
        ]

    def __str__(self):
        return f"{self.measure} ({self.programme})"
