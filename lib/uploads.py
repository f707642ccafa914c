"""Receiving and storing uploads: the request's size limit, and what every uploaded
document keeps beside its file (programme versions, meeting documents and agreement
texts alike). The content check itself is `lib.files`."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.files import UPLOAD_OVERHEAD, OversizedUpload


def display_name(name: str) -> str:
    """The uploaded name, for display only: its last path part, at most 255 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return base[-255:]


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


class UploadLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it is known to be too large (settings.UPLOAD_MAX_BYTES).

    Known from the declared length of the request, when the file's part
    begins; else from the bytes received, when they pass the limit. Nothing
    is stored (the next handlers' partial files are closed and deleted), the
    rest of the body is not read, and the file field holds an
    `OversizedUpload` that `inspect_upload` refuses with the usual message.
    Fields that came after the file in the request are lost; those before it
    (the CSRF token, the title) are kept. First in FILE_UPLOAD_HANDLERS.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.declared_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared_too_large = content_length > self.limit + UPLOAD_OVERHEAD

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if self.declared_too_large or (content_length or 0) > self.limit:
            self._stop(content_length or self.limit + 1)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._stop(start + len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None

    def _stop(self, size):
        if self.request is not None:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = OversizedUpload(self.file_name, size)
            self.request.refused_uploads = refused
        raise StopUpload(connection_reset=True)


def uploaded_files(request):
    """`request.FILES`, with an `OversizedUpload` for each file `UploadLimitHandler` stopped."""
    files = request.FILES
    for field_name, marker in getattr(request, "refused_uploads", {}).items():
        files.setlist(field_name, [marker])
    return files
