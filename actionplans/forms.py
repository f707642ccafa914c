import re

from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actionplans import services
from actionplans.extensions import check_granted_date
from actionplans.models import AgreementKind, Measure, MeasureCategory, Review
from actionplans.notifications import cities_moved_with
from actionplans.services import check_deadline_date
from cities.forms import DateInput, form_helper
from cities.models import ThemeArea
from cities.sectors import EmissionSector
from lib import limits
from lib.files import inspect_upload


class DraftUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is new in this version (optional)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected = None
        self.fields["file"].help_text = _("PDF, DOCX or ODT, at most %(mb)s MB.") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        }
        self.helper = form_helper(_("Upload"), multipart=True)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.inspected = inspect_upload(file, max_size=settings.UPLOAD_MAX_BYTES)
        return file


class CategorySelect(forms.Select):
    """The categories grouped by theme area; each option says its theme (`data-theme`), so that
    `portal.js` offers only those of the theme chosen in the field `data-theme-from` names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        theme = self.themes.get(str(value))
        if theme is not None:
            option["attrs"]["data-theme"] = str(theme)
        return option


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "theme_area",
            "category",
            "title",
            "description",
            "expected_effect",
            "cost_estimate",
            "status",
            "sector",
            "state_cooperation_wanted",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "category": CategorySelect}
        field_classes = {"expected_effect": limits.DecimalNumberField, "cost_estimate": limits.DecimalNumberField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = list(ThemeArea.objects.all())
        categories = list(MeasureCategory.objects.select_related("theme_area"))
        theme_field, category_field = self.fields["theme_area"], self.fields["category"]
        theme_field.queryset = ThemeArea.objects.all()
        theme_field.choices = [("", _("Choose a theme area"))] + [(t.pk, t.name) for t in themes]
        # Grouped by theme area, so that the choice reads right without JavaScript too.
        category_field.queryset = MeasureCategory.objects.select_related("theme_area")
        category_field.choices = [("", _("No category"))] + [
            (theme.name, [(c.pk, str(c)) for c in categories if c.theme_area_id == theme.pk])
            for theme in themes
            if any(c.theme_area_id == theme.pk for c in categories)
        ]
        category_field.widget.themes = {str(c.pk): c.theme_area_id for c in categories}
        category_field.widget.attrs["data-theme-from"] = self["theme_area"].auto_id
        category_field.help_text = _("A category of the measure's theme area, or none.")
        self.fields["sector"].choices = [("", _("None of them"))] + EmissionSector.choices
        self.helper = form_helper(_("Save measure"))
        self.helper.layout = Layout(
            Div(Div("theme_area", css_class="col-md-6"), Div("category", css_class="col-md-6"), css_class="row"),
            "title",
            "description",
            Div(
                Div(Field("expected_effect"), css_class="col-md-4"),
                Div(Field("cost_estimate"), css_class="col-md-4"),
                Div("status", css_class="col-md-4"),
                css_class="row",
            ),
            "sector",
            "state_cooperation_wanted",
        )

    def clean(self):
        cleaned = super().clean()
        category, theme_area = cleaned.get("category"), cleaned.get("theme_area")
        if category and theme_area and category.theme_area_id != theme_area.pk:
            self.add_error(
                "category",
                ValidationError(
                    _(
                        "“%(category)s” belongs to %(theme)s, not to %(chosen)s: "
                        "choose a category of %(chosen)s, or none."
                    ),
                    code="wrong_theme",
                    params={"category": category, "theme": category.theme_area.name, "chosen": theme_area.name},
                ),
            )
        return cleaned


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is the programme reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The city's contacts see this comment in the programme's history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Reopen programme"))


class ExtendDeadlineForm(forms.Form):
    new_date = forms.DateField(
        label=_("New due date"),
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
        help_text=_("Within five years of today."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    decided_by_text = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        required=False,
        help_text=_("The body and meeting that decided, e.g. the coordination group, 16.12.2008."),
    )
    confirm_earlier = forms.BooleanField(
        label=_("Yes, move the deadline earlier"),
        required=False,
        help_text=_("Needed only when the new date is before the current one."),
    )

    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.helper = form_helper(_("Move the deadline"))

    def clean(self):
        cleaned = super().clean()
        new_date = cleaned.get("new_date")
        if not new_date or new_date >= self.deadline.due_date or cleaned.get("confirm_earlier"):
            return cleaned
        try:
            check_deadline_date(new_date)  # a date the move refuses anyway needs no confirmation
        except ValidationError as error:
            self.add_error("new_date", error)
            return cleaned
        losing = cities_moved_with(self.deadline).count()
        if losing:  # nobody loses time: nothing to confirm
            self.add_error(
                "confirm_earlier",
                ngettext(
                    "The new date is earlier: %(count)d city that has not submitted gets less time. "
                    "Tick the box to confirm.",
                    "The new date is earlier: %(count)d cities that have not submitted get less time. "
                    "Tick the box to confirm.",
                    losing,
                )
                % {"count": losing},
            )
        return cleaned


class ReminderStepsForm(forms.Form):
    offsets = forms.CharField(
        label=_("Reminder steps"),
        max_length=200,
        help_text=_(
            "Days relative to the due day, separated by commas: negative before, 0 on the day, positive after. "
            "E.g. -14, -7, -2, 0, 1, 7."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save reminder steps"))

    def clean_offsets(self):
        parts = [p.strip() for p in self.cleaned_data["offsets"].replace(";", ",").split(",") if p.strip()]
        try:
            offsets = sorted({int(p) for p in parts})
        except ValueError as error:
            raise ValidationError(_("Write whole numbers of days separated by commas.")) from error
        if any(abs(o) > 366 for o in offsets):
            raise ValidationError(_("A step must be within a year of the deadline."))
        return offsets


class ExtensionRequestForm(forms.Form):
    new_date = forms.DateField(
        label=_("New due date you ask for"),
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
        help_text=_("After the current deadline, and at most a year after it."),
    )
    reason = forms.CharField(
        label=_("Why do you need more time?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Send request"))


class ExtensionDecisionForm(forms.Form):
    APPROVE, DECLINE, CLOSE = "approve", "decline", "close"

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    granted_date = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=DateInput(attrs=limits.date_attrs()),
        validators=[limits.validate_programme_date],
        help_text=_(
            "Filled in with the date the city asked for; you may grant another one: after the current "
            "deadline, at most a year after it."
        ),
    )
    comment = forms.CharField(
        label=_("Comment to the city"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, extension, **kwargs):
        super().__init__(*args, **kwargs)
        self.extension = extension
        self.fields["granted_date"].initial = extension.requested_date
        choices = [(self.APPROVE, _("Approve the new date")), (self.DECLINE, _("Decline"))]
        if extension.submitted_while_pending_at:
            # The city did not wait: the request may also be closed, the deadline staying as it was.
            choices.append((self.CLOSE, _("Close the request: the programme was submitted; the deadline stays")))
        self.fields["decision"].choices = choices
        self.helper = form_helper(_("Save decision"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") != self.APPROVE:
            self.errors.pop("granted_date", None)  # the date is of an approval only
            cleaned["granted_date"] = None
            return cleaned
        if "granted_date" in self.errors:
            return cleaned
        # Left empty, the approval is for the date the city asked for.
        granted = cleaned["granted_date"] = cleaned.get("granted_date") or self.extension.requested_date
        try:
            check_granted_date(self.extension.programme, granted)
        except ValidationError as error:
            self.add_error("granted_date", error)
        return cleaned


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["assessment", "status"]
        widgets = {"assessment": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, cross_theme=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = self.instance.status
        if cross_theme:
            self.fields["assessment"].label = _("Cross-theme summary")
        # Any status is read, so that a move the table refuses is told why; the current one and
        # those that may follow it are offered.
        # "Outdated" is the submission's to set, never the reviewer's.
        offered = {self.current_status, *Review.TRANSITIONS.next_statuses(self.current_status)}
        offered -= {Review.Status.OUTDATED} - {self.current_status}
        self.fields["status"].widget.choices = [(v, label) for v, label in Review.Status.choices if v in offered]
        self.helper = form_helper(_("Save review"))

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status != self.current_status:
            if status == Review.Status.OUTDATED:
                raise forms.ValidationError(
                    _("A review is marked outdated only when the city submits a new version."), code="not_allowed"
                )
            Review.TRANSITIONS.check(self.current_status, status)
        return status


class CommentForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=_("Measure"), queryset=Measure.objects.none(), required=False, empty_label=_("The theme in general")
    )
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])
        self.fields["measure"].choices = [("", _("The theme in general"))] + [(m.pk, m.title) for m in measures]
        self.helper = form_helper(_("Add comment"))


class DraftNoteForm(forms.Form):
    text = forms.CharField(label=_("Note to the city"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CandidateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Agreement candidate"),
        choices=[("", _("Not a candidate"))] + list(AgreementKind.choices),
        required=False,
    )


class LinkForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    target = forms.ModelChoiceField(label=_("Depends on or works with"), queryset=Measure.objects.none())
    note = forms.CharField(label=_("How they are linked"), max_length=300, required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])
        choices = [("", _("Choose a measure"))] + [(m.pk, f"{m.theme_area.name}: {m.title}") for m in measures]
        for name in ("source", "target"):
            self.fields[name].queryset = queryset
            self.fields[name].choices = choices
        self.helper = form_helper(_("Link the measures"))


class AssessForm(forms.Form):
    """A reviewer's assessment of a measure's effect, beside the city's claim; empty clears it."""

    assessed_effect = limits.DecimalNumberField(
        label=_("Assessed effect (t CO₂e per year)"),
        required=False,
        max_digits=12,
        decimal_places=1,
        validators=limits.effect_validators(),
        help_text=_("Leave empty to clear the assessment. A negative value is an increase in emissions."),
    )
    assessed_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the effect is assessed so: the city and the other reviewers read it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save assessment"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("assessed_effect") is not None and not cleaned.get("assessed_reason", "").strip():
            self.add_error(
                "assessed_reason",
                ValidationError(_("Say why you assess the effect so."), code="required"),
            )
        return cleaned


