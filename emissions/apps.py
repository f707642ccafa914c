from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmissionsConfig(AppConfig):
    name = "emissions"
    verbose_name = _("Municipal emissions")
