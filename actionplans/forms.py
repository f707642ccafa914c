from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actionplans.models import Measure, MeasureCategory
from actionplans.uploads import inspect_upload


def _helper(submit_label):
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


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
        self.helper = _helper(_("Upload"))
        self.helper.form_enctype = "multipart/form-data"

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = MeasureCategory.objects.select_related("theme_area")
        self.fields["expected_effect"].localize = True
        self.fields["cost_estimate"].localize = True
        self.helper = _helper(_("Save measure"))
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
        self.helper = _helper(_("Reopen programme"))
