"""What a file is by its first bytes, and whether an announcement may carry it.

A browser's or a chat platform's declared type is the sender's word only; the first bytes say
what the file really is. Accepted: a JPEG, PNG or WebP photo, or a PDF; nothing else (no
executables, archives or office files).
"""

from __future__ import annotations

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
ACCEPTED_TYPES = frozenset({JPEG, PNG, WEBP, PDF})
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}

_SIGNATURES = (  # the first bytes of each accepted type
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)


def sniffed_type(data: bytes) -> str:
    """The accepted type the bytes really are ("" for none)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return next((mime for magic, mime in _SIGNATURES if data.startswith(magic)), "")


def megabytes(size: int) -> str:
    """A size for people: "5 MB", "7,3 MB" (Indonesian decimal comma), "12 KB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " MB"


def file_problem(head: bytes, size: int, max_bytes: int) -> str:
    """Why a file may not go with an announcement ("" when it may): empty, too large, or not a
    photo or PDF by its first bytes."""
    if size <= 0:
        return "the file is empty"
    if size > max_bytes:
        return f"the file has {megabytes(size)}; at most {megabytes(max_bytes)} may be attached"
    if not sniffed_type(head):
        return "only a photo (JPEG, PNG, WebP) or a PDF may be attached"
    return ""


def clean_file_name(raw: str, mime_type: str, default: str = "lampiran") -> str:
    """A file name safe to show and to send: no folders, no control or quote characters, at most
    100 characters, ending in the extension of its real type."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|*?:')[:100].strip(" .")
    extension = EXTENSIONS.get(mime_type, "")
    stem = name or default
    return stem if not extension or stem.lower().endswith(extension) else stem + extension
