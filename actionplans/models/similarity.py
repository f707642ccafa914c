"""Groups of measures alike by their text, found by a task and stored (see `actionplans.similarity`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actionplans.models.programmes import Measure
from actionplans.models.rounds import Round


class MeasureLikeness(models.Model):
    """A measure without a category in a group of measures of its theme alike by their text.

    Only measures in a group of two or more have a row. `group` is the smallest measure id of the
    group, so that a group keeps its number while measures join it or leave it.
    """

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="likeness", verbose_name=_("measure")
    )
    # The measure's round, kept here so that a round's groups are replaced without a join.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", verbose_name=_("round"))
    group = models.PositiveBigIntegerField(_("group"))

    class Meta:
        verbose_name = _("measure alike by its text")
        verbose_name_plural = _("measures alike by their text")
        indexes = [models.Index(fields=["round", "group"], name="likeness_round_group")]

    def __str__(self):
        return f"{self.measure_id} → {self.group}"


class LikenessState(models.Model):
    """Whether a round's stored text groups are up to date.

    Every change that may move a group counts one up in `changes`, in the transaction of the change;
    a regrouping stores the `changes` it read before it read the measures in `grouped`. The groups
    are up to date while `grouped` has caught up with `changes`.
    """

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, primary_key=True, related_name="likeness_state", verbose_name=_("round")
    )
    changes = models.PositiveBigIntegerField(_("changes"), default=0)
    grouped = models.PositiveBigIntegerField(_("changes grouped"), null=True, blank=True)
    grouped_at = models.DateTimeField(_("grouped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("state of the text groups")
        verbose_name_plural = _("states of the text groups")

    def __str__(self):
        return f"{self.round_id}: {self.grouped}/{self.changes}"

    @property
    def is_current(self):
        return self.grouped is not None and self.grouped >= self.changes


class SimilarGroup(models.Model):
    """One group of similar measures of a round, with its figures: what the page of groups lists.

    Rebuilt from the measures (sums in the database) by every regrouping and after a candidate is
    marked, so that the page reads a few rows instead of summing every measure of the round.
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("By category")
        TEXT = "text", _("Alike by their text")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", verbose_name=_("round"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.PositiveBigIntegerField(_("key"))  # the category's id, or the text group's number
    theme_area = models.ForeignKey(
        "cities.ThemeArea", on_delete=models.CASCADE, related_name="+", verbose_name=_("theme area")
    )
    category = models.ForeignKey(
        "actionplans.MeasureCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    name = models.CharField(_("name"), max_length=200)  # the category's, or the first title of the group
    cities = models.PositiveIntegerField(_("cities"))
    measures = models.PositiveIntegerField(_("measures"))
    effect = models.DecimalField(_("expected effect"), max_digits=14, decimal_places=1)
    candidates = models.PositiveIntegerField(_("agreement candidates"))
    shown = models.JSONField(_("measures shown"), default=list)  # the first ids by city and title

    class Meta:
        verbose_name = _("group of similar measures")
        verbose_name_plural = _("groups of similar measures")
        constraints = [models.UniqueConstraint(fields=["round", "kind", "key"], name="similar_group_unique")]

    def __str__(self):
        return f"{self.round_id} {self.kind} {self.key}"
