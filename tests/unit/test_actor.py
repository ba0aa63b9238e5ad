"""Who may do what: roles and the OPD an officer serves (handlers.services.actor)."""

from __future__ import annotations

import pytest

from handlers.services.actor import Actor, Forbidden, Permission, Role

ADMIN = Actor("utama", Role.ADMIN)
DINKES = Actor("rina", Role.OFFICER, frozenset({"DINKES"}))
ATASAN = Actor("sekda", Role.ATASAN)
RT = Actor("pak-rt", Role.COORDINATOR)


@pytest.mark.parametrize("permission", list(Permission))
def test_admin_and_the_command_line_may_do_everything(permission: Permission) -> None:
    assert ADMIN.may(permission, "DISDIK") and Actor.system("ops").may(permission, None)


def test_an_officer_acts_only_on_their_own_opd() -> None:
    assert DINKES.may(Permission.ACT_ON_REQUEST, "DINKES")
    assert not DINKES.may(Permission.ACT_ON_REQUEST, "DISDIK")
    assert not DINKES.may(Permission.VIEW_REQUEST, "")  # unrouted: the PPID Utama's desk
    assert not DINKES.may(Permission.REVEAL, "DISDIK")
    assert not DINKES.may(Permission.DECIDE_OBJECTION) and not DINKES.may(Permission.MANAGE)
    with pytest.raises(Forbidden):
        DINKES.require(Permission.ROUTE, "DINKES")


def test_atasan_decides_objections_and_a_coordinator_only_broadcasts() -> None:
    assert ATASAN.may(Permission.DECIDE_OBJECTION) and not ATASAN.may(Permission.ACT_ON_REQUEST, "DINKES")
    assert [p for p in Permission if RT.may(p, "DINKES")] == [Permission.BROADCAST]
    assert not ATASAN.serves_area("sukamaju-wetan/rw02")
    assert DINKES.label == "officer:rina"


def test_the_console_catalogue_names_every_event_and_role() -> None:
    from bot.console.texts import CONSOLE_TEXTS
    from handlers.domain.lifecycle import Action

    assert all(f"event_{a.value}" in CONSOLE_TEXTS for a in Action)
    assert all(f"role_{r.value}" in CONSOLE_TEXTS for r in Role if r is not Role.SYSTEM)
    assert all(id_ and en for id_, en in CONSOLE_TEXTS.values())
