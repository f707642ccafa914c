"""The code fields of the two-factor pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from the authenticator app, or (where `recovery` is on) one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.help_text = _("The six digits your authenticator app shows now, or one of your recovery codes.")
        else:
            field.label = _("Code from the app")
            field.help_text = _("The six digits the app shows for this portal once you have added it.")
            field.widget.attrs["inputmode"] = "numeric"
