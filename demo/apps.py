from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo programme and `manage.py seed_demo`. No models and nothing imports it, so a
    production site may leave it out of INSTALLED_APPS."""

    name = "demo"
    verbose_name = _("Demo data")
