"""Data sanitisation records per storage medium (NIST SP 800-88 Rev.1), and the release rule.

Nothing that can hold data leaves the warehouse unless its data was
verifiably destroyed: every medium of a data-bearing device needs a record
(wiped, destroyed, or removed into the secure bin) that a second person —
a manager who is not the operator — has verified. `release_problem` is the
guard the lifecycle applies to passing the bench, handing over and selling.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import (
    Asset,
    MediumKind,
    SanitisationMethod,
    SanitisationOutcome,
    SanitisationRecord,
    StorageMedium,
    VerificationResult,
    utcnow,
)
from .errors import DomainError, NotFound, ValidationError
from .uow import unit_of_work


class FourEyesViolation(DomainError):
    message = N_("The person who sanitised a medium cannot verify it: a second person must check it.")


class AlreadyVerified(DomainError):
    message = N_("This sanitisation record was already verified by {user}.")


class FailedRecordCannotBeVerified(DomainError):
    message = N_("This sanitisation failed its own verification; sanitise the medium again or destroy it.")


# Techniques per NIST category, as offered at the bench (free text is allowed too).
TECHNIQUES: dict[SanitisationMethod, tuple[str, ...]] = {
    SanitisationMethod.CLEAR: ("overwrite", "factory_reset"),
    SanitisationMethod.PURGE: ("crypto_erase", "block_erase", "secure_erase", "sanitize_command",
                               "degauss"),
    SanitisationMethod.DESTROY: ("shred", "disintegrate", "pulverise", "incinerate", "drill"),
}


class MediumState(enum.StrEnum):
    VERIFIED = "verified"      # sanitised and verified by a second person: may leave
    UNVERIFIED = "unverified"  # sanitised, waiting for the second person
    FAILED = "failed"          # the last attempt failed verification
    MISSING = "missing"        # no record at all


@dataclass(frozen=True)
class MediumStatus:
    medium: StorageMedium
    state: MediumState
    record: SanitisationRecord | None


def latest_record(session: Session, medium_id: int,
                  since: dt.datetime | None = None) -> SanitisationRecord | None:
    """The newest record of the medium; with `since`, only one made after that moment."""
    query = select(SanitisationRecord).where(SanitisationRecord.medium_id == medium_id)
    if since is not None:
        query = query.where(SanitisationRecord.performed_at > since)
    return session.scalars(query.order_by(SanitisationRecord.id.desc()).limit(1)).first()


def medium_status(session: Session, medium: StorageMedium) -> MediumStatus:
    # A device back from its second life holds its user's data again: only a wipe or
    # destruction recorded after the return counts.
    return _status(medium, latest_record(session, medium.id, since=medium.asset.returned_at))


def statuses_of(session: Session, assets: list[Asset]) -> dict[int, list[MediumStatus]]:
    """`media_statuses` of many devices in two queries per 500 devices, not two per medium
    (a disposal batch or a handover of hundreds of devices is read at every scan)."""
    out: dict[int, list[MediumStatus]] = {a.id: [] for a in assets}
    ids = list(out)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        media = session.scalars(select(StorageMedium).where(StorageMedium.asset_id.in_(chunk))
                                .order_by(StorageMedium.id)).all()
        newest = (select(func.max(SanitisationRecord.id))
                  .join(Asset, Asset.id == SanitisationRecord.asset_id)
                  .where(SanitisationRecord.asset_id.in_(chunk),
                         or_(Asset.returned_at.is_(None),
                             SanitisationRecord.performed_at > Asset.returned_at))
                  .group_by(SanitisationRecord.medium_id))
        records = {r.medium_id: r for r in session.scalars(
            select(SanitisationRecord).where(SanitisationRecord.id.in_(newest)))}
        for medium in media:
            out[medium.asset_id].append(_status(medium, records.get(medium.id)))
    return out


def _status(medium: StorageMedium, record: SanitisationRecord | None) -> MediumStatus:
    if record is None:
        state = MediumState.MISSING
    elif record.verification_result != VerificationResult.PASSED:
        state = MediumState.FAILED
    elif record.verifier_id is None:
        state = MediumState.UNVERIFIED
    else:
        state = MediumState.VERIFIED
    return MediumStatus(medium, state, record)


def media_statuses(session: Session, asset: Asset) -> list[MediumStatus]:
    return statuses_of(session, [asset])[asset.id]


def release_problem(session: Session, asset: Asset, require_verified: bool = True,
                    statuses: list[MediumStatus] | None = None) -> str | None:
    """Why this device may not leave the bench (or the warehouse) yet, or None.

    `statuses`: the device's media statuses when the caller read them already (`statuses_of`).
    """
    if not asset.data_bearing:
        return None
    if statuses is None:
        statuses = media_statuses(session, asset)
    if not statuses:
        return N_("it can hold data but no storage medium is recorded: add its media first")
    wanted = {MediumState.VERIFIED} if require_verified else {MediumState.VERIFIED, MediumState.UNVERIFIED}
    if any(s.state not in wanted for s in statuses):
        if any(s.state == MediumState.UNVERIFIED for s in statuses) and require_verified:
            return N_("a sanitisation record still waits for a second person to verify it")
        return N_("a storage medium has no successful wipe or destruction record")
    return None


def record(session: Session, actor, medium_id: int, **fields) -> SanitisationRecord:
    """Record how one medium was sanitised (or destroyed, or removed to the secure bin)."""
    return record_many(session, actor, [(medium_id, fields)])[0]


def record_many(session: Session, actor,
                entries: list[tuple[int, dict]] | Callable[[], list[tuple[int, dict]]],
                ) -> list[SanitisationRecord]:
    """Record several media at once (a multi-disk wipe report): all of them, or none.

    `entries` may be a function: it then runs inside the write transaction, so what it checks
    (for example "this report is not recorded yet") cannot change before the records are written."""
    with unit_of_work(session, actor, "record_sanitisation", permission="sanitisation.record"):
        if callable(entries):
            entries = entries()
        return [_new_record(session, actor, medium_id, **fields) for medium_id, fields in entries]


def _new_record(session: Session, actor, medium_id: int, *, method: SanitisationMethod | str,
                technique: str, outcome: SanitisationOutcome | str | None = None,
                tool: str | None = None, tool_version: str | None = None,
                verification_method: str | None = None,
                verification_result: VerificationResult | str = VerificationResult.PASSED,
                performed_at: dt.datetime | None = None, media_manufacturer: str | None = None,
                media_model: str | None = None, source: str = "manual",
                report_sha256: str | None = None, notes: str | None = None) -> SanitisationRecord:
    method = SanitisationMethod(method)
    technique = (technique or "").strip()
    if not technique:
        raise ValidationError(N_("Say which technique was used (for example overwrite or shred)."))
    if outcome is None:
        outcome = (SanitisationOutcome.DESTROYED if method == SanitisationMethod.DESTROY
                   else SanitisationOutcome.WIPED)
    outcome = SanitisationOutcome(outcome)
    medium = session.get(StorageMedium, medium_id)
    if medium is None:
        raise NotFound(what=str(medium_id))
    rec = SanitisationRecord(
        medium_id=medium.id, asset_id=medium.asset_id, media_manufacturer=media_manufacturer,
        media_model=media_model, media_serial=medium.serial, media_kind=medium.kind,
        method=method, technique=technique, outcome=outcome, tool=tool, tool_version=tool_version,
        verification_method=verification_method,
        verification_result=VerificationResult(verification_result),
        performed_at=performed_at or utcnow(), operator_id=actor.id, source=source,
        report_sha256=report_sha256, notes=notes)
    session.add(rec)
    if outcome in (SanitisationOutcome.DESTROYED, SanitisationOutcome.REMOVED):
        medium.removed = True  # it is no longer in the device
    return rec


def verify(session: Session, verifier, record_id: int) -> SanitisationRecord:
    """Four-eyes: a second person (a manager, not the operator) confirms the record."""
    with unit_of_work(session, verifier, "verify_sanitisation", permission="sanitisation.verify"):
        rec = session.get(SanitisationRecord, record_id)
        if rec is None:
            raise NotFound(what=str(record_id))
        if rec.verifier_id is not None:
            from ..models import User

            raise AlreadyVerified(user=session.get(User, rec.verifier_id).display_name)
        if rec.verification_result != VerificationResult.PASSED:
            raise FailedRecordCannotBeVerified()
        if rec.operator_id == verifier.id:
            raise FourEyesViolation()
        rec.verifier_id = verifier.id
        rec.verified_at = utcnow()
    return rec


def media_kinds() -> list[MediumKind]:
    return list(MediumKind)
