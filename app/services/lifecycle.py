"""The asset lifecycle: one state machine, the only code that changes an asset's status.

The transitions are data (name, from-states, to-state, guards). Guards are
functions that return a reason when the transition must not happen; later
workflows (refurbishment checklists, sanitisation, certificates, disposal
batches) add theirs with `register_guard`. A refused transition raises a
domain error and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..i18n import N_, _
from ..models import Asset, AssetStatus, Party, PartyType, User, utcnow
from ..timefmt import format_local
from . import audit
from .errors import GuardFailed, IllegalTransition, NotFound, StaleRecord, ValidationError
from .uow import unit_of_work

S = AssetStatus

# A guard looks at the asset and the transition's context and returns a reason
# (English source text, translated when shown) or None when all is well.
Guard = Callable[[Session, Asset, dict], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[AssetStatus | None]
    target: AssetStatus
    label: str
    guards: list[Guard] = field(default_factory=list, compare=False)


RESERVATION_PURPOSES = ("handover", "sale", "internal")


def _grade_set(session: Session, asset: Asset, ctx: dict) -> str | None:
    return None if asset.grade is not None else N_("no cosmetic grade (A/B/C/D) is set")


def _checklist_done(session: Session, asset: Asset, ctx: dict) -> str | None:
    from .refurbishment import checklist_problem  # the bench's rule, applied here so no screen skips it

    return checklist_problem(session, asset)


def _data_destroyed(session: Session, asset: Asset, ctx: dict) -> str | None:
    """Nothing that can hold data leaves unless every medium was verifiably sanitised."""
    from .sanitisation import release_problem

    return release_problem(session, asset)


def _data_recorded(session: Session, asset: Asset, ctx: dict) -> str | None:
    """At disposal a wipe or destruction record is needed (the processor destroys the rest)."""
    from .sanitisation import release_problem

    return release_problem(session, asset, require_verified=False)


def _purpose_given(session: Session, asset: Asset, ctx: dict) -> str | None:
    if ctx.get("purpose") not in RESERVATION_PURPOSES:
        return N_("say what the reservation is for (handover, sale or internal)")
    return None


def _recipient_given(session: Session, asset: Asset, ctx: dict) -> str | None:
    recipient = ctx.get("recipient")
    if not isinstance(recipient, Party):
        return N_("no recipient is recorded")
    if not recipient.active:
        return N_("the recipient is deactivated")
    if ctx.get("_name") == "sell" and recipient.type != PartyType.STAFF:
        return N_("a sale is only to a staff member")
    return None


def _labels_removed(session: Session, asset: Asset, ctx: dict) -> str | None:
    if not ctx.get("labels_removed"):
        return N_("confirm that the province's labels and inventory stickers were removed")
    return None


def _t(name, sources, target, label, *guards) -> Transition:
    return Transition(name, frozenset(sources), target, label, list(guards))


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("announce", {None}, S.ANNOUNCED, N_("announce")),
        _t("receive", {None, S.ANNOUNCED}, S.RECEIVED, N_("receive")),
        _t("start_checks", {S.RECEIVED}, S.IN_REFURBISHMENT, N_("start checks")),
        _t("pass_checks", {S.IN_REFURBISHMENT}, S.READY, N_("pass checks"), _grade_set,
           _checklist_done, _data_destroyed),
        _t("fail_checks", {S.IN_REFURBISHMENT}, S.AWAITING_DISPOSAL, N_("fail checks")),
        _t("retire", {S.RECEIVED, S.READY, S.RESERVED}, S.AWAITING_DISPOSAL, N_("retire")),
        _t("reserve", {S.READY}, S.RESERVED, N_("reserve"), _purpose_given),
        _t("release", {S.RESERVED}, S.READY, N_("release the reservation")),
        _t("transfer", {S.RESERVED}, S.TRANSFERRED, N_("hand over"), _recipient_given,
           _labels_removed, _data_destroyed),
        _t("sell", {S.RESERVED}, S.SOLD, N_("sell"), _recipient_given, _labels_removed,
           _data_destroyed),
        _t("return_after_second_life", {S.TRANSFERRED, S.SOLD}, S.AWAITING_DISPOSAL,
           N_("take back after its second life")),
        _t("return_for_checks", {S.TRANSFERRED, S.SOLD}, S.RECEIVED, N_("take back for another check")),
        _t("dispose", {S.AWAITING_DISPOSAL}, S.DISPOSED, N_("dispose"), _data_recorded),
    )
}

# Back from a second life: the wipes made before it no longer count (services/sanitisation.py).
RETURNS = frozenset({"return_after_second_life", "return_for_checks"})
# A device that leaves the warehouse leaves its shelf too: the location is cleared in the same
# audited change, so the inventory shows no shelf and the shelf counts only what is on it.
LEFT_THE_WAREHOUSE = frozenset({AssetStatus.TRANSFERRED, AssetStatus.SOLD, AssetStatus.DISPOSED})

STATUS_LABELS: dict[AssetStatus, str] = {
    S.ANNOUNCED: N_("announced"),
    S.RECEIVED: N_("received"),
    S.IN_REFURBISHMENT: N_("in refurbishment"),
    S.READY: N_("ready"),
    S.RESERVED: N_("reserved"),
    S.TRANSFERRED: N_("transferred"),
    S.SOLD: N_("sold"),
    S.AWAITING_DISPOSAL: N_("awaiting disposal"),
    S.DISPOSED: N_("disposed"),
}


def status_label(status: AssetStatus | None) -> str:
    return _(STATUS_LABELS[status]) if status else _("new")


def register_guard(transition: str, guard: Guard) -> None:
    """Add a guard to a transition (used by later workflows: sanitisation, certificates…)."""
    TRANSITIONS[transition].guards.append(guard)


def allowed_transitions(status: AssetStatus | None) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


def _describe_sources(t: Transition) -> str:
    return " / ".join(status_label(s) for s in sorted(t.sources, key=lambda s: s or ""))


def check(session: Session, asset: Asset, name: str, ctx: dict | None = None) -> Transition:
    """Raise the domain error that `name` would hit on `asset` now; return the transition if none."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise ValidationError(N_("Unknown action: {name}."), name=name)
    ctx = dict(ctx or {}, _name=name)
    current = asset.status
    if current not in t.sources:
        raise IllegalTransition(tag=asset.tag or "?", status=status_label(current),
                                action=_(t.label), allowed=_describe_sources(t))
    for guard in t.guards:
        reason = guard(session, asset, ctx)
        if reason:
            raise GuardFailed(tag=asset.tag or "?", action=_(t.label), reason=reason)
    return t


