"""What every app's forms share: the submit button and the date input."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


class SubmitButton(Submit):
    """The portal's submit button: green, as every other action of the portal."""

    field_classes = "btn btn-success"


def form_helper(submit_label, *, multipart=False):
    """A crispy helper that renders the form with one submit button labelled `submit_label`."""
    helper = FormHelper()
    helper.add_input(SubmitButton("submit", submit_label))
    if multipart:
        helper.form_enctype = "multipart/form-data"
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        # An <input type="date"> takes ISO dates whatever the language.
        return value.isoformat() if hasattr(value, "isoformat") else value
