"""Staff resale: sale rounds, interest, the reproducible lottery, payment, handover, expiry.

A manager opens a round with `ready` devices (each reserved for it, priced by
`app.services.pricing`), dates and a per-person limit. While it is open the
desk registers staff members' interest per device. Closing it (on or after the
closing date) draws the allocation (`app.services.sale_lottery`) with a seed
generated then, records the seed on the round (so in the audit trail), gives
every allocated sale a structured communication and a payment deadline, puts
unwanted devices back to `ready`, and issues the allocation report — all in one
transaction. A manager registers the payment; only a paid device can be handed
over (`reserved → sold`, with the sales receipt, in one transaction). Unpaid
sales past their deadline expire and their devices go back to `ready`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import clock
from ..i18n import N_, _, current_language
from ..models import (
    Asset,
    AssetStatus,
    Category,
    Document,
    DocumentKind,
    ItemStatus,
    PaymentMethod,
    RoundStatus,
    SaleInterest,
    SaleItem,
    SaleRound,
    StaffMember,
    User,
    utcnow,
)
from ..timefmt import local
from . import auth, lifecycle, ogm, organisation, pricing, sale_lottery, sanitisation
from .codes import parse_tag
from .documents import issued
from .errors import DomainError, NotFound, ValidationError
from .permissions import allowed, refusal, require
from .uow import unit_of_work


class RoundNotOpen(DomainError):
    message = N_("Round “{title}” is not open any more: nothing can be changed in its offer.")


class OutsideRoundDates(DomainError):
    message = N_("Round “{title}” takes interest from {opens} to {closes}; today is outside that.")


class TooEarlyToClose(DomainError):
    message = N_("Round “{title}” closes on {closes}: it cannot be drawn before then.")


class NotOffered(DomainError):
    message = N_("{tag} cannot be offered: {reason}")


class NotPaid(DomainError):
    message = N_("{tag} is not paid yet: register the payment (structured communication {ogm}) "
                 "before handing it over.")


class NotForSale(DomainError):
    message = N_("{tag} is not waiting to be handed over to a buyer.")


class WrongItemState(DomainError):
    message = N_("{tag} is “{status}”: this is only possible when it is {allowed}.")


class SameVerifier(DomainError):
    message = N_("A price override needs a second manager: {name} cannot confirm their own change.")


ITEM_STATUS_LABELS = {
    ItemStatus.OFFERED: N_("offered"), ItemStatus.UNSOLD: N_("unsold"),
    ItemStatus.ALLOCATED: N_("allocated, not paid"), ItemStatus.PAID: N_("paid, to collect"),
    ItemStatus.SOLD: N_("sold"), ItemStatus.EXPIRED: N_("expired"),
}
PAYMENT_LABELS = {PaymentMethod.TRANSFER: N_("bank transfer"), PaymentMethod.CARD: N_("card at the desk")}
LIMIT_KEYS = {c.value for c in Category} | {"total"}


def item_status_label(status: ItemStatus) -> str:
    return _(ITEM_STATUS_LABELS[status])


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _clean_limits(limits: dict | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in (limits or {}).items():
        if key not in LIMIT_KEYS:
            raise ValidationError(N_("Unknown limit “{key}”: use a category or “total”."), key=key)
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = 0
        if n < 1:
            raise ValidationError(N_("A per-person limit is a whole number of at least 1 ({key})."),
                                  key=key)
        out[key] = n
    return out


def limits_of(round_: SaleRound) -> dict[str, int]:
    return json.loads(round_.limits or "{}")


def describe_limits(limits: dict[str, int]) -> str:
    from .documents.intake_receipt import CATEGORY_NAMES

    if not limits:
        return _("no limit")
    parts = [_("{n} in total", n=n) if key == "total" else f"{n} × {_(CATEGORY_NAMES.get(key, key))}"
             for key, n in sorted(limits.items(), key=lambda kv: (kv[0] == "total", kv[0]))]
    return ", ".join(parts)


# --------------------------------------------------------------------------------- the offer


def _offer(session: Session, actor, round_: SaleRound, asset_ids: list[int], today: dt.date) -> None:
    found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(asset_ids)))}
    missing = [str(i) for i in asset_ids if i not in found]
    if missing:
        raise NotFound(what=", ".join(missing))
    rules = pricing.default_rules()
    for asset_id in dict.fromkeys(asset_ids):
        asset = found[asset_id]
        # the sanitisation rule of the sale itself, checked before anyone registers interest
        problem = sanitisation.release_problem(session, asset)
        if problem:
            raise NotOffered(tag=asset.tag, reason=_(problem))
        lifecycle.enter(session, asset, "reserve", actor, {"purpose": "sale"})
        proposal = pricing.propose(asset, today, rules)
        session.add(SaleItem(round=round_, asset=asset, proposed_price=proposal.price,
                             price=proposal.price, price_rule=proposal.rule_json()))
    session.flush()


def open_round(session: Session, actor, title: str, opens_on: dt.date, closes_on: dt.date,
               asset_ids: list[int], limits: dict | None = None, eligibility: str | None = None,
               payment_days: int | None = None, today: dt.date | None = None) -> SaleRound:
    """Open a sale round: its devices are reserved for it and priced by the rule."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(N_("Give the round a title."))
    if closes_on < opens_on:
        raise ValidationError(N_("A round cannot close before it opens."))
    if not asset_ids:
        raise ValidationError(N_("Choose at least one ready device for the round."))
    clean = _clean_limits(limits)
    days = payment_days if payment_days is not None else pricing.default_rules().payment_days
    if days < 1:
        raise ValidationError(N_("The payment term is at least one day."))
    with unit_of_work(session, actor, "open_sale_round", permission="sales.manage"):
        round_ = SaleRound(title=title, opens_on=opens_on, closes_on=closes_on,
                           limits=json.dumps(clean, sort_keys=True),
                           eligibility=(eligibility or "").strip() or None, payment_days=days,
                           status=RoundStatus.OPEN, created_by_id=actor.id)
        session.add(round_)
        session.flush()
        _offer(session, actor, round_, list(asset_ids), _today(today))
    return round_


