"""Who acts, in which role, for which OPD; what each role may do.

Roles follow the PPID structure of Perki 1/2021 Pasal 12-14 and Permendagri 3/2017: the PPID Utama
(``admin``) coordinates and may do everything; a PPID Pelaksana (``officer``) serves the requests
routed to their OPD; the Atasan PPID (``atasan``) decides objections (UU 14/2008 Pasal 36);
``coordinator`` (RT/RW) has no officer rights: it broadcasts to its own RW or RT only. ``system`` is the command line run by the operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from handlers.domain.errors import DomainError


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    ATASAN = "atasan"
    COORDINATOR = "coordinator"
    SYSTEM = "system"


class Permission(StrEnum):
    VIEW_REQUEST = "view_request"
    ACT_ON_REQUEST = "act_on_request"  # decide, extend, attach the answer
    ROUTE = "route"
    REVEAL = "reveal"  # unmasked NIK and contacts (UU 27/2022 Pasal 46: logged first)
    DECIDE_OBJECTION = "decide_objection"
    ERASE = "erase"
    MANAGE = "manage"  # accounts, holidays, settings
    BROADCAST = "broadcast"  # an announcement to an area (a coordinator: only their own RW/RT)
    PUBLISH_URGENT = "publish_urgent"  # information serta merta (UU 14/2008 Pasal 10)


_EVERYTHING = frozenset(Permission)
_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _EVERYTHING,
    Role.SYSTEM: _EVERYTHING,
    Role.OFFICER: frozenset(
        {
            Permission.VIEW_REQUEST,
            Permission.ACT_ON_REQUEST,
            Permission.REVEAL,
            Permission.BROADCAST,
            Permission.PUBLISH_URGENT,
        }
    ),
    Role.ATASAN: frozenset({Permission.VIEW_REQUEST, Permission.DECIDE_OBJECTION}),
    Role.COORDINATOR: frozenset({Permission.BROADCAST}),
}
# permissions that an officer holds only for the requests routed to one of their OPD
_PER_OPD = frozenset({Permission.VIEW_REQUEST, Permission.ACT_ON_REQUEST, Permission.REVEAL})


class Forbidden(DomainError):
    """The actor may not do this (or see that it exists): shells answer as if it were not found."""


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated person (or the operator's shell) acting on the service."""

    username: str
    role: Role
    opds: frozenset[str] = field(default_factory=frozenset)
    id: int | None = None  # the account's id; None for the command line
    areas: frozenset[str] = field(default_factory=frozenset)  # a coordinator's RW/RT keys

    @classmethod
    def system(cls, username: str) -> Actor:
        return cls(username=username, role=Role.SYSTEM)

    @property
    def label(self) -> str:
        """How the actor is written in events and audit rows (64 characters at most): staff as
        ``officer:USERNAME`` whatever their role, as the history has always shown them."""
        return f"officer:{self.username}"[:64]

    def may(self, permission: Permission, opd: str | None = None) -> bool:
        """Whether the actor holds ``permission``; for per-OPD permissions of an officer, on ``opd``."""
        if permission not in _GRANTS[self.role]:
            return False
        if self.role is Role.OFFICER and permission in _PER_OPD:
            return opd is not None and opd in self.opds
        return True

    def serves_area(self, key: str) -> bool:
        """Whether a broadcast to the area ``key`` is the actor's to send: staff may reach any area,
        a coordinator only their own RW or RT (and a RW's RTs)."""
        if self.role is not Role.COORDINATOR:
            return self.may(Permission.BROADCAST)
        return any(key == own or key.startswith(own + "/") for own in self.areas)

    def require(self, permission: Permission, opd: str | None = None) -> None:
        if not self.may(permission, opd):
            raise Forbidden(permission.value)
