import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken

NEVER = "never"
EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    (NEVER, _("Never")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so that you know it again: e.g. the program or script that uses it."),
    )
    scope = forms.ChoiceField(
        label=_("What it may read"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.PROGRAMMES,
        widget=forms.RadioSelect,
        help_text=_(
            "Programmes: cities, theme areas, rounds, programmes and their documents and measures, agreements, "
            "meetings and minutes, instruments. Reviews: the reviews and their comments. Never more than you "
            "may read yourself."
        ),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.filter(user=self.user, name=name).usable().exists():
            raise forms.ValidationError(_("You already have a token in use with this name."))
        return name

    def expires_at(self):
        days = self.cleaned_data["expires"]
        return None if days == NEVER else timezone.now() + datetime.timedelta(days=int(days))
