"""The staff-resale permissions, every role × every action, with the matrix's own rules.

`SALES_CASES` has one case per permission this workflow added; the shared matrix
(test_permission_matrix.py) can take them over with `CASES.update(SALES_CASES)`.
Until then this file walks them with the same checks: an allowed role gets past
the permission check, a refused role gets PermissionDenied with nothing changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_permission_matrix import PASSWORD, Case, World, role_problems

from app.models import Role
from app.services import auth, permissions, privacy, sales, staff
from app.services.errors import PermissionDenied
from app.services.permissions import PERMISSIONS, SYSTEM

TODAY = dt.date(2026, 11, 29)


def _round(w: World, *, interest: bool = False):
    round_ = sales.open_round(w.session, SYSTEM, "R", TODAY, TODAY, [w.ready().id], today=TODAY)
    item = round_.items[0]
    if interest:
        member = _member(w)
        sales.register_interest(w.session, SYSTEM, item.id, member.id, today=TODAY)
    return round_, item


def _member(w: World):
    return staff.add_staff_member(w.session, SYSTEM, "An Peeters", w.serial(), "an@provincie.example")


def _closed(w: World):
    round_, item = _round(w, interest=True)
    sales.close_round(w.session, SYSTEM, round_.id, today=TODAY, language="en")
    return item


def _paid(w: World):
    item = _closed(w)
    sales.register_payment(w.session, SYSTEM, item.id, "card")
    return item


def _override(w: World, actor):
    _r, item = _round(w)
    second = w.other(Role.MANAGER, "second")
    return sales.override_price(w.session, actor, item.id, "10", "scratched lid", second.username,
                                PASSWORD)


SALES_CASES: dict[str, Case] = {
    "sales.read": Case(lambda w, a: sales.item_rows(w.session, a, _round(w)[0].id)),
    "sales.manage": Case(lambda w, a: sales.open_round(w.session, a, "R", TODAY, TODAY, [w.ready().id],
                                                       today=TODAY)),
    "sales.price_override": Case(_override),
    "sales.interest": Case(lambda w, a: sales.register_interest(
        w.session, a, _round(w)[1].id, _member(w).id, today=TODAY)),
    "sales.payment": Case(lambda w, a: sales.register_payment(w.session, a, _closed(w).id, "transfer")),
    "sales.hand_over": Case(lambda w, a: sales.hand_over(w.session, a, _paid(w).asset.tag,
                                                         labels_removed=True, language="en")),
    "staff.manage": Case(lambda w, a: staff.add_staff_member(w.session, a, "Jan Maes", w.serial(),
                                                             "jan@provincie.example")),
    "staff.read": Case(lambda w, a: staff.find_staff(w.session, a, "")),
    "privacy.purge": Case(lambda w, a: privacy.purge(w.session, a)),
}


@pytest.fixture
def world(session) -> World:
    users = {role: auth.add_user(session, SYSTEM, f"as-{role.value}", f"As {role.value}", role, PASSWORD)
             for role in Role}
    return World(session, users)


@pytest.mark.parametrize("permission", sorted(SALES_CASES))
def test_each_role_is_allowed_or_refused_as_the_table_says(world, permission):
    case = SALES_CASES[permission]
    assert not (problems := role_problems(world, permission, case)), (
        f"{permission}: " + "; ".join(problems))


def test_every_sales_permission_has_a_case():
    ours = {p for p in PERMISSIONS if p.split(".")[0] in ("sales", "staff", "privacy")}
    assert ours == set(SALES_CASES)


def test_a_refusal_names_the_roles_that_may_and_the_users_own(session, technician):
    with pytest.raises(PermissionDenied) as refused:
        permissions.require(technician, "sales.manage")
    assert str(refused.value) == "This is for: Manager. You are signed in as: Technician."
    assert refused.value.translated("nl") == ("Dit is voorbehouden aan: Magazijnverantwoordelijke. "
                                               "U bent aangemeld als: Technieker.")