def add_devices(session: Session, actor, round_id: int, asset_ids: list[int],
                today: dt.date | None = None) -> SaleRound:
    with unit_of_work(session, actor, "add_to_sale_round", permission="sales.manage"):
        round_ = _round(session, round_id)
        _require_open(round_)
        _offer(session, actor, round_, list(asset_ids), _today(today))
    return round_


def override_price(session: Session, actor, item_id: int, price: Decimal | str, reason: str,
                   verifier_username: str, verifier_password: str) -> SaleItem:
    """Set a price other than the rule's, with a reason, confirmed by a second manager."""
    require(actor, "sales.price_override")
    try:
        amount = Decimal(str(price).replace(",", ".").replace("€", "").strip())
    except InvalidOperation:
        raise ValidationError(N_("“{price}” is not an amount in euros."), price=price) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(N_("“{price}” is not an amount in euros."), price=price)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(N_("Say why the price differs from the rule."))
    # The second person signs in for this action only (it is recorded as their sign-in).
    verifier = auth.authenticate(session, verifier_username, verifier_password)
    if verifier.id == actor.id:
        raise SameVerifier(name=verifier.display_name)
    if not allowed(verifier, "sales.price_override"):
        raise refusal(verifier, "sales.price_override")
    with unit_of_work(session, actor, "override_sale_price", permission="sales.price_override"):
        item = _item(session, item_id)
        _require_open(item.round)
        item.price = amount
        item.override_reason = reason
        item.override_by_id = actor.id
        item.override_verifier_id = verifier.id
    return item


# ------------------------------------------------------------------------------- interest


