"""SQLAlchemy models: one module per aggregate. Importing this package registers them all."""

from .asset import Asset, StorageMedium
from .audit import GENESIS_HASH, AuditEvent, AuditHead, Counter
from .base import Base, UTCDateTime, utcnow
from .bench import (
    ChecklistResult,
    CheckOutcome,
    PartKind,
    SanitisationMethod,
    SanitisationOutcome,
    SanitisationRecord,
    SparePart,
    VerificationResult,
)
from .count import CountFinding, CountResolution, StockCount, StockCountLine
from .document import Document, DocumentKind, document_assets
from .disposal import (  # noqa: F401 (end of life: processors, disposal batches)
    CertificationScheme, DisposalBatch, DisposalItem, DisposalStatus, DisposalWeighing,
    ProcessorCertificate, ProcessorCertification, WasteStream)
from .enums import AssetStatus, Category, Grade, MediumKind, PartyType, Role
from .handover import (  # noqa: F401 (second life: requests, batches)
    BatchStatus, HandoverBatch, HandoverItem, HandoverRequest, RequestLine, RequestStatus)
from .location import Location
from .lot import IntakeLot
from .organisation import Organisation
from .party import Party
from .sales import (  # noqa: F401 (staff resale: staff members, rounds, items, interest)
    ItemStatus, PaymentMethod, RoundStatus, SaleInterest, SaleItem, SaleRound, StaffMember)
from .user import SignInThrottle, User

__all__ = [
    "Asset", "AssetStatus", "AuditEvent", "AuditHead", "Base", "Category", "Counter",
    "Document", "DocumentKind", "document_assets", "ChecklistResult", "CheckOutcome", "PartKind",
    "SanitisationMethod", "SanitisationOutcome", "SanitisationRecord", "SparePart",
    "VerificationResult", "CountFinding", "CountResolution", "StockCount", "StockCountLine",
    "GENESIS_HASH", "Grade", "IntakeLot", "Location", "MediumKind", "Organisation", "Party",
    "PartyType", "Role", "StorageMedium", "User", "UTCDateTime", "utcnow",
]
