"""The person's own details on the profile page."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cities.models import Profile


class ProfileForm(forms.ModelForm):
    """Name, e-mail (required, unique among users whatever its case) and the language of the
    portal and of the mails the person gets."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the portal and of the e-mails it sends you."),
    )

    notices = forms.ChoiceField(
        label=_("Notices"),
        choices=Profile.Notices.choices,
        widget=forms.RadioSelect,
        required=False,  # left out: kept as it is
        help_text=_(
            "Of what happens that concerns you: a submission, an answer to a comment, published minutes. "
            "Reminders, invitations and receipts always come at once."
        ),
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, language, notices=Profile.Notices.IMMEDIATE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notices"].initial = notices
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Reminders and invitations are sent here; single sign-on matches you by it.")
        self.fields["language"].initial = language

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another person in the portal has this e-mail address."), code="taken")
        return email

    def save(self, commit=True):
        raise NotImplementedError("saved by accounts.profile.update_profile")