class CarryOverForm(forms.Form):
    """Keep, change or drop each measure of the city's earlier programme not yet carried over:
    two fields per measure, `m<pk>-choice` and `m<pk>-reason`."""

    CHOICE = re.compile(r"^m(\d+)-choice$")

    def __init__(self, *args, measures, handled=(), source, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures, self.handled, self.source = list(measures), set(handled), source
        choices = [
            ("", _("Decide later")),
            (services.KEEP, _("Keep as it is")),
            (services.CHANGE, _("Keep and change")),
            (services.DROP, _("Drop")),
        ]
        for measure in self.measures:
            self.fields[f"m{measure.pk}-choice"] = forms.ChoiceField(
                label=measure.title,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"m{measure.pk}-reason"] = forms.CharField(
                label=_("Why is “%(title)s” dropped?") % {"title": measure.title},
                required=False,
                max_length=limits.NOTE,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def rows(self):
        """(measure, its choice, its reason) for the template."""
        return [(m, self[f"m{m.pk}-choice"], self[f"m{m.pk}-reason"]) for m in self.measures]

    def clean(self):
        cleaned = super().clean()
        offered = {m.pk for m in self.measures}
        for key, value in self.data.items():
            match = self.CHOICE.match(key)
            if not match or not value or int(match[1]) in offered:
                continue
            if int(match[1]) in self.handled:
                self.add_error(
                    None,
                    ValidationError(
                        _("A measure you chose has already been carried over or dropped: look at it below."),
                        code="already_carried",
                    ),
                )
            else:
                self.add_error(
                    None,
                    ValidationError(
                        _("A measure you chose is not one of %(programme)s."),
                        code="wrong_measure",
                        params={"programme": self.source},
                    ),
                )
            break
        self.decisions = []
        for measure in self.measures:
            choice = cleaned.get(f"m{measure.pk}-choice")
            reason = cleaned.get(f"m{measure.pk}-reason", "")
            if choice == services.DROP and not reason.strip():
                self.add_error(
                    f"m{measure.pk}-reason",
                    ValidationError(_("Say why the measure is dropped."), code="required"),
                )
            if choice:
                self.decisions.append((measure, choice, reason))
        if not self.decisions and not self.errors:
            self.add_error(
                None, ValidationError(_("Choose keep, change or drop for at least one measure."), code="nothing")
            )
        return cleaned