def register_interest(session: Session, actor, item_id: int, staff_member_id: int,
                      today: dt.date | None = None) -> SaleInterest:
    with unit_of_work(session, actor, "register_sale_interest", permission="sales.interest"):
        item = _item(session, item_id)
        round_ = item.round
        _require_open(round_)
        day = _today(today)
        if not round_.opens_on <= day <= round_.closes_on:
            raise OutsideRoundDates(title=round_.title, opens=round_.opens_on.strftime("%d/%m/%Y"),
                                    closes=round_.closes_on.strftime("%d/%m/%Y"))
        member = session.get(StaffMember, staff_member_id)
        if member is None or member.pseudonymised_at is not None:
            raise NotFound(what=str(staff_member_id))
        existing = session.scalar(select(SaleInterest).where(
            SaleInterest.item_id == item.id, SaleInterest.staff_member_id == member.id))
        if existing is not None:
            return existing
        interest = SaleInterest(item=item, staff_member=member)
        session.add(interest)
    return interest


def withdraw_interest(session: Session, actor, item_id: int, staff_member_id: int) -> None:
    with unit_of_work(session, actor, "withdraw_sale_interest", permission="sales.interest"):
        item = _item(session, item_id)
        _require_open(item.round)
        interest = session.scalar(select(SaleInterest).where(
            SaleInterest.item_id == item_id, SaleInterest.staff_member_id == staff_member_id))
        if interest is not None:
            session.delete(interest)


# ------------------------------------------------------------------------- closing and lottery


def lots(session: Session, round_id: int) -> list[sale_lottery.Lot]:
    """The round's devices with their candidates, as the lottery sees them."""
    items = session.scalars(select(SaleItem).where(SaleItem.round_id == round_id)
                            .options(selectinload(SaleItem.asset))).all()
    wanted: dict[int, list[int]] = {}
    for item_id, member_id in session.execute(
            select(SaleInterest.item_id, SaleInterest.staff_member_id)
            .join(SaleItem, SaleItem.id == SaleInterest.item_id)
            .where(SaleItem.round_id == round_id)):
        wanted.setdefault(item_id, []).append(member_id)
    return [sale_lottery.Lot(i.asset.tag, i.asset.category.value, tuple(sorted(wanted.get(i.id, []))))
            for i in items]


def close_round(session: Session, actor, round_id: int, today: dt.date | None = None,
                language: str | None = None) -> SaleRound:
    """Draw the allocation with a fresh seed, start the payments, issue the allocation report."""
    day = _today(today)
    with unit_of_work(session, actor, "close_sale_round", permission="sales.manage"):
        round_ = _round(session, round_id)
        _require_open(round_)
        if day < round_.closes_on:
            raise TooEarlyToClose(title=round_.title, closes=round_.closes_on.strftime("%d/%m/%Y"))
        seed = sale_lottery.new_seed()
        result = sale_lottery.draw(lots(session, round_id), limits_of(round_), seed)
        by_tag = {item.asset.tag: item for item in round_.items}
        for tag, (winner, by_lottery) in result.items():
            item = by_tag[tag]
            if winner is None:
                item.status = ItemStatus.UNSOLD
                lifecycle.enter(session, item.asset, "release", actor)
                continue
            item.status = ItemStatus.ALLOCATED
            item.buyer_id = winner
            item.allocated_by_lottery = by_lottery
            item.ogm = ogm.make(int(f"{day.year % 100:02d}{item.id:08d}"))
            item.due_on = day + dt.timedelta(days=round_.payment_days)
        round_.seed = seed
        round_.status = RoundStatus.CLOSED
        round_.closed_at = utcnow()
        session.flush()
        round_.report_document_id = _issue_allocation_report(session, actor, round_, result,
                                                             language).id
    return round_


@dataclass(frozen=True)
class Rerun:
    seed: str
    same: bool
    winners: dict[str, int | None]  # tag → staff member id
    differences: list[str]  # tags whose recorded buyer differs from the re-run


