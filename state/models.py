"""What the state offers: the instruments of the state bodies, and the cities' requests to them with the answers."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models import ActionProgramme, AgreementKind, Measure
from agreements.models import Agreement
from cities.models import Organisation, ThemeArea
from lib import limits
from lib.transitions import Transitions

# A link to the body's own page: over HTTPS only, so that no page of the portal sends its readers to plain HTTP.
validate_https = URLValidator(
    schemes=["https"], message=_("Enter an address that starts with https://."), code="not_https"
)


def _in_language(nb, en):
    """The English text in English, when there is one; else the Norwegian one (the programme's language)."""
    return en if en and (get_language() or "nb").startswith("en") else nb


class InstrumentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Instrument(models.Model):
    """What a state body offers the cities: a grant, an agreement, guidance, a course, data or a tool."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant or reward scheme")
        FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")
        GUIDANCE = "guidance", _("Guidance and expert help")
        PILOT_SUPPORT = "pilot_support", _("Pilot support")
        COURSE = "course", _("Course or competence programme")
        DATA_OR_TOOL = "data_or_tool", _("Data or tool")

    body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("state body")
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=limits.TITLE)
    name_en = models.CharField(_("name (English)"), max_length=limits.TITLE, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    theme_areas = models.ManyToManyField(
        ThemeArea, blank=True, related_name="instruments", verbose_name=_("theme areas")
    )
    offers_nb = limits.text_field(_("what it offers (Norwegian)"), limits.DESCRIPTION)
    offers_en = limits.text_field(_("what it offers (English)"), limits.DESCRIPTION, blank=True)
    terms_nb = limits.text_field(_("terms (Norwegian)"), limits.DESCRIPTION, blank=True)
    terms_en = limits.text_field(_("terms (English)"), limits.DESCRIPTION, blank=True)
    open_from = models.DateField(_("open from"), null=True, blank=True, validators=[limits.validate_programme_date])
    open_until = models.DateField(_("open until"), null=True, blank=True, validators=[limits.validate_programme_date])
    application_deadline = models.DateField(
        _("application deadline"), null=True, blank=True, validators=[limits.validate_programme_date]
    )
    contact_role = models.CharField(
        _("contact"),
        max_length=limits.TITLE,
        blank=True,
        help_text=_("The role or office to turn to, e.g. “Adviser for municipalities, section for climate”."),
    )
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_https],
        help_text=_("The body's own page about it (https://…)."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Offered now. An instrument no longer offered stays, for its history.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = InstrumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body__short_name", "name_nb", "pk"]
        verbose_name = _("state instrument")
        verbose_name_plural = _("state instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name_nb"],
                name="instrument_name_once_per_body",
                violation_error_message=_("This body already has an instrument of this name."),
            ),
            models.CheckConstraint(
                condition=Q(open_until__isnull=True)
                | Q(open_from__isnull=True)
                | Q(open_until__gte=models.F("open_from")),
                name="instrument_open_in_order",
            ),
            limits.length_check("offers_nb", limits.DESCRIPTION, "instrument_offers_nb_length"),
            limits.length_check("offers_en", limits.DESCRIPTION, "instrument_offers_en_length"),
            limits.length_check("terms_nb", limits.DESCRIPTION, "instrument_terms_nb_length"),
            limits.length_check("terms_en", limits.DESCRIPTION, "instrument_terms_en_length"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _in_language(self.name_nb, self.name_en)

    @property
    def offers(self):
        return _in_language(self.offers_nb, self.offers_en)

    @property
    def terms(self):
        return _in_language(self.terms_nb, self.terms_en)

    @property
    def agreement_kind(self):
        """The kind of agreement an offer of this instrument most likely becomes (a guess the form lets one change)."""
        return AGREEMENT_KINDS[self.kind]


# A grant or reward scheme and a framework agreement with a body are long-term economic agreements (the reward
# scheme for public transport, the framework agreement with Enova); guidance and courses build competence.
AGREEMENT_KINDS = {
    Instrument.Kind.GRANT: AgreementKind.LONG_TERM_ECONOMIC,
    Instrument.Kind.FRAMEWORK_AGREEMENT: AgreementKind.LONG_TERM_ECONOMIC,
    Instrument.Kind.GUIDANCE: AgreementKind.COMPETENCE_BUILDING,
    Instrument.Kind.PILOT_SUPPORT: AgreementKind.PILOT_PROJECT,
    Instrument.Kind.COURSE: AgreementKind.COMPETENCE_BUILDING,
    Instrument.Kind.DATA_OR_TOOL: AgreementKind.SHARED_DATA,
}


# The permission of a move that only the portal makes, as a consequence of something else, never through a view
# (a rule that no one passes: `state.rules`; `services._move` refuses it unless told it is the portal's).
SYSTEM_MOVE = "state.system_move"


class StateRequestQuerySet(models.QuerySet):
    def published_offers(self):
        """The offers their body has published for every city in the programme (`services.publish_offer`)."""
        return self.filter(status__in=StateRequest.OFFERS, published_at__isnull=False)


class StateRequest(models.Model):
    """A city's concrete ask of a state body, for its programme or one measure of it, and the body's answer."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        OFFERED = "offered", _("Answered with an offer")
        REFERRED = "referred", _("Referred")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        AGREED = "agreed", _("Turned into an agreement")

    # The body acknowledges a request, then answers it with an offer, a referral or a refusal
    # (answering one not yet acknowledged acknowledges it first: `services.answer`). The city
    # withdraws it while it waits for an answer. An offer may become an agreement, and is an offer again if
    # that agreement is deleted (a move of the portal's, `SYSTEM_MOVE`). The rest is final.
    TRANSITIONS = Transitions(
        Status,
        {
            Status.ASKED: {
                Status.ACKNOWLEDGED: "state.answer_request",
                Status.WITHDRAWN: "state.withdraw_request",
            },
            Status.ACKNOWLEDGED: {
                Status.OFFERED: "state.answer_request",
                Status.REFERRED: "state.answer_request",
                Status.REFUSED: "state.answer_request",
                Status.WITHDRAWN: "state.withdraw_request",
            },
            Status.OFFERED: {Status.AGREED: "state.turn_into_agreement"},
            Status.REFERRED: {},
            Status.REFUSED: {},
            Status.WITHDRAWN: {},
            # The agreement made of the offer was deleted: the offer stands again (`services.offer_again`).
            Status.AGREED: {Status.OFFERED: SYSTEM_MOVE},
        },
    )
    OPEN = (Status.ASKED, Status.ACKNOWLEDGED)
    ANSWERED = (Status.OFFERED, Status.REFERRED, Status.REFUSED, Status.AGREED)
    # The requests that hold an offer: answered with one, or turned into an agreement since.
    OFFERS = (Status.OFFERED, Status.AGREED)

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.PROTECT, related_name="state_requests", verbose_name=_("action programme")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="state_requests",
        verbose_name=_("measure"),
        help_text=_("Empty: for the action programme as a whole."),
    )
    body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="state_requests", verbose_name=_("state body")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("instrument"),
        help_text=_("Empty: something else the body may offer."),
    )
    need = limits.text_field(_("what is needed"), limits.NOTE)
    needed_by = models.DateField(_("needed by"), null=True, blank=True, validators=[limits.validate_programme_date])
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    on_behalf = models.BooleanField(
        _("raised on the city's behalf"), default=False, help_text=_("By a coordinator or the programme management.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ASKED)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The answer: an offer,
    offer = limits.text_field(_("what is offered"), limits.NOTE, blank=True)
    offer_amount = models.DecimalField(
        _("amount (NOK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=limits.amount_validators(),
    )
    offer_from = models.DateField(_("from"), null=True, blank=True, validators=[limits.validate_programme_date])
    offer_conditions = limits.text_field(_("conditions"), limits.NOTE, blank=True)
    # a referral to another body (and perhaps one of its instruments),
    referred_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_state_requests",
        verbose_name=_("referred to"),
    )
    referred_instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred to the instrument"),
    )
    # or a refusal.
    refusal_reason = limits.text_field(_("reason for the refusal"), limits.NOTE, blank=True)
    # Made from the offer (`services.make_agreement`).
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="state_requests",
        verbose_name=_("agreement"),
    )
    # An offer its body shows to every city in the programme, on the instrument's page: what is offered, the
    # amount, from when, the conditions and the city, nothing else of the request (`access.published_offers`).
    published_at = models.DateTimeField(_("offer published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer published by"),
    )

    objects = StateRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request to the state")
        verbose_name_plural = _("requests to the state")
        indexes = [models.Index(fields=["body", "status", "created_at"], name="state_request_body_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer_amount__isnull=True) | Q(offer_amount__gte=0, offer_amount__lte=limits.MAX_AMOUNT),
                name="state_request_amount_within_bounds",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(referred_body__isnull=False),
                name="state_request_referral_names_a_body",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status__in=["offered", "agreed"]),
                name="state_request_only_an_offer_is_published",
            ),
            limits.length_check("need", limits.NOTE, "state_request_need_length"),
            limits.length_check("offer", limits.NOTE, "state_request_offer_length"),
            limits.length_check("offer_conditions", limits.NOTE, "state_request_conditions_length"),
            limits.length_check("refusal_reason", limits.NOTE, "state_request_refusal_length"),
        ]

    def __str__(self):
        return _("Request to %(body)s (%(when)s)") % {
            "body": self.body.short_name,
            "when": f"{timezone.localdate(self.created_at):%d.%m.%Y}",
        }

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_published(self):
        return self.published_at is not None


