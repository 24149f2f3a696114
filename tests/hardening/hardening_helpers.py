"""Small builders of import files for the hardening tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

SSD_SERIAL = "S3Z9NB0K123456"
DEPOT_HEADER = ("serial,manufacturer,model,category,cpu,ram_gb,storage_gb,purchase_date,"
                "purchase_cost,warranty_end,origin_service,notes")


def depot_row(serial: str, notes: str = "") -> str:
    return f"{serial},Dell,Latitude 5420,laptop,,,,,,,,{notes}"


def depot_csv(*rows: str) -> bytes:
    return "\n".join((DEPOT_HEADER, *rows)).encode("utf-8")


def wipe_csv(*rows: str) -> bytes:
    header = ("serial,manufacturer,model,tool,tool_version,method,technique,status,pass_errors,"
              "verify_errors,start_time,end_time,verification_method")
    return "\n".join((header, *rows)).encode("utf-8")


def wipe_row(serial: str, status: str = "success", note: str = "full read-back") -> str:
    return (f"{serial},Samsung,SSD 860,nwipe,0.37,clear,overwrite,{status},0,0,"
            f"2026-11-20T09:00:00+01:00,2026-11-20T10:00:00+01:00,{note}")


def workbook(*rows) -> bytes:
    """A register workbook: the depot header, then the rows as given."""
    book = Workbook()
    sheet = book.active
    sheet.append(DEPOT_HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
