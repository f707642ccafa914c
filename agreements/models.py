"""State–city agreements: from candidate measures to signed agreements."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import AgreementKind, Measure
from cities.models import City, Organisation, ThemeArea
from lib import limits
from lib.transitions import Transitions
from lib.uploads import StoredFile
from meetings.models import ActionItem, Decision


class Agreement(models.Model):
    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        IN_PREPARATION = "in_preparation", _("In preparation")
        NEGOTIATING = "negotiating", _("Negotiating")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    # The pipeline of DESIGN.md, and who moves an agreement along it. Before it is signed a
    # stage may be skipped (recorded late) or gone back to; once signed it goes only forward.
    # It may be dropped at any stage but the last, and a dropped one reopened as identified.
    # A completed agreement is final.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.IDENTIFIED: dict.fromkeys(
                [Status.IN_PREPARATION, Status.NEGOTIATING, Status.SIGNED, Status.DROPPED], "agreements.change_status"
            ),
            Status.IN_PREPARATION: dict.fromkeys(
                [Status.IDENTIFIED, Status.NEGOTIATING, Status.SIGNED, Status.DROPPED], "agreements.change_status"
            ),
            Status.NEGOTIATING: dict.fromkeys(
                [Status.IDENTIFIED, Status.IN_PREPARATION, Status.SIGNED, Status.DROPPED], "agreements.change_status"
            ),
            Status.SIGNED: dict.fromkeys([Status.ACTIVE, Status.COMPLETED, Status.DROPPED], "agreements.change_status"),
            Status.ACTIVE: dict.fromkeys([Status.COMPLETED, Status.DROPPED], "agreements.change_status"),
            Status.COMPLETED: {},
            Status.DROPPED: {Status.IDENTIFIED: "agreements.change_status"},
        },
    )

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    description = limits.text_field(_("description"), limits.DESCRIPTION, blank=True)
    theme_areas = models.ManyToManyField(
        ThemeArea, blank=True, related_name="agreements", verbose_name=_("theme areas")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_agreements",
        verbose_name=_("responsible"),
    )
    value = models.DecimalField(
        _("value (NOK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=limits.amount_validators(),
    )
    period_start = models.DateField(
        _("period from"), null=True, blank=True, validators=[limits.validate_programme_date]
    )
    period_end = models.DateField(_("period to"), null=True, blank=True, validators=[limits.validate_programme_date])
    signed_date = models.DateField(_("signed"), null=True, blank=True, validators=[limits.validate_programme_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    measures = models.ManyToManyField(Measure, blank=True, related_name="agreements", verbose_name=_("measures"))
    decisions = models.ManyToManyField(
        Decision, blank=True, related_name="agreements", verbose_name=_("meeting decisions")
    )
    action_items = models.ManyToManyField(
        ActionItem, blank=True, related_name="agreements", verbose_name=_("action items")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="agreement_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="agreement_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=limits.MAX_AMOUNT),
                name="agreement_value_at_most_a_trillion",
            ),
            limits.length_check("description", limits.DESCRIPTION, "agreement_description_length"),
        ]

    def __str__(self):
        return self.title

    def history_beyond_creation(self, *, status_changes=None, documents=None):
        """What has happened to the agreement since it was made, as sentences; none while it may be deleted.

        Its history is what the portal stores about its course, beside what it is (title, kind,
        description, value, period, responsible) and what it links to (parties, theme areas,
        measures, meeting decisions, action items), which may be edited at will. It is:
        its status, if no longer "identified"; its rows of `AgreementStatusChange`, but the one
        its creation wrote (from nothing to "identified", with no comment and no decision);
        its documents (`AgreementDocument`); its signed date. Agreements keep no other history
        (they have no `simple_history` records, and send no mail). A page that has read the
        agreement's `status_changes` and `documents` already passes them, to read them once.
        """
        reasons = []
        if self.status != self.Status.IDENTIFIED:
            reasons.append(
                _("It has moved on in the pipeline: it is “%(status)s”.") % {"status": self.get_status_display()}
            )
        creation = ("", self.Status.IDENTIFIED, "", None)
        if status_changes is None:
            rows = list(self.status_changes.values_list("from_status", "to_status", "comment", "decision_id")[:2])
        else:
            rows = [(c.from_status, c.to_status, c.comment, c.decision_id) for c in status_changes]
        if rows not in ([], [creation]) and not reasons:  # moved on says it already
            reasons.append(_("Its timeline has entries since it was created."))
        if self.documents.exists() if documents is None else documents:
            reasons.append(_("It has documents."))
        if self.signed_date is not None:
            reasons.append(_("It has a signed date."))
        return reasons


class Party(models.Model):
    """A party to an agreement: a city, or an organisation (ministry, agency, county, KS, business)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement_parties", verbose_name=_("city")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, organisation__isnull=True)
                | Q(city__isnull=True, organisation__isnull=False),
                name="party_is_a_city_or_an_organisation",
            ),
            models.UniqueConstraint(fields=["agreement", "city"], name="party_city_once"),
            models.UniqueConstraint(fields=["agreement", "organisation"], name="party_organisation_once"),
        ]

    def __str__(self):
        return str(self.city or self.organisation)


class AgreementStatusChange(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("agreement")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Agreement.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Agreement.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement_status_changes",
        verbose_name=_("the meeting decision behind it"),
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
        constraints = [limits.length_check("comment", limits.NOTE, "agreement_status_change_comment_length")]

    def __str__(self):
        return f"{self.agreement}: {self.from_status} → {self.to_status}"


def document_upload_to(instance, filename):
    """A name the server makes; the uploaded name is kept only for display."""
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}{instance.extension}"


class AgreementDocument(StoredFile):
    """A version of an agreement's text, a draft or the signed one. Never overwritten."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed version")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="documents", verbose_name=_("agreement")
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DRAFT)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    note = limits.text_field(_("note"), limits.NOTE, blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_document_number_unique"),
            limits.length_check("note", limits.NOTE, "agreement_document_note_length"),
        ]

    def __str__(self):
        return f"{self.agreement} v{self.number}"
