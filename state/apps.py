from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StateConfig(AppConfig):
    name = "state"
    verbose_name = _("What the state offers")

    def ready(self):
        # An agreement made of an offer that is deleted makes the offer stand again.
        from state import receivers  # noqa: F401, PLC0415