def _check_seed(seed: str) -> None:
    try:
        int(seed.strip(), 16)
    except ValueError:
        raise ValidationError(N_("“{seed}” is not a seed: a seed is written in hexadecimal (0–9, a–f), "
                                 "as on the allocation report."), seed=seed) from None


def rerun_lottery(session: Session, round_id: int, seed: str | None = None) -> Rerun:
    """Draw again with the recorded seed (or another) and compare with the recorded buyers."""
    if seed is not None:
        _check_seed(seed)  # a mistyped seed is said before anything else
    round_ = _round(session, round_id)
    seed = (seed or round_.seed or "").strip()
    if not seed:
        raise ValidationError(N_("Round “{title}” has not been drawn yet."), title=round_.title)
    result = sale_lottery.draw(lots(session, round_id), limits_of(round_), seed)
    winners = {tag: w for tag, (w, _lottery) in result.items()}
    # the buyer recorded at closing (an expired sale keeps its buyer, so the draw stays checkable)
    recorded = {i.asset.tag: i.buyer_id for i in round_.items}
    differences = sorted(t for t in winners if winners[t] != recorded.get(t))
    return Rerun(seed, not differences, winners, differences)


# ----------------------------------------------------------------------- payment and handover


def find_by_ogm(session: Session, text: str) -> SaleItem:
    digits = ogm.parse(text)
    item = session.scalar(select(SaleItem).where(SaleItem.ogm == digits)) if digits else None
    if item is None:
        raise NotFound(what=text.strip())
    return item


def register_payment(session: Session, actor, item_id: int, method: PaymentMethod | str) -> SaleItem:
    method = PaymentMethod(method)
    with unit_of_work(session, actor, "register_sale_payment", permission="sales.payment"):
        item = _item(session, item_id)
        _require_status(item, ItemStatus.ALLOCATED)
        item.status = ItemStatus.PAID
        item.paid_at = utcnow()
        item.payment_method = method
        item.paid_registered_by_id = actor.id
    return item


def waiting_item(session: Session, asset: Asset) -> SaleItem | None:
    """The newest sale of this device that is allocated or paid (what a scan at the desk means)."""
    return session.scalar(select(SaleItem).where(
        SaleItem.asset_id == asset.id,
        SaleItem.status.in_([ItemStatus.ALLOCATED, ItemStatus.PAID])).order_by(SaleItem.id.desc()))


def round_waiting_for(session: Session, tag: str) -> int | None:
    """The round in which this device waits for its buyer (allocated or paid), if any."""
    asset = session.scalar(select(Asset).where(Asset.tag == tag))
    item = waiting_item(session, asset) if asset is not None else None
    return item.round_id if item is not None else None


def hand_over(session: Session, actor, tag: str, labels_removed: bool,
              language: str | None = None) -> SaleItem:
    """The buyer collects a paid device: `reserved → sold` and the sales receipt, at once."""
    code = parse_tag(tag)
    with unit_of_work(session, actor, "hand_over_sale", permission="sales.hand_over"):
        asset = session.scalar(select(Asset).where(Asset.tag == code))
        if asset is None:
            raise NotFound(what=tag)
        item = waiting_item(session, asset)
        if item is None:
            raise NotForSale(tag=asset.tag)
        if item.status != ItemStatus.PAID:
            raise NotPaid(tag=asset.tag, ogm=ogm.formatted(item.ogm))
        buyer = item.buyer
        lifecycle.enter(session, asset, "sell", actor,
                        {"recipient": buyer.party, "labels_removed": labels_removed})
        item.status = ItemStatus.SOLD
        item.sold_at = utcnow()
        session.flush()
        item.receipt_document_id = _issue_receipt(session, actor, item, language).id
    return item


