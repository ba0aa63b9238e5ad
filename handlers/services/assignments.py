"""Who serves which area, once for the CLI and the console: a coordinator bound to their RW or RT,
an officer bound to the kelurahan (or kecamatan) whose coordinators' announcements they approve,
and a coordinator's one-time chat link code.

Each function checks the permission, makes the change and writes the audit row on the caller's
transaction (one commit, or nothing). Binding is the PPID Utama's work (``Permission.MANAGE``);
a link code is the coordinator's own, or issued for them by the PPID Utama or the operator.

An officer bound to a kecamatan approves for every kelurahan in it (a camat's PPID Pelaksana
covers the kelurahan that have none of their own); a kota binding is refused: approving for the
whole kota is the PPID Utama's, who approves anywhere already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from handlers.area_ports import AreaRecord
from handlers.domain.areas import AreaLevel, normalise_key
from handlers.domain.errors import DomainError
from handlers.services.actor import Actor, Forbidden, Permission, Role
from handlers.services.ports import AuditAction, AuditEntry

# what each role may be bound to
BINDABLE: dict[Role, frozenset[AreaLevel]] = {
    Role.COORDINATOR: frozenset({AreaLevel.RW, AreaLevel.RT}),
    Role.OFFICER: frozenset({AreaLevel.KELURAHAN, AreaLevel.KECAMATAN}),
}
_WHAT = {
    Role.COORDINATOR: "RW or RT {key!r} (a coordinator serves an RW or RT)",
    Role.OFFICER: "kelurahan or kecamatan {key!r} (an officer approves for a kelurahan or kecamatan)",
}
_AUDIT = {
    (Role.COORDINATOR, True): AuditAction.AREA_ASSIGN,
    (Role.COORDINATOR, False): AuditAction.AREA_UNASSIGN,
    (Role.OFFICER, True): AuditAction.OFFICER_ASSIGN,
    (Role.OFFICER, False): AuditAction.OFFICER_UNASSIGN,
}


class AssignmentRefused(DomainError):
    """No such coordinator or officer account, or no area of the level its role is bound to."""


@dataclass(frozen=True, slots=True)
class StaffAccount:
    id: int
    username: str
    role: Role
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class Assignment:
    username: str
    role: Role
    area: AreaRecord
    bound: bool  # True after assign, False after unassign
    changed: bool  # False when it already was so


class AssignmentPort(Protocol):
    async def account(self, username: str) -> StaffAccount | None: ...
    async def area(self, key: str) -> AreaRecord | None: ...
    async def bind(self, account: StaffAccount, area_id: int) -> bool:
        """True when new (a coordinator's RW/RT or an officer's kelurahan/kecamatan)."""
        ...

    async def unbind(self, account: StaffAccount, area_id: int) -> bool: ...
    async def issue_link_code(self, account_id: int) -> str:
        """A new one-time code (the account's previous one stops working)."""
        ...

    async def audit(self, entry: AuditEntry) -> None: ...


async def assign(
    port: AssignmentPort, actor: Actor, username: str, area_key: str, *, bind: bool = True, now: datetime
) -> Assignment:
    """Bind (or with ``bind=False`` unbind) a coordinator to an RW/RT or an officer to a
    kelurahan/kecamatan; which one follows from the account's role."""
    actor.require(Permission.MANAGE)
    account = await port.account(username.strip().lower())
    if account is None or account.role not in BINDABLE:
        raise AssignmentRefused(f"no coordinator or officer account {username!r}")
    key = normalise_key(area_key)
    area = await port.area(key) if key else None
    if area is None or area.level not in BINDABLE[account.role]:
        raise AssignmentRefused(
            f"no {_WHAT[account.role]} {area_key!r} (a {account.role.value} is bound to one)"
        )
    changed = await (port.bind if bind else port.unbind)(account, area.id)
    await port.audit(AuditEntry(now, actor.label, _AUDIT[account.role, bind], account.username, area.key))
    return Assignment(account.username, account.role, area, bind, changed)


async def issue_link_code(port: AssignmentPort, actor: Actor, username: str, *, now: datetime) -> str:
    """A coordinator's one-time code to link their chat: their own, or issued by the PPID Utama
    or the operator for them."""
    name = username.strip().lower()
    if actor.role is Role.COORDINATOR:
        if name != actor.username:
            raise Forbidden("link code")
    else:
        actor.require(Permission.MANAGE)
    account = await port.account(name)
    if account is None or account.disabled or account.role is not Role.COORDINATOR:
        raise AssignmentRefused(f"no coordinator account {username!r}")
    code = await port.issue_link_code(account.id)
    await port.audit(AuditEntry(now, actor.label, AuditAction.LINK_CODE, account.username))
    return code
