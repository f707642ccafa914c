from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.forms import DateInput, form_helper
from lib import limits
from lib.fields import name_empty_choices
from lib.widgets import CheckboxList
from state.access import bodies_kept_by, bodies_to_ask, measures_to_ask_for
from state.models import Instrument, ReminderStep, StateRequest, validate_https


class InstrumentChoiceField(forms.ModelChoiceField):
    """An instrument named with its body, so that one list serves every body."""

    def label_from_instance(self, obj):
        return f"{obj.body.short_name}: {obj.name}"


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.short_name})"


class HttpsURLField(forms.URLField):
    """An address over HTTPS only, with one message for anything else (javascript:, http:, no address at all)."""

    default_validators = [validate_https]


class InstrumentForm(forms.ModelForm):
    # What the user may leave out, the server makes secure: "enova.no" is https://enova.no.
    link = HttpsURLField(
        label=Instrument._meta.get_field("link").verbose_name,
        help_text=Instrument._meta.get_field("link").help_text,
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = Instrument
        fields = [
            "body",
            "name_nb",
            "name_en",
            "kind",
            "theme_areas",
            "offers_nb",
            "offers_en",
            "terms_nb",
            "terms_en",
            "open_from",
            "open_until",
            "application_deadline",
            "contact_role",
            "link",
            "active",
        ]
        widgets = {
            "theme_areas": CheckboxList,
            "offers_nb": forms.Textarea(attrs={"rows": 4}),
            "offers_en": forms.Textarea(attrs={"rows": 4}),
            "terms_nb": forms.Textarea(attrs={"rows": 3}),
            "terms_en": forms.Textarea(attrs={"rows": 3}),
            "open_from": DateInput(attrs=limits.date_attrs()),
            "open_until": DateInput(attrs=limits.date_attrs()),
            "application_deadline": DateInput(attrs=limits.date_attrs()),
        }
        field_classes = {"body": BodyChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies_kept_by(user)
        self.fields["body"].error_messages["invalid_choice"] = _("Choose a body whose instruments you keep.")
        self.fields["name_en"].help_text = _("Empty: the Norwegian name is shown in English too.")
        self.fields["offers_en"].help_text = _("Empty: the Norwegian text is shown in English too.")
        name_empty_choices(self)
        self.helper = form_helper(_("Save instrument"))
        self.helper.layout = Layout(
            Fieldset(
                _("The instrument"),
                Div(Div("body", css_class="col-md-6"), Div("kind", css_class="col-md-6"), css_class="row"),
                Div(Div("name_nb", css_class="col-md-6"), Div("name_en", css_class="col-md-6"), css_class="row"),
                "theme_areas",
            ),
            Fieldset(
                _("What it offers, and on what terms"),
                Div(Div("offers_nb", css_class="col-md-6"), Div("offers_en", css_class="col-md-6"), css_class="row"),
                Div(Div("terms_nb", css_class="col-md-6"), Div("terms_en", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("When it is open"),
                Div(
                    Div("open_from", css_class="col-md-4"),
                    Div("open_until", css_class="col-md-4"),
                    Div("application_deadline", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Contact"), "contact_role", "link", "active"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end, deadline = cleaned.get("open_from"), cleaned.get("open_until"), cleaned.get("application_deadline")
        if start and end and end < start:
            self.add_error("open_until", _("It must close after it opens."))
        if deadline and start and deadline < start:
            self.add_error("application_deadline", _("The deadline must be after it opens."))
        if deadline and end and deadline > end:
            self.add_error("application_deadline", _("The deadline must be before it closes."))
        return cleaned


class RequestForm(forms.Form):
    """What a city asks of a state body, for its programme or one of its measures."""

    measure = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=None,
        required=False,
        empty_label=_("The action programme as a whole"),
        error_messages={"invalid_choice": _("Choose a measure of this action programme.")},
    )
    body = BodyChoiceField(
        label=_("State body"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a state body from the list.")},
        help_text=_("Empty if you choose an instrument: its body is asked."),
    )
    instrument = InstrumentChoiceField(
        label=_("Instrument"),
        queryset=None,
        required=False,
        empty_label=_("Other: something not in the register"),
        error_messages={"invalid_choice": _("Choose an instrument from the list.")},
    )
    need = forms.CharField(
        label=_("What is needed"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("As concretely as you can: what, how much, for what part of the measure."),
    )
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
    )

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["measure"].queryset = measures_to_ask_for(user, programme)
        self.fields["body"].queryset = bodies_to_ask().order_by("name")
        self.fields["instrument"].queryset = Instrument.objects.active().select_related("body")
        name_empty_choices(self)
        self.helper = form_helper(_("Send the request"))
        self.helper.layout = Layout(
            "measure",
            Div(Div("body", css_class="col-md-6"), Div("instrument", css_class="col-md-6"), css_class="row"),
            "need",
            Div(Div("needed_by", css_class="col-md-4"), css_class="row"),
        )

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."), code="past")
        return needed_by

    def clean(self):
        cleaned = super().clean()
        body, instrument = cleaned.get("body"), cleaned.get("instrument")
        if body is None and instrument is not None:
            cleaned["body"] = instrument.body
        elif body is None and "body" not in self.errors and "instrument" not in self.errors:
            self.add_error("body", _("Choose the body to ask, or one of its instruments."))
        elif body is not None and instrument is not None and instrument.body_id != body.pk:
            self.add_error(
                "instrument",
                _("This instrument is offered by %(body)s: choose that body, or another instrument.")
                % {"body": instrument.body.short_name},
            )
        return cleaned


def comment_field(label=None):
    return forms.CharField(
        label=label or _("Comment"), required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    """A move without an answer of its own: acknowledging, withdrawing."""

    comment = comment_field()


class OfferForm(forms.Form):
    offer = forms.CharField(
        label=_("What is offered"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )
    offer_amount = limits.DecimalNumberField(
        label=_("Amount (NOK)"),
        required=False,
        max_digits=14,
        decimal_places=0,
        validators=limits.amount_validators(),
        error_messages={"max_decimal_places": _("Give the amount in whole kroner.")},
    )
    offer_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
    )
    offer_conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    comment = comment_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "offer")
        super().__init__(*args, **kwargs)


class ReferForm(forms.Form):
    referred_body = BodyChoiceField(
        label=_("Refer to the body"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a state body from the list.")},
        help_text=_("Empty if you choose an instrument: its body."),
    )
    referred_instrument = InstrumentChoiceField(
        label=_("and its instrument"),
        queryset=None,
        required=False,
        empty_label=_("None in particular"),
        error_messages={"invalid_choice": _("Choose an instrument from the list.")},
    )
    comment = comment_field(_("Why, and what the city should ask there"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "refer")
        super().__init__(*args, **kwargs)
        self.fields["referred_body"].queryset = bodies_to_ask().order_by("name")
        self.fields["referred_instrument"].queryset = Instrument.objects.active().select_related("body")
        name_empty_choices(self)


class RefuseForm(forms.Form):
    refusal_reason = forms.CharField(
        label=_("Reason"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "refuse")
        super().__init__(*args, **kwargs)


class PublishForm(forms.Form):
    """Publish an offer on its instrument's page, or no longer: the choice is named, so that sending it twice
    does the same."""

    PUBLISH, UNPUBLISH = "publish", "unpublish"
    publish = forms.ChoiceField(choices=[(PUBLISH, PUBLISH), (UNPUBLISH, UNPUBLISH)], widget=forms.HiddenInput)


ANSWER_FORMS = {
    StateRequest.Status.OFFERED: OfferForm,
    StateRequest.Status.REFERRED: ReferForm,
    StateRequest.Status.REFUSED: RefuseForm,
}


class ReminderStepsForm(forms.Form):
    """When the requests still unanswered are reminded to their bodies: days after asking, e.g. "14, 28"."""

    days = forms.CharField(
        label=_("Remind after (days)"),
        max_length=200,
        help_text=_(
            "Days after a request was asked, separated by commas, e.g. 14, 28. A request not answered by then is "
            "reminded to the partners of its body (to the programme management if it has none) at 09:00 on "
            "that day, or the next working day."
        ),
    )

    # Steps further apart than a year remind of nothing anyone still waits for.
    MAX_DAYS = 366

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"days": ", ".join(str(d) for d in ReminderStep.objects.days())})
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save reminder steps"))

    def clean_days(self):
        parts = [p.strip() for p in self.cleaned_data["days"].replace(";", ",").split(",") if p.strip()]
        if not all(p.isascii() and p.isdigit() and len(p) < 5 for p in parts):
            raise forms.ValidationError(_("Write whole numbers of days separated by commas."), code="not_numbers")
        days = sorted({int(p) for p in parts})
        if not days:
            raise forms.ValidationError(_("Give at least one number of days."), code="no_steps")
        if days[0] < 1 or days[-1] > self.MAX_DAYS:
            raise forms.ValidationError(
                _("A step must be from 1 to %(max)s days after the request.") % {"max": self.MAX_DAYS},
                code="out_of_range",
            )
        return days


def prefill_agreement(form, state_request):
    """Fill in an agreement form (`agreements.forms.AgreementForm`), unsaved, from the offer of `state_request`,
    as the groups of similar measures fill it in (`prefill_from_measures`): the city and the body as the
    parties; the request's measure linked, with its theme area, if the form offers it (a measure of a
    submitted programme the user reads), else the theme area of the measure or the instrument's; the kind
    the instrument's offers most likely become; a title from the instrument or the need; the offer as the
    description, its amount as the value and its start as the period's.
    Returns whether the request's measure (if it has one) could be linked."""
    r = state_request
    linked = r.measure_id is None
    if r.measure_id is not None:
        measures, _refused = form.prefill_from_measures([str(r.measure_id)])
        linked = bool(measures)
    if not (r.measure_id and linked):
        themes = {r.measure.theme_area_id} if r.measure_id else set()
        if not themes and r.instrument_id is not None:
            themes = {t.pk for t in r.instrument.theme_areas.all()}
        choosable = set(form.fields["theme_areas"].queryset.values_list("pk", flat=True))
        form.initial["theme_areas"] = sorted(themes & choosable)
    city = r.programme.city.name
    topic = r.instrument.name if r.instrument_id is not None else (r.need.strip().splitlines() or [""])[0]
    room = limits.TITLE - len(city) - 3
    title = f"{topic if len(topic) <= room else topic[: room - 1] + '…'} – {city}"
    description = r.offer.strip()
    if r.offer_conditions.strip():
        description += f"\n\n{gettext('Conditions:')}\n{r.offer_conditions.strip()}"
    form.initial.update(
        {
            "title": title,
            "description": description[: limits.DESCRIPTION],
            "cities": [r.programme.city_id],
            "organisations": [r.body_id],
            "value": r.offer_amount,
            "period_start": r.offer_from,
        }
    )
    if r.instrument_id is not None:
        form.initial["kind"] = r.instrument.agreement_kind
    return linked