class StateRequestStatusChange(models.Model):
    """Who moved a request from which status to which, and when, with what they said."""

    request = models.ForeignKey(
        StateRequest, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("request")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=StateRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=StateRequest.Status.choices)
    # Empty for a move the portal made with no person behind it known (`services.offer_again` from a script).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = limits.text_field(_("comment"), limits.NOTE, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("request status change")
        verbose_name_plural = _("request status changes")
        constraints = [limits.length_check("comment", limits.NOTE, "state_request_change_comment_length")]

    def __str__(self):
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


# When an unanswered request is reminded, if the programme management has set nothing: two weeks after it was asked.
DEFAULT_REMINDER_DAYS = (14,)


class ReminderStepQuerySet(models.QuerySet):
    def days(self):
        """The days after asking when an unanswered request is reminded: those set, else `DEFAULT_REMINDER_DAYS`."""
        return sorted(self.values_list("days", flat=True)) or list(DEFAULT_REMINDER_DAYS)


class ReminderStep(models.Model):
    """When a request still unanswered is reminded to its body: a number of calendar days after it was asked,
    at 09:00 Oslo time (on the next working day, if it falls on a weekend or holiday). Set by the programme
    management for every request; with none set, `DEFAULT_REMINDER_DAYS`."""

    days = models.PositiveSmallIntegerField(_("days after the request"), unique=True)

    objects = ReminderStepQuerySet.as_manager()

    class Meta:
        ordering = ["days"]
        verbose_name = _("reminder step of the requests")
        verbose_name_plural = _("reminder steps of the requests")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=366), name="state_reminder_step_within_a_year")
        ]

    def __str__(self):
        return str(self.days)


class RequestReminder(models.Model):
    """One reminder of an unanswered request to its body, recorded once per step (the sweep's decision, under a
    unique constraint) and handed to the outbox by whoever claims it first: one mail to each of the body's
    partners, or to the programme management if the body has none."""

    request = models.ForeignKey(
        StateRequest, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("request")
    )
    days = models.PositiveSmallIntegerField(_("step (days after the request)"))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "pk"]
        verbose_name = _("request reminder")
        verbose_name_plural = _("request reminders")
        constraints = [models.UniqueConstraint(fields=["request", "days"], name="state_request_reminder_once_per_step")]
        indexes = [
            # What the sweep claims: the rows not queued yet, a few among many.
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="state_reminder_unsent_idx")
        ]

    def __str__(self):
        return f"{self.request_id} +{self.days}"
