from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every mail the portal sends: queued as a row, rendered when queued, sent once by the sender."""

    name = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from outbox import digest  # noqa: F401, PLC0415 - registers its task (outbox.send_digests)
