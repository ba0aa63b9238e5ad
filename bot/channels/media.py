"""Files citizens send (a KTP photo, a deed, a power of attorney): what is accepted, and where it goes.

Adapters download a photo or document before the message enters the pipeline, check its type and
size, and ``put`` it into the encrypted attachment store (``storage.attachments``); the message
then carries only the store's ref. A refused or failed file arrives as a PHOTO/DOCUMENT input
without an attachment, and the router asks for it again. The KTP is personal data of high risk
(UU 27/2022 Pasal 4(2)): its bytes are never logged and never kept outside the store.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import logging
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol

from handlers.domain.files import ACCEPTED_TYPES as ACCEPTED_TYPES  # the checks live in the domain
from handlers.domain.files import sniffed_type as sniffed_type
from handlers.types import Attachment

log = logging.getLogger(__name__)

# httpcore (under httpx and PTB) imports ``sniffio`` on every request; when it is not installed each
# failed import searches the whole sys.path (a quarter of the CPU of a send). A None entry makes
# that import fail at once, and httpcore then takes asyncio, which is what runs here.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # as storage.attachments.MAX_BYTES; the texts say "10 MB"


FILE_KEY = "file"  # an outbound message's ``extra``: the attached document's bytes, base64
MEDIA_KEY = "media_id"  # or the platform's id of the same file, uploaded before (sent without bytes)


def encode_file(data: bytes) -> str:
    return base64.b64encode(data).decode()


def attached_bytes(extra: dict[str, str]) -> bytes | None:
    """The document's bytes the relay put on an outbound message (None when there are none)."""
    raw = extra.get(FILE_KEY)
    if not raw:
        return None
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return None


class AttachmentSink(Protocol):
    """Where accepted files go: ``storage.attachments.AttachmentStore`` has this shape."""

    async def put(self, data: bytes, mime_type: str, file_name: str = "") -> str: ...


class MemoryAttachments:
    """An attachment store in memory (tests, and the CLI chat)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str, str]] = {}

    async def put(self, data: bytes, mime_type: str, file_name: str = "") -> str:
        ref = f"mem_{uuid.uuid4().hex}"
        self.files[ref] = (data, mime_type, file_name)
        return ref

    async def get(self, ref: str) -> bytes:
        return self.files[ref][0]


def acceptable(mime_type: str, size: int | None) -> bool:
    """A file the form can take: an image or a PDF, at most ``MAX_ATTACHMENT_BYTES``."""
    return mime_type.lower() in ACCEPTED_TYPES and (size is None or 0 < size <= MAX_ATTACHMENT_BYTES)


async def store_download(
    sink: AttachmentSink,
    download: Callable[[], Awaitable[bytes]],
    mime_type: str,
    declared_size: int | None,
    file_name: str = "",
) -> Attachment | None:
    """Download, check and store one file; None when it is refused or cannot be fetched."""
    mime_type = (mime_type or "").split(";", 1)[0].strip().lower()
    if not acceptable(mime_type, declared_size):
        log.info("refused a %s file of %s bytes", mime_type or "untyped", declared_size)
        return None
    try:
        data = await download()
    except Exception as exc:
        log.warning("file download failed: %s", type(exc).__name__)
        return None
    return await store_file(sink, data, mime_type, file_name)


async def store_file(
    sink: AttachmentSink, data: bytes, mime_type: str, file_name: str = ""
) -> Attachment | None:
    """Check and store bytes already at hand (the web chat's upload); None when they are refused."""
    mime_type = (mime_type or "").split(";", 1)[0].strip().lower()
    if not acceptable(mime_type, len(data)):
        log.info("refused a %s file of %d bytes as received", mime_type, len(data))
        return None
    ref = await sink.put(data, mime_type, file_name)
    return Attachment(ref=ref, mime_type=mime_type, size=len(data), file_name=file_name)
