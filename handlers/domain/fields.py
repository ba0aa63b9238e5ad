"""The closed choices of a request form (UU 14/2008 Pasal 22; Perki 1/2021 request form)."""

from __future__ import annotations

from enum import StrEnum


class RequesterType(StrEnum):
    """Who asks: a citizen, a legal entity or a group (UU 14/2008 Pasal 1 angka 12; Perki 1/2021)."""

    PERSON = "perorangan"
    LEGAL_ENTITY = "badan_hukum"
    GROUP = "kelompok"


class FilingAs(StrEnum):
    """For oneself or for someone else with a power of attorney (surat kuasa)."""

    SELF = "sendiri"
    PROXY = "kuasa"


class ObtainMethod(StrEnum):
    """How to obtain the information (cara memperoleh informasi, Perki 1/2021)."""

    VIEW = "melihat"  # see, read, listen to or take notes
    SOFTCOPY = "salinan_softcopy"
    HARDCOPY = "salinan_hardcopy"


class OfflineChannel(StrEnum):
    """A request that reached the PPID outside the chat, recorded by an officer into the same
    register (UU 14/2008 Pasal 22(3): every request is registered, however it came)."""

    PAPER = "offline_paper"  # a letter or the paper form
    VISIT = "offline_visit"  # in person at the desk
    PHONE = "offline_phone"
    EMAIL = "offline_email"


class CopyDelivery(StrEnum):
    """How to receive a copy (cara mendapatkan salinan informasi, Perki 1/2021)."""

    PICK_UP = "ambil_langsung"
    POST = "pos"
    COURIER = "kurir"
    EMAIL = "email"
    CHAT = "chat"  # through the chat channel the request came in on
