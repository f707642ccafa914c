from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Who is in the programme, managed in the portal: the People section, invitations,
    roles given and ended, deactivation."""

    name = "people"
    verbose_name = _("People")
