"""Files officers send from the console: an uploaded answer or reply document, and the written notice.

An upload passes the same checks as a citizen's file at intake (``bot.channels.media``): its type
is what its first bytes are (a JPEG, PNG, WebP or PDF), and it is at most 10 MB; the declared
type and name are the browser's word only (the name is kept, shortened, for the download).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import UploadFile

from bot.channels.media import MAX_ATTACHMENT_BYTES, acceptable, sniffed_type
from bot.notice_pdf import notice_document
from bot.runtime import Runtime
from handlers.domain.calendar import WorkingCalendar
from handlers.domain.errors import DomainError
from handlers.domain.files import clean_file_name
from handlers.request_ports import RequestRecord
from handlers.services.ports import Document

PDF = "application/pdf"


class DocumentRefused(DomainError):
    """Not an accepted file (type by its bytes, size at most 10 MB)."""


async def uploaded_document(upload: UploadFile | None) -> Document | None:
    """The upload as a :class:`Document`; None when no file was chosen; refused as intake refuses."""
    if upload is None or (not upload.filename and not upload.size):
        return None
    data = await upload.read(MAX_ATTACHMENT_BYTES + 1)
    mime_type = sniffed_type(data)
    if not data or not acceptable(mime_type, len(data)):
        raise DocumentRefused("document_refused")
    return Document(data, mime_type, clean_file_name(upload.filename or "", mime_type, "dokumen"))


def notice_maker(runtime: Runtime) -> Callable[[RequestRecord, WorkingCalendar], Document]:
    body = runtime.settings.body_name
    return lambda record, cal: notice_document(record, cal, body_name=body)
