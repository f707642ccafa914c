from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actionplans.models import AgreementKind, Measure, MeasureCategory, Review
from actionplans.notifications import cities_moved_with
from actionplans.services import check_deadline_date
from cities.forms import DateInput, form_helper
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
            "state_cooperation_wanted",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"expected_effect": limits.DecimalNumberField, "cost_estimate": limits.DecimalNumberField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = MeasureCategory.objects.select_related("theme_area")
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
            "state_cooperation_wanted",
        )

    def clean(self):
        cleaned = super().clean()
        category, theme_area = cleaned.get("category"), cleaned.get("theme_area")
        if category and theme_area and category.theme_area_id != theme_area.pk:
            self.add_error("category", ValidationError(_("Choose a category of the measure's theme area.")))
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
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the new date")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the city"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save decision"))


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
        choices = [("", "---------")] + [(m.pk, f"{m.theme_area.name}: {m.title}") for m in measures]
        for name in ("source", "target"):
            self.fields[name].queryset = queryset
            self.fields[name].choices = choices
        self.helper = form_helper(_("Link the measures"))
