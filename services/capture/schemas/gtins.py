"""Request and answer bodies for GTINs: registering them, licensing partners, who owns which."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from services.capture.schemas.common import LongText, RequestModel
from shared.records import commands as c

GtinText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=8, max_length=14, pattern=r"^\d+$"),
    Field(description="a GTIN-8, -12, -13 or -14 with its check digit"),
]
Prefix = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=4, max_length=12, pattern=r"^\d+$"),
    Field(description="a GS1 company prefix (893… in Vietnam): covers every GTIN under it"),
]


class RegisterGtinBody(RequestModel):
    gtin: GtinText | None = None
    company_prefix: Prefix | None = None

    def to_command(self, organisation_id: UUID) -> c.RegisterGtin:
        return c.RegisterGtin(
            organisation_id=organisation_id, gtin=self.gtin, company_prefix=self.company_prefix
        )


class RegisterGtinItem(RegisterGtinBody):
    type: Literal["register_gtin"]
    organisation_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.organisation_id)


class LicenceBody(RequestModel):
    licensee_id: UUID = Field(description="the partner allowed to label with the GTIN")
    value_chain_id: UUID = Field(description="a chain in which owner and partner take part")

    def to_command(self, gtin: str) -> c.LicenseGtin:
        return c.LicenseGtin(
            gtin=gtin, licensee_id=self.licensee_id, value_chain_id=self.value_chain_id
        )


class LicenceItem(LicenceBody):
    type: Literal["license_gtin"]
    gtin: GtinText

    def command(self) -> c.Command:
        return self.to_command(self.gtin)


class RevocationBody(RequestModel):
    reason: LongText

    def to_command(self, gtin: str, licensee_id: UUID) -> c.RevokeGtinLicence:
        return c.RevokeGtinLicence(gtin=gtin, licensee_id=licensee_id, reason=self.reason)


class RevocationItem(RevocationBody):
    type: Literal["revoke_gtin_licence"]
    gtin: GtinText
    licensee_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.gtin, self.licensee_id)


class LicenceOut(BaseModel):
    licensee_id: str
    gtin: str


class GtinOwnerOut(BaseModel):
    gtin: str = Field(description="the GTIN asked about, as GTIN-14")
    registered: str = Field(description="the registration that decides: gtin:… or prefix:…")
    owner_id: str
    licences: list[LicenceOut]


ProductName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    Field(description="the product's name as the buyer reads it"),
]
OptionalName = Annotated[
    str | None, StringConstraints(strip_whitespace=True, max_length=120), Field(default=None)
]
Brand = Annotated[
    str | None,
    StringConstraints(strip_whitespace=True, max_length=80),
    Field(default=None, description="the brand printed on the bag"),
]
PhotoDigest = Annotated[
    str | None,
    StringConstraints(pattern=r"^[0-9a-f]{64}$"),
    Field(
        default=None,
        description="the SHA-256 of a photo uploaded in the app (/app/products/{gtin})",
    ),
]


class ProductBody(RequestModel):
    """What the GTIN's owner says of its product (replaces what it said before)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "name_vi": "Gạo nếp cái hoa vàng Thiệu Hóa",
                    "name_en": "Thieu Hoa yellow-flower glutinous rice",
                    "brand": "HTX Thiệu Hóa",
                    "shelf_life_days": 365,
                }
            ]
        },
    )

    name_vi: ProductName
    name_en: OptionalName
    brand: Brand
    shelf_life_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = Field(
        default=None, description="days from packing; a batch's best-before date wins"
    )
    photo: PhotoDigest

    def to_command(self, gtin: str) -> c.DescribeProduct:
        return c.DescribeProduct(
            gtin=gtin,
            name_vi=self.name_vi,
            name_en=self.name_en,
            brand=self.brand,
            shelf_life_days=self.shelf_life_days,
            photo=self.photo,
        )


class ProductItem(ProductBody):
    type: Literal["describe_product"]
    gtin: GtinText

    def command(self) -> c.Command:
        return self.to_command(self.gtin)
