"""What a handler is given besides the user's input: who it talks to, the time, and the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.area_ports import AreaPort, CoordinatorPort
from handlers.domain.deadlines import ServiceHours
from handlers.gaps import GapPort
from handlers.ports import KnowledgePort
from handlers.request_ports import RequestPort
from handlers.types import ConversationInfo

if TYPE_CHECKING:
    from handlers.menu import Menu
    from handlers.router import Router

DEFAULT_CITY = "Kota Sukamaju"  # default of bot.settings (the sample's fictional city)
OFFICE_HOURS = ServiceHours.from_settings("08:00", "16:00", "Asia/Jakarta")  # defaults of bot.settings


@dataclass(frozen=True, slots=True)
class HandlerContext:
    conversation: ConversationInfo
    now: datetime  # timezone-aware; from the injected clock
    knowledge: KnowledgePort
    body_name: str = "Pemerintah Kota Sukamaju"
    city_name: str = DEFAULT_CITY  # the region served, in example addresses (TANYA_CITY_NAME)
    max_message_chars: int = 2000
    ppid_contact: str = ""  # how to reach the PPID desk (address, phone, e-mail)
    requests: RequestPort | None = None  # formal requests and objections (storage.request_repository)
    gaps: GapPort | None = None  # what citizens could not find (bot.gap_store): referrals of "not ours"
    areas: AreaPort | None = None  # RT/RW areas and residents' subscriptions (bot.area_store)
    coordinators: CoordinatorPort | None = None  # RT/RW coordinators' linked chats (bot.coordinator_store)
    service_hours: ServiceHours = OFFICE_HOURS  # receipt rule of the deadlines (Perki 1/2021)
    retention_days: int = 1825  # requesters' personal data is kept this long (UU 27/2022 Pasal 43)
    router: Router | None = None  # the router dispatching this input (set by Router.dispatch)

    @property
    def menu(self) -> Menu:
        if self.router is None:
            raise RuntimeError("no router in this context: dispatch through a Router")
        return self.router.menu
