from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from search.backends import searchable
from search.models import Kind
from search.queries import MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY,
        error_messages={
            "required": _("Type what you are looking for."),
            "max_length": _("Search for at most %(limit_value)d characters (you typed %(show_value)d)."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Only"),
        choices=[("", _("Everything")), *Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("There is nothing of the kind “%(value)s” to search.")},
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if not searchable(text):
            raise ValidationError(_("Search for at least one word of letters or digits."), code="no_words")
        return text