def expire_unpaid(session: Session, actor, today: dt.date | None = None) -> list[SaleItem]:
    """Sales not paid by their deadline lapse; their devices go back to `ready`."""
    day = _today(today)
    with unit_of_work(session, actor, "expire_sales", permission="sales.manage"):
        items = list(session.scalars(select(SaleItem).where(
            SaleItem.status == ItemStatus.ALLOCATED, SaleItem.due_on < day).order_by(SaleItem.id)))
        for item in items:
            item.status = ItemStatus.EXPIRED
            if item.asset.status == AssetStatus.RESERVED:
                lifecycle.enter(session, item.asset, "release", actor)
    return items


def expired_count(session: Session, today: dt.date | None = None) -> int:
    """How many unpaid sales are past their deadline (the page offers to expire them)."""
    return session.scalar(select(func.count()).select_from(SaleItem).where(
        SaleItem.status == ItemStatus.ALLOCATED, SaleItem.due_on < _today(today))) or 0


# ------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ItemRow:
    id: int
    tag: str
    category: str
    model: str
    specs: str
    grade: str
    price: Decimal
    proposed: Decimal
    rule: str
    override_reason: str
    candidates: int
    status: ItemStatus
    buyer: str
    ogm: str
    due_on: dt.date | None


def rounds(session: Session) -> list[SaleRound]:
    return list(session.scalars(select(SaleRound).order_by(SaleRound.id.desc())))


def specs(asset: Asset) -> str:
    parts = [asset.cpu or "", f"{asset.ram_gb} GB RAM" if asset.ram_gb else "",
             f"{asset.storage_gb} GB" if asset.storage_gb else "",
             f'{asset.screen_inch}"' if asset.screen_inch else ""]
    return ", ".join(p for p in parts if p)


def item_rows(session: Session, actor, round_id: int) -> list[ItemRow]:
    """The round's devices for the page; buyers are named only for roles that may see staff data."""
    require(actor, "sales.read")
    from . import staff

    names = allowed(actor, "staff.read")
    counts = dict(session.execute(
        select(SaleInterest.item_id, func.count()).join(SaleItem, SaleItem.id == SaleInterest.item_id)
        .where(SaleItem.round_id == round_id).group_by(SaleInterest.item_id)).all())
    items = session.scalars(select(SaleItem).where(SaleItem.round_id == round_id)
                            .options(selectinload(SaleItem.asset), selectinload(SaleItem.buyer)
                                     .selectinload(StaffMember.party))
                            .order_by(SaleItem.id)).all()
    rows = []
    for i in items:
        a = i.asset
        buyer = ""
        if i.buyer is not None:
            buyer = staff.display(i.buyer) if names else i.buyer.party.name
        rows.append(ItemRow(i.id, a.tag, a.category.value, f"{a.manufacturer} {a.model}", specs(a),
                            a.grade.value if a.grade else "", i.price, i.proposed_price,
                            pricing.explain(i.price_rule), i.override_reason or "",
                            counts.get(i.id, 0), i.status, buyer,
                            ogm.formatted(i.ogm) if i.ogm else "", i.due_on))
    return rows


@dataclass(frozen=True)
class ReadyDevice:
    id: int
    tag: str
    category: str
    model: str
    grade: str
    price: Decimal


def ready_devices(session: Session, actor, limit: int = 500) -> list[ReadyDevice]:
    """Ready devices a round could offer, with the price the rule would propose today."""
    require(actor, "sales.read")
    rows = session.scalars(select(Asset).where(Asset.status == AssetStatus.READY)
                           .order_by(Asset.category, Asset.tag).limit(limit)).all()
    return [ReadyDevice(a.id, a.tag, a.category.value, f"{a.manufacturer} {a.model}",
                        a.grade.value if a.grade else "", pricing.propose(a).price) for a in rows]


def get_round(session: Session, round_id: int) -> SaleRound:
    return _round(session, round_id)


def _round(session: Session, round_id: int) -> SaleRound:
    round_ = session.get(SaleRound, round_id)
    if round_ is None:
        raise NotFound(what=str(round_id))
    return round_


