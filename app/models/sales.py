"""Staff resale: staff members (personal data, kept apart), sale rounds, items, interest.

A staff member's personal data (name, staff number, service, e-mail) lives only
in `staff_members`; the `Party` of type staff it is linked to carries a
pseudonymous name (`Staff member 17`), so asset records, certificates' QR
content and the audit trail never hold the person's name. After the retention
period `app.services.privacy` overwrites the personal columns here.

A round offers devices (one `SaleItem` each, with its price and the rule that
proposed it); staff register interest per item; at closing each item gets a
buyer (one candidate, or a reproducible lottery), a structured communication
and a payment deadline; it is paid, then handed over (sold) — or it expires.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .asset import Asset
from .base import Base, UTCDateTime, utcnow
from .enums import enum_column
from .party import Party


class RoundStatus(enum.StrEnum):
    OPEN = "open"  # devices reserved, staff register interest
    CLOSED = "closed"  # allocated: the lottery ran, buyers pay and collect


class ItemStatus(enum.StrEnum):
    OFFERED = "offered"  # in an open round
    UNSOLD = "unsold"  # nobody (allowed) wanted it: back to ready at closing
    ALLOCATED = "allocated"  # has a buyer, waits for payment
    PAID = "paid"  # waits for the buyer at the desk
    SOLD = "sold"  # handed over with a sales receipt
    EXPIRED = "expired"  # not paid in time: back to ready


class PaymentMethod(enum.StrEnum):
    TRANSFER = "transfer"  # bank transfer with the structured communication
    CARD = "card"  # card at the desk


class StaffMember(Base):
    """The personal data of a staff member who buys (or wants to buy) a device."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    staff_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    service_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    pseudonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    party: Mapped[Party] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<StaffMember {self.id}>"


class SaleRound(Base):
    __tablename__ = "sale_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    # per-person limit as JSON: {"laptop": 1, "smartphone": 1, "total": 2}
    limits: Mapped[str] = mapped_column(Text, default="{}")
    eligibility: Mapped[str | None] = mapped_column(Text)
    payment_days: Mapped[int] = mapped_column(Integer, default=14)
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus, "round_status"),
                                                default=RoundStatus.OPEN)
    seed: Mapped[str | None] = mapped_column(String(64))  # the lottery's, recorded at closing
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[SaleItem]] = relationship(back_populates="round", order_by="SaleItem.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:  # the audit trail's reference for a round
        return f"R{self.id}"


class SaleItem(Base):
    """One device offered in a round: its price, and later its buyer, payment and handover."""

    __tablename__ = "sale_items"
    __table_args__ = (UniqueConstraint("round_id", "asset_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sale_rounds.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    proposed_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    price_rule: Mapped[str] = mapped_column(Text)  # the rule and its inputs, as JSON
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus, "sale_item_status"),
                                               default=ItemStatus.OFFERED)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    allocated_by_lottery: Mapped[bool | None] = mapped_column()
    ogm: Mapped[str | None] = mapped_column(String(12), unique=True)  # 12 digits, no +++ or /
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    payment_method: Mapped[PaymentMethod | None] = mapped_column(
        enum_column(PaymentMethod, "payment_method"))
    paid_registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sold_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    receipt_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    round: Mapped[SaleRound] = relationship(back_populates="items")
    asset: Mapped[Asset] = relationship()
    buyer: Mapped[StaffMember | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"R{self.round_id}/{self.asset.tag if self.asset else self.asset_id}"


class SaleInterest(Base):
    """A staff member wants this item (registered while the round is open)."""

    __tablename__ = "sale_interests"
    __table_args__ = (UniqueConstraint("item_id", "staff_member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("sale_items.id"), index=True)
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[SaleItem] = relationship()
    staff_member: Mapped[StaffMember] = relationship()
