"""What every uploaded document keeps beside its file: programme versions,
meeting documents and agreement texts alike."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.uploads import display_name

__all__ = ["StoredFile", "display_name"]


class StoredFile(models.Model):
    """The checked facts of an uploaded file. A subclass adds `file`, with an
    `upload_to` that makes the name on the server."""

    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(_("file type"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    def store(self, file, inspected, *, by):
        """Save the row with `file`, which must have passed `inspect_upload`.

        The uploaded name is kept for display only; the file is stored under
        the name `upload_to` makes. If the row cannot be saved, the file goes too.
        """
        self.original_name = display_name(file.name)
        self.extension, self.content_type = inspected.extension, inspected.content_type
        self.size, self.sha256 = inspected.size, inspected.sha256
        self.uploaded_by = by
        self.file.save("upload", file, save=False)
        try:
            self.save()
        except Exception:
            self.file.delete(save=False)
            raise
        return self
