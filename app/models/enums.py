"""Enumerations of the domain, stored by value (portable between SQLite and PostgreSQL)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum as SAEnum


class AssetStatus(enum.StrEnum):
    ANNOUNCED = "announced"
    RECEIVED = "received"
    IN_REFURBISHMENT = "in_refurbishment"
    READY = "ready"
    RESERVED = "reserved"
    TRANSFERRED = "transferred"
    SOLD = "sold"
    AWAITING_DISPOSAL = "awaiting_disposal"
    DISPOSED = "disposed"


class Category(enum.StrEnum):
    LAPTOP = "laptop"
    DESKTOP = "desktop"
    MONITOR = "monitor"
    SMARTPHONE = "smartphone"
    TABLET = "tablet"
    PRINTER = "printer"
    SERVER = "server"
    NETWORK = "network"
    OTHER = "other"


class Grade(enum.StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class MediumKind(enum.StrEnum):
    HDD = "hdd"
    SSD = "ssd"
    NVME = "nvme"
    EMMC = "emmc"
    FLASH = "flash"


class PartyType(enum.StrEnum):
    SERVICE = "service"  # a provincial service: origin of devices, internal recipient
    SCHOOL = "school"
    CHARITY = "charity"
    PUBLIC_BODY = "public_body"
    RECYCLER = "recycler"
    CARRIER = "carrier"
    STAFF = "staff"


class Role(enum.StrEnum):
    TECHNICIAN = "technician"
    MANAGER = "manager"
    AUDITOR = "auditor"
    ADMIN = "admin"


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """A string column restricted to the enum's values by a CHECK constraint."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