def enter(session: Session, asset: Asset, name: str, actor, ctx: dict | None = None) -> None:
    """Apply transition `name` to `asset` inside the caller's unit of work."""
    t = check(session, asset, name, ctx)
    session.info[audit.LIFECYCLE_KEY] = True
    try:
        asset.status = t.target
        asset.status_changed_at = utcnow()
        asset.updated_by_id = actor.id
        if name in ("transfer", "sell"):
            asset.recipient_id = ctx["recipient"].id
        if name in RETURNS:
            asset.returned_at = asset.status_changed_at
        if t.target in LEFT_THE_WAREHOUSE:
            asset.location_id = None
        session.flush()
    finally:
        session.info.pop(audit.LIFECYCLE_KEY, None)


def enter_many(session: Session, assets: list[Asset], name: str, actor,
               ctx: dict | None = None) -> None:
    """`enter` for many assets with one flush: the same checks per asset, one audit event each.

    Every asset is checked before any is changed, so a refusal changes nothing (and the
    caller's unit of work rolls back what it added).
    """
    checked = [check(session, asset, name, ctx) for asset in assets]
    if not checked:
        return
    session.info[audit.LIFECYCLE_KEY] = True
    try:
        now = utcnow()
        for asset, t in zip(assets, checked, strict=True):
            asset.status = t.target
            asset.status_changed_at = now
            asset.updated_by_id = actor.id
            if name in ("transfer", "sell"):
                asset.recipient_id = ctx["recipient"].id
            if name in RETURNS:
                asset.returned_at = now
            if t.target in LEFT_THE_WAREHOUSE:
                asset.location_id = None
        session.flush()
    finally:
        session.info.pop(audit.LIFECYCLE_KEY, None)


def apply(session: Session, actor, asset_id: int, name: str, *,
          expected_version: int | None = None, **ctx) -> Asset:
    """Service: apply one transition to one asset, as one transaction with one audit event."""
    with unit_of_work(session, actor, name, permission=f"lifecycle.{name}"):
        # Row lock (PostgreSQL) + fresh values: a second desk waits, then sees the new status.
        asset = session.get(Asset, asset_id, with_for_update=True, populate_existing=True)
        if asset is None:
            raise NotFound(what=str(asset_id))
        if expected_version is not None and asset.version != expected_version:
            raise stale(session, asset)
        enter(session, asset, name, actor, ctx)
    return asset


def stale(session: Session, asset: Asset) -> StaleRecord:
    who = session.get(User, asset.updated_by_id) if asset.updated_by_id else None
    when = format_local(asset.updated_at, seconds=True)
    return StaleRecord(what=asset.tag, user=who.display_name if who else _("someone"), time=when)

