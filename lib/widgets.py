"""Form widgets every app uses."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckboxList(forms.CheckboxSelectMultiple):
    """A list of checkboxes in place of a multi-select that needs Ctrl-click.

    It works by keyboard, on a phone and without JavaScript; with more than a few
    options `portal.js` puts a filter box above the list and lets the list scroll
    in its own box. The filter's label travels in the `data-checklist` attribute,
    in the reader's language.
    """

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-checklist": _("Filter the list"), **(attrs or {})}, choices)
