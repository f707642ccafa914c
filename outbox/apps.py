from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every mail the portal sends: queued as a row, rendered when queued, sent once by the sender."""

    name = "outbox"
    verbose_name = _("Outbox")
