"""The forms of the reporting rounds: opening one, its reminder steps, the rows of a report, more time."""

from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from actionplans.models import Round
from cities.forms import DateInput, form_helper
from lib import limits
from results import services
from results.models import SHARE_MESSAGE, ProgressStatus, ReportingRound

MINUS_SIGNS = ("\u2212", "\u2013")


def parse_offsets(text, *, max_days=366):
    """Days relative to a due date from "-14, -7, 0, 7" (a comma or a semicolon between, − or – for minus)."""
    for sign in MINUS_SIGNS:
        text = text.replace(sign, "-")
    parts = [p.strip().replace(" ", "") for p in text.replace(";", ",").split(",") if p.strip()]
    numbers = []
    for part in parts:
        digits = part[1:] if part[:1] in "+-" else part
        if not (digits.isascii() and digits.isdigit() and len(digits) < 5):
            raise ValidationError(
                _("Write whole numbers of days separated by commas, e.g. -14, -7, 0, 7."), code="not_numbers"
            )
        numbers.append(int(part))
    if not numbers:
        raise ValidationError(_("Give at least one step."), code="no_steps")
    if any(abs(n) > max_days for n in numbers):
        raise ValidationError(
            _("A step must be at most %(max)s days before or after the due date.") % {"max": max_days},
            code="out_of_range",
        )
    return sorted(set(numbers))


def _offsets_field():
    return forms.CharField(
        label=_("Remind at (days relative to the due date)"),
        max_length=200,
        help_text=_(
            "Days before (negative), on (0) or after (positive) the due date, separated by commas, e.g. -14, -7, "
            "0, 7. Whoever has not submitted is reminded at 09:00 on that day (on a weekend or holiday: the "
            "working day before, or after for a step after the due date)."
        ),
    )


class ReportingRoundForm(forms.ModelForm):
    offsets = _offsets_field()

    class Meta:
        model = ReportingRound
        fields = ["name", "slug", "kind", "programme_round", "due_date", "description"]
        widgets = {
            "due_date": DateInput(attrs=limits.date_attrs()),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": _("Its part of the page's address: lower-case letters, digits and hyphens.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"offsets": "-14, -7, 0, 7"})
        super().__init__(*args, **kwargs)
        self.fields["programme_round"].queryset = Round.objects.all()
        self.fields["programme_round"].empty_label = _("Choose a round")
        self.helper = form_helper(_("Open the reporting round"))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < services.today():
            raise ValidationError(_("Choose a due date that has not passed yet."), code="past")
        return due

    def clean_offsets(self):
        return parse_offsets(self.cleaned_data["offsets"])


class ReminderStepsForm(forms.Form):
    offsets = _offsets_field()

    def __init__(self, *args, reporting_round, **kwargs):
        steps = reporting_round.reminder_steps.values_list("offset_days", flat=True)
        kwargs.setdefault("initial", {"offsets": ", ".join(str(o) for o in steps)})
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save reminder steps"))

    def clean_offsets(self):
        return parse_offsets(self.cleaned_data["offsets"])


class ProgressRowForm(forms.Form):
    """What is reported on one measure or one obligation. `item` names the row (a measure's or a party's id)."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    share_done = forms.IntegerField(
        label=_("Share done (%)"),
        required=False,
        validators=[MinValueValidator(0, message=SHARE_MESSAGE), MaxValueValidator(100, message=SHARE_MESSAGE)],
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
    )
    spent = limits.DecimalNumberField(
        label=_("Spent (NOK)"), required=False, max_digits=14, decimal_places=0, validators=limits.amount_validators()
    )
    effect_now = limits.DecimalNumberField(
        label=_("Effect now (t CO₂e per year)"),
        required=False,
        max_digits=12,
        decimal_places=1,
        validators=limits.effect_validators(),
    )
    text = forms.CharField(
        label=_("Comment"), required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        share, status = cleaned.get("share_done"), cleaned.get("status")
        if status == ProgressStatus.NOT_STARTED and share:
            self.add_error(
                "share_done",
                ValidationError(
                    _("Something not started has no share done: choose another status."), code="not_started"
                ),
            )
        if status == ProgressStatus.DONE and share is not None and share < 100:
            self.add_error(
                "share_done",
                ValidationError(_("Something done is done in full: leave the share empty or write 100."), code="done"),
            )
        return cleaned

    def values(self):
        """The reported values, as `services.save_report` takes them."""
        return {name: self.cleaned_data.get(name) for name in services.PROGRESS_FIELDS} | {
            "text": self.cleaned_data.get("text") or ""
        }


class BaseProgressFormSet(forms.BaseFormSet):
    """One row per item (a measure or a party), in the order given, with what was saved before as its initial
    values. The rows posted must be those items, in that order: a list that changed while the reporter wrote
    (a measure added) is said, and nothing is saved."""

    def __init__(self, data=None, *, items, saved, prefix):
        self.items = list(items)
        initial = []
        for item in self.items:
            row = saved.get(item.pk)
            values = {name: getattr(row, name) for name in services.PROGRESS_FIELDS} if row else {}
            initial.append({"item": item.pk, **values})
        super().__init__(
            data,
            initial=initial,
            prefix=prefix,
            form_kwargs={"empty_permitted": False, "use_required_attribute": False},
        )
        self.absolute_max = self.max_num = len(self.items)
        for form, item in zip(self.forms, self.items, strict=False):
            form.item, form.saved = item, saved.get(item.pk)

    def clean(self):
        if any(self.errors):
            return
        posted = [form.cleaned_data.get("item") for form in self.forms]
        if posted != [item.pk for item in self.items]:
            raise ValidationError(
                _(
                    "The rows of the report changed while you wrote it: what you typed is kept below; check it and save again."
                ),
                code="rows_changed",
            )

    def rows(self):
        """[(item, values)] of a valid formset."""
        return [(form.item, form.values()) for form in self.forms]


ProgressFormSet = forms.formset_factory(ProgressRowForm, formset=BaseProgressFormSet, extra=0)


class ExtensionRequestForm(forms.Form):
    new_date = forms.DateField(
        label=_("New due date you ask for"),
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
        help_text=_("After the current due date, and at most a year after it."),
    )
    reason = forms.CharField(
        label=_("Why do you need more time?"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.helper = form_helper(_("Send request"))

    def clean_new_date(self):
        new_date = self.cleaned_data["new_date"]
        services.check_extension_date(self.report, new_date)
        return new_date


class ExtensionDecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve the new date")), (DECLINE, _("Decline"))],
    )
    comment = forms.CharField(
        label=_("Comment to the reporter"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save decision"))
        self.helper.layout = Layout(Div("decision"), "comment")


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("Why it is given back"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
