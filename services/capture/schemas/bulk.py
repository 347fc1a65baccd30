"""A bulk request: many commands of any kind, applied in one transaction, all or nothing."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field

from services.capture.schemas.batches import (
    CertifyBatchItem,
    CorrectItem,
    HarvestItem,
    InspectItem,
    LabelItem,
    ProcessItem,
    RecallItem,
    ReceiveItem,
    SellItem,
    ShipItem,
    TransformItem,
)
from services.capture.schemas.chains import (
    EndContractItem,
    EstablishValueChainItem,
    JoinItem,
    LeaveItem,
    SignContractItem,
)
from services.capture.schemas.common import RequestModel
from services.capture.schemas.diary import DiaryItem
from services.capture.schemas.glns import RegisterGlnItem
from services.capture.schemas.gtins import (
    LicenceItem,
    ProductItem,
    RegisterGtinItem,
    RevocationItem,
)
from services.capture.schemas.households import (
    AssignHouseholdPlotItem,
    ForgetHouseholdItem,
    RegisterHouseholdItem,
)
from services.capture.schemas.organisations import (
    ExpireCertificationItem,
    GrantCertificationItem,
    ReclassifyItem,
    RegisterCooperativeItem,
    RegisterEnterpriseItem,
    StatusItem,
    SupportItem,
)
from services.capture.schemas.plots import CertifyPlotItem, RegisterPlotItem
from services.capture.schemas.recalls import AcknowledgeItem, LiftItem, NoticeItem, ReturnsItem
from services.capture.schemas.standing import (
    EnterpriseStatusItem,
    ProfileVisibilityItem,
    PublicationItem,
)

MAX_COMMANDS = 5_000

BulkItem = (
    RegisterCooperativeItem
    | RegisterEnterpriseItem
    | ReclassifyItem
    | StatusItem
    | EnterpriseStatusItem
    | PublicationItem
    | ProfileVisibilityItem
    | SupportItem
    | GrantCertificationItem
    | ExpireCertificationItem
    | EstablishValueChainItem
    | JoinItem
    | LeaveItem
    | SignContractItem
    | EndContractItem
    | RegisterPlotItem
    | CertifyPlotItem
    | RegisterHouseholdItem
    | AssignHouseholdPlotItem
    | ForgetHouseholdItem
    | HarvestItem
    | DiaryItem
    | ProcessItem
    | TransformItem
    | ShipItem
    | ReceiveItem
    | InspectItem
    | CertifyBatchItem
    | LabelItem
    | RegisterGtinItem
    | RegisterGlnItem
    | LicenceItem
    | RevocationItem
    | ProductItem
    | RecallItem
    | NoticeItem
    | AcknowledgeItem
    | ReturnsItem
    | LiftItem
    | SellItem
    | CorrectItem
)

BULK_TYPES = frozenset(
    get_args(item.model_fields["type"].annotation)[0] for item in get_args(BulkItem)
)


class BulkRequest(RequestModel):
    commands: list[Annotated[BulkItem, Field(discriminator="type")]] = Field(
        min_length=1,
        max_length=MAX_COMMANDS,
        description="applied in order, in one transaction: all are stored, or none",
    )
