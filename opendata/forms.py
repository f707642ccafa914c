from django import forms
from django.utils.translation import gettext_lazy as _

from cities.forms import form_helper
from opendata.models import Licence


class PublishForm(forms.Form):
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.NLOD_2_0)
    confirm = forms.BooleanField(
        label=_("I confirm that the submitted programmes of this round, their measures and agreements may be public."),
        error_messages={"required": _("Tick the box to confirm that the round may be public.")},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Publish"))
        self.helper.form_action = action


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the round's public pages and downloads are to be taken down."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Withdraw the publication"))
        self.helper.form_action = action
