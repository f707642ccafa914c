from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cities.forms import form_helper
from emissions.files import inspect_statistics_file


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Statistics file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, store nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = None
        self.fields["file"].help_text = _(
            "Miljødirektoratet's «Klimagassutslipp i kommuner» as XLSX, or as CSV (UTF-8, with ; or , between "
            "the fields); at most %(mb)s MB."
        ) % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        self.helper = form_helper(_("Import"), multipart=True)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.kind = inspect_statistics_file(file, max_size=settings.UPLOAD_MAX_BYTES)
        return file
