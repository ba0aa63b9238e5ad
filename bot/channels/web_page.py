"""The web chat page's header: the body's logo and its links (website, privacy notice).

Configured by ``TANYA_BODY_LOGO_URL``, ``TANYA_BODY_WEBSITE`` and ``TANYA_PRIVACY_URL``; every value
is escaped, and only http(s) addresses are used (a ``javascript:`` URL is dropped).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def web_origin(url: str) -> str:
    """``https://ppid.kota.go.id`` of an http(s) URL; "" for anything else (javascript:, data:)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not _HOST.fullmatch(host):
        return ""  # also nothing that could end the CSP's source list ("a.com;script-src *")
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def body_branding(logo_url: str, website: str, privacy_url: str) -> tuple[str, str]:
    """The header's logo and the line of links under it (website, privacy notice), as escaped HTML;
    what is not configured, or not an http(s) address, is left out."""
    logo = ""
    if web_origin(logo_url):
        logo = f'<img class="logo" src="{html.escape(logo_url.strip())}" alt="" width="36" height="36">'
    links = []
    for url, key, label in (
        (website, "website", "Situs resmi"),
        (privacy_url, "privacy", "Kebijakan privasi"),
    ):
        if web_origin(url):
            links.append(
                f'<a href="{html.escape(url.strip())}" target="_blank" rel="noopener noreferrer" '
                f'data-t="{key}">{label}</a>'
            )
    line = f'<nav class="about" aria-label="Tautan resmi" data-t-label="links">{"".join(links)}</nav>'
    return logo, line if links else ""