def _item(session: Session, item_id: int) -> SaleItem:
    item = session.get(SaleItem, item_id)
    if item is None:
        raise NotFound(what=str(item_id))
    return item


def _require_open(round_: SaleRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise RoundNotOpen(title=round_.title)


def _require_status(item: SaleItem, *wanted: ItemStatus) -> None:
    if item.status not in wanted:
        raise WrongItemState(tag=item.asset.tag, status=item_status_label(item.status),
                             allowed=" / ".join(item_status_label(s) for s in wanted))


# ------------------------------------------------------------------------------ documents


def _issue_allocation_report(session: Session, actor, round_: SaleRound, result: dict,
                             language: str | None) -> Document:
    from .documents.sale_allocation import TITLE, AllocationLine, render_allocation_report

    lang = language or current_language()
    members = {m.id: m for m in session.scalars(select(StaffMember).options(
        selectinload(StaffMember.party)))}
    wanted = {lot.tag: lot.candidates for lot in lots(session, round_.id)}
    lines = []
    for item in sorted(round_.items, key=lambda i: i.asset.tag):
        winner, by_lottery = result[item.asset.tag]
        lines.append(AllocationLine(item, [members[c] for c in wanted[item.asset.tag]],
                                    members.get(winner) if winner else None, by_lottery))
    now = utcnow()
    number = issued.allocate_number(session, DocumentKind.REPORT, today=local(now).date())
    content = {"kind": "sale_allocation", "number": number, "issued_at": now.isoformat(),
               "round": round_.id, "title": round_.title, "seed": round_.seed,
               "limits": limits_of(round_),
               "devices": [{"tag": ln.item.asset.tag, "category": ln.item.asset.category.value,
                            "model": f"{ln.item.asset.manufacturer} {ln.item.asset.model}",
                            "serial": ln.item.asset.serial,
                            "grade": ln.item.asset.grade.value if ln.item.asset.grade else None,
                            "price": str(ln.item.price),
                            "candidates": [m.party.name for m in ln.candidates],
                            "winner": ln.winner.party.name if ln.winner else None}
                           for ln in lines]}
    pdf = render_allocation_report(number, round_, lines, actor, language=lang, issued_at=now,
                                   digest=issued.content_digest(content),
                                   organisation=organisation.get(session))
    from ..i18n import translate

    return issued.store_document(session, actor, DocumentKind.REPORT, number,
                                 f"{translate(TITLE, lang)}: {round_.title}", pdf,
                                 [ln.item.asset for ln in lines], language=lang, content=content)


def _issue_receipt(session: Session, actor, item: SaleItem, language: str | None) -> Document:
    from ..i18n import translate
    from .documents.sale_receipt import TITLE, render_sale_receipt

    lang = language or current_language()
    now = utcnow()
    number = issued.allocate_number(session, DocumentKind.SALE_RECEIPT, today=local(now).date())
    a = item.asset
    content = {"kind": DocumentKind.SALE_RECEIPT.value, "number": number,
               "issued_at": now.isoformat(), "round": item.round_id,
               "buyer": item.buyer.party.name,  # the pseudonym: a QR check shows no name
               "price": str(item.price), "ogm": item.ogm,
               "payment": item.payment_method.value if item.payment_method else None,
               "devices": [{"tag": a.tag, "category": a.category.value,
                            "model": f"{a.manufacturer} {a.model}", "serial": a.serial,
                            "grade": a.grade.value if a.grade else None, "price": str(item.price)}]}
    pdf = render_sale_receipt(number, item, actor, language=lang, issued_at=now,
                              digest=issued.content_digest(content),
                              organisation=organisation.get(session))
    return issued.store_document(session, actor, DocumentKind.SALE_RECEIPT, number,
                                 f"{translate(TITLE, lang)}: {a.tag}", pdf, [a], language=lang,
                                 content=content)


def user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else ""
