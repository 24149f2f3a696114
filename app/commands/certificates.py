"""`certificate verify CODE` and `certificate pdf NUMBER --out FILE`: checking and reprinting any document."""

from __future__ import annotations

import sys

from ..i18n import _
from ..services import files
from ..services.documents import issued


def register(groups) -> None:
    cert = groups.group("certificate", _("issue, verify and reprint certificates"))
    verify = cert.add_parser("verify", help=_("say whether a certificate exists, is unchanged, and what "
                                              "it covers (the code of its QR code, or its number)"))
    verify.add_argument("code", metavar="CODE")
    verify.set_defaults(handler=_verify)
    pdf = cert.add_parser("pdf", help=_("write the document exactly as it was issued"))
    pdf.add_argument("number", metavar="NUMBER")
    pdf.add_argument("--out", metavar="FILE.pdf", required=True)
    pdf.set_defaults(handler=_pdf)


def _verify(session, args) -> int:
    result = issued.verify_code(session, args.code)
    print(result.message())
    for device in result.covered:
        print("  " + "  ".join(str(device.get(k) or "—") for k in ("tag", "category", "model", "serial")
                               if k in device))
    if result.ok and result.covered:
        print(_("{count} devices.", count=len(result.covered)))
    return 0 if result.ok else 2


def _pdf(session, args) -> int:
    document = issued.get_document(session, args.number)
    files.write_bytes(args.out, document.pdf)
    print(_("{number} written to {path}.", number=document.number, path=args.out))
    if not issued.verify(session, document.number, document.pdf):
        print(issued.Verification(document.number, issued.Verdict.ALTERED).message(), file=sys.stderr)
        return 2
    return 0
