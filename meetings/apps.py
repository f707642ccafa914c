from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Celery discovers `tasks` modules only; the mail tasks live beside the mails they send.
        from meetings import notifications  # noqa: F401
