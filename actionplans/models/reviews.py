"""Reviews of submitted programmes: per theme area and across themes, with
comments on measures that the city answers, agreement candidates and links
between measures."""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actionplans.models.programmes import ActionProgramme, Draft, Measure
from cities.models import ThemeArea
from lib import limits
from lib.transitions import Transitions


class Review(models.Model):
    """One theme area's review of one programme; the cross-theme review has no theme area."""

    # Labels distinct from every programme state: "not started" of a review is not of a programme.
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("review status", "Not reviewed yet")
        IN_PROGRESS = "in_progress", pgettext_lazy("review status", "Review in progress")
        COMMENTS_SENT = "comments_sent", pgettext_lazy("review status", "Comments sent")
        COMPLETED = "completed", pgettext_lazy("review status", "Review completed")
        OUTDATED = "outdated", pgettext_lazy("review status", "New version since the review")

    # A review goes forward, a step may be skipped; a completed review may be taken up again
    # with its comments still shown to the city. Comments once sent are never withdrawn.
    # A completed review becomes outdated when the city submits a new version (the submission
    # moves it, `services.submit_programme`); the reviewer takes it up from there.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.NOT_STARTED: dict.fromkeys(
                [Status.IN_PROGRESS, Status.COMMENTS_SENT, Status.COMPLETED], "actionplans.write_review"
            ),
            Status.IN_PROGRESS: dict.fromkeys([Status.COMMENTS_SENT, Status.COMPLETED], "actionplans.write_review"),
            Status.COMMENTS_SENT: {Status.COMPLETED: "actionplans.write_review"},
            Status.COMPLETED: {
                Status.COMMENTS_SENT: "actionplans.write_review",
                Status.OUTDATED: "actionplans.submit_programme",
            },
            Status.OUTDATED: dict.fromkeys(
                [Status.IN_PROGRESS, Status.COMMENTS_SENT, Status.COMPLETED], "actionplans.write_review"
            ),
        },
    )
    # The statuses in which the city reads the review's comments.
    CITY_READS = (Status.COMMENTS_SENT, Status.COMPLETED, Status.OUTDATED)

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("action programme")
    )
    theme_area = models.ForeignKey(
        ThemeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("theme area"),
        help_text=_("Empty for the cross-theme review."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    assessment = limits.text_field(_("general assessment"), limits.DESCRIPTION, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reviewed_draft = models.ForeignKey(
        Draft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed version"),
        help_text=_("The submitted version the review was completed on."),
    )
    completion_notified_at = models.DateTimeField(_("city notified at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "theme_area__order"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "theme_area"],
                condition=Q(theme_area__isnull=False),
                name="review_one_per_programme_and_theme",
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(theme_area__isnull=True), name="review_one_cross_theme"
            ),
            limits.length_check("assessment", limits.DESCRIPTION, "review_assessment_length"),
        ]

    def __str__(self):
        theme = self.theme_area or _("all themes")
        return f"{self.programme} – {theme}"

    @property
    def comments_visible_to_city(self):
        return self.status in self.CITY_READS


class ReviewStatusChange(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("review")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Review.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Review.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("review status change")
        verbose_name_plural = _("review status changes")

    def __str__(self):
        return f"{self.review}: {self.from_status} → {self.to_status}"


class ReviewComment(models.Model):
    """A reviewer's comment on one measure (or on the theme in general)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments", verbose_name=_("review"))
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("measure"),
    )
    text = limits.text_field(_("comment"), limits.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_in = models.ForeignKey(
        Draft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved in version"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [limits.length_check("text", limits.NOTE, "review_comment_text_length")]

    def __str__(self):
        return self.text[:60]


class CommentReply(models.Model):
    """The city's (or a reviewer's) answer to a comment."""

    comment = models.ForeignKey(
        ReviewComment, on_delete=models.CASCADE, related_name="replies", verbose_name=_("comment")
    )
    text = limits.text_field(_("answer"), limits.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [limits.length_check("text", limits.NOTE, "comment_reply_text_length")]

    def __str__(self):
        return self.text[:60]


class MeasureLink(models.Model):
    """Measures in different theme areas that depend on each other, found in the cross-theme review."""

    source = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("measure"))
    target = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("linked measure")
    )
    note = models.CharField(_("how they are linked"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("linked by")
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("measure link")
        verbose_name_plural = _("measure links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="measure_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="measure_link_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.source} ↔ {self.target}"


def comments_of(reviews):
    """Prefetch onto measures (as `.comments`) their comments in `reviews`, with the answers."""
    return Prefetch(
        "review_comments",
        queryset=ReviewComment.objects.filter(review__in=reviews)
        .select_related("author", "resolved_in", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author"))),
        to_attr="comments",
    )
