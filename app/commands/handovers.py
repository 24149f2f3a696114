"""`handover …` and `recipient list`: requests, reservations and the desk from the command line.

The same services as the handovers page: `handover list` shows open requests
and batches, `handover propose RQ-…` the matching ready stock, `handover
reserve RQ-… --actor mia` accepts every proposal, `handover scan HB-… TAG…` ticks
devices off at the desk, `handover complete HB-… --labels-removed --out F.pdf`
hands them over and writes the certificate, `handover cancel HB-…` releases
the reservations. Checking and reprinting a certificate are `certificate
verify` and `certificate pdf`.
"""

from __future__ import annotations

from sqlalchemy import select

from ..i18n import _
from ..models import HandoverBatch, HandoverRequest
from ..services import files, handover_requests, handovers, parties
from ..services.documents.intake_receipt import category_name
from ..services.errors import NotFound
from . import user_named, write_issued


def register(groups) -> None:
    grp = groups.group("handover", _("requests, reservations and handovers for a second life"))
    cmd = grp.add_parser("list", help=_("open requests and handover batches"))
    cmd.add_argument("--all", action="store_true", help=_("include completed and cancelled ones"))
    cmd.set_defaults(handler=_list)
    cmd = grp.add_parser("propose", help=_("the ready devices that match a request, oldest in first"))
    cmd.add_argument("request", metavar="REQUEST")
    cmd.set_defaults(handler=_propose)
    cmd = grp.add_parser("reserve", help=_("reserve every proposed device for a request"))
    cmd.add_argument("request", metavar="REQUEST")
    cmd.add_argument("--actor", metavar="USER", required=True)
    cmd.set_defaults(handler=_reserve)
    cmd = grp.add_parser("show", help=_("the devices of a handover batch: scanned and missing"))
    cmd.add_argument("batch", metavar="BATCH")
    cmd.set_defaults(handler=_show)
    cmd = grp.add_parser("scan", help=_("tick devices of a handover batch off at the desk"))
    cmd.add_argument("batch", metavar="BATCH")
    cmd.add_argument("codes", metavar="TAG", nargs="+")
    cmd.add_argument("--actor", metavar="USER", required=True)
    cmd.set_defaults(handler=_scan)
    cmd = grp.add_parser("complete", help=_("hand the batch over and write its certificate"))
    cmd.add_argument("batch", metavar="BATCH")
    cmd.add_argument("--actor", metavar="USER", required=True)
    cmd.add_argument("--labels-removed", action="store_true",
                     help=_("confirm that the province's labels and inventory stickers were removed"))
    cmd.add_argument("--out", metavar="FILE.pdf")
    cmd.add_argument("--lang", choices=("nl", "en"))
    cmd.set_defaults(handler=_complete)
    cmd = grp.add_parser("cancel", help=_("cancel a handover batch: its devices are ready again"))
    cmd.add_argument("batch", metavar="BATCH")
    cmd.add_argument("--actor", metavar="USER", required=True)
    cmd.set_defaults(handler=_cancel)

    rec = groups.group("recipient", _("schools, charities and services that receive devices"))
    cmd = rec.add_parser("list", help=_("recipients, optionally only those matching a search"))
    cmd.add_argument("search", nargs="?", default="")
    cmd.add_argument("--all", action="store_true", help=_("include deactivated recipients"))
    cmd.set_defaults(handler=_recipients)


def _request(session, number: str) -> HandoverRequest:
    found = session.scalar(select(HandoverRequest).where(HandoverRequest.number == number.strip().upper()))
    if found is None:
        raise NotFound(what=number)
    return found


def _batch(session, number: str) -> HandoverBatch:
    found = session.scalar(select(HandoverBatch).where(HandoverBatch.number == number.strip().upper()))
    if found is None:
        raise NotFound(what=number)
    return found


def _line_text(line) -> str:
    parts = [f"{line.quantity} × {category_name(line.category)}"]
    if line.min_grade:
        parts.append(_("grade {grade} or better", grade=line.min_grade.value))
    if line.min_ram_gb:
        parts.append(_("≥ {n} GB RAM", n=line.min_ram_gb))
    if line.min_storage_gb:
        parts.append(_("≥ {n} GB storage", n=line.min_storage_gb))
    return ", ".join(parts)


def _list(session, args) -> int:
    for request in handover_requests.list_requests(session, include_closed=args.all):
        needed = request.needed_by.isoformat() if request.needed_by else "—"
        print(f"{request.number}  {handover_requests.status_label(request.status):<12} "
              f"{request.recipient.name}  ({_('needed by {date}', date=needed)})")
        for line in request.lines:
            print(f"    {_line_text(line)}")
    for batch in handovers.open_batches(session):
        state = handovers.desk_state(session, batch.id)
        print(_("{batch} for {recipient}: {scanned} of {total} scanned", batch=batch.number,
                recipient=state.recipient, scanned=state.scanned, total=len(state.items)))
    return 0


def _propose(session, args) -> int:
    request = _request(session, args.request)
    proposals = handover_requests.propose(session, request.id)
    for p in proposals:
        print(f"{p.tag}  {p.manufacturer} {p.model}  {p.serial or '—'}  {p.grade or '—'}  "
              f"{p.ram_gb or '—'} GB / {p.storage_gb or '—'} GB")
    print(_("{count} devices proposed.", count=len(proposals)))
    return 0


def _reserve(session, args) -> int:
    actor = user_named(session, args.actor)
    request = _request(session, args.request)
    picks = [(p.line_id, p.asset_id) for p in handover_requests.propose(session, request.id)]
    batch = handover_requests.reserve(session, actor, request.id, picks)
    print(_("{count} devices reserved in handover {batch}.", count=len(picks), batch=batch.number))
    return 0


def _show(session, args) -> int:
    state = handovers.desk_state(session, _batch(session, args.batch).id)
    for item in state.items:
        mark = _("scanned") if item.scanned else _("missing")
        print(f"{item.tag}  {item.manufacturer} {item.model}  {item.serial or '—'}  {mark}")
    print(_("{batch} for {recipient}: {scanned} of {total} scanned", batch=state.number,
            recipient=state.recipient, scanned=state.scanned, total=len(state.items)))
    return 0 if not state.missing else 2


def _scan(session, args) -> int:
    actor = user_named(session, args.actor)
    batch = _batch(session, args.batch)
    for code in args.codes:
        result = handovers.scan_at_desk(session, actor, batch.id, code)
        print(_("{tag}: {scanned} of {total} scanned", tag=result.tag, scanned=result.scanned,
                total=result.total))
    return 0


def _complete(session, args) -> int:
    actor = user_named(session, args.actor)
    batch = _batch(session, args.batch)
    if args.out:
        files.check_writable(args.out)  # a wrong --out is refused before the batch is completed
    document = handovers.complete_handover(session, actor, batch.id, args.labels_removed,
                                           language=args.lang)
    print(_("Handover {batch} completed: certificate {number}.", batch=batch.number,
            number=document.number))
    if args.out and not write_issued(document, args.out):
        return 1
    return 0


def _cancel(session, args) -> int:
    actor = user_named(session, args.actor)
    batch = handover_requests.cancel_batch(session, actor, _batch(session, args.batch).id)
    print(_("Handover {batch} cancelled: its devices are ready again.", batch=batch.number))
    return 0


def _recipients(session, args) -> int:
    for party in parties.search_recipients(session, args.search, include_inactive=args.all):
        state = "" if party.active else f"  ({_('deactivated')})"
        print(f"{party.name}  [{parties.type_label(party.type)}]  {party.enterprise_number or '—'}  "
              f"{party.city or ''}{state}")
    return 0
