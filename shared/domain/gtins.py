"""GTINs: who may label with which GTIN, and which one batch a GTIN + lot names.

An organisation registers the GTINs it owns, or its GS1 company prefix (893… in Vietnam), which
covers every GTIN that starts with it. Only the owner labels with a GTIN, or a chain partner it
licensed to pack under it (a mill packing a retailer's private label). The most specific
registration decides: a GTIN registered on its own, else the longest company prefix.

Both facts are aggregates whose ids derive from their natural keys (uuid5, like registration
numbers): a second owner of a key, or a second batch for one GTIN + lot, is the second
``version 1`` of the same id, which the event store refuses even when two requests race.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from shared.domain import identifiers
from shared.domain.batch import Batch
from shared.domain.errors import InvalidValue, NotPermitted, RuleViolated
from shared.domain.organisations import required_text
from shared.domain.value_chain import ValueChain

# GS1 company prefixes are 4 to 12 digits long, inside the GTIN-13 part of a GTIN-14.
_PREFIX = re.compile(r"\d{4,12}", re.ASCII)
PREFIX_LENGTHS = range(12, 3, -1)  # longest first: the most specific prefix decides


def company_prefix(value: str, field: str = "company_prefix") -> str:
    if not _PREFIX.fullmatch(value):
        msg = f"a GS1 company prefix has 4 to 12 digits, got {value!r}"
        raise InvalidValue(field, msg, code="company_prefix_format", params={"value": value})
    return value


def gtin_key(gtin14: str) -> str:
    return f"gtin:{gtin14}"


def prefix_key(prefix: str) -> str:
    return f"prefix:{prefix}"


def keys_covering(gtin14: str) -> list[str]:
    """Every registration that could cover ``gtin14``, the most specific first."""
    within = gtin14[1:]  # the indicator digit is not part of the company prefix
    return [gtin_key(gtin14), *(prefix_key(within[:n]) for n in PREFIX_LENGTHS)]


def prefixes_covering(prefix: str) -> list[str]:
    """The shorter company prefixes that would contain ``prefix``, the longest first."""
    return [prefix_key(prefix[:n]) for n in PREFIX_LENGTHS if n < len(prefix)]


class GtinOwnership(Aggregate):
    """One registered GTIN or company prefix: its owner and the partners it licensed."""

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"gs1-ownership:{key}")

    @classmethod
    def register(cls, *, key: str, owner_id: UUID, covering: list[GtinOwnership]) -> GtinOwnership:
        """``covering`` are the registrations already made that contain ``key``."""
        for other in covering:
            if other.owner_id != owner_id:
                msg = f"{key} falls under {other.key}, registered to another organisation"
                params = {"gtin": key, "registered": other.key}
                raise NotPermitted(msg, code="gtin_not_owned", params=params)
        return cls(key=key, owner_id=owner_id)

    @event("Registered")
    def __init__(self, key: str, owner_id: UUID) -> None:
        self.key = key
        self.owner_id = owner_id
        self.licences: dict[str, UUID] = {}  # "<licensee id> <gtin14>" -> value chain id

    def license(self, *, gtin14: str, licensee_id: UUID, chain: ValueChain) -> None:
        """Lets ``licensee_id`` label with ``gtin14``: a partner of the owner in ``chain``."""
        if self.key not in keys_covering(gtin14):
            msg = f"{gtin14} is not covered by {self.key}"
            params = {"gtin": gtin14, "key": self.key}
            raise InvalidValue("gtin", msg, code="gtin_not_covered", params=params)
        if licensee_id == self.owner_id:
            msg = "the owner needs no licence for its own GTIN"
            raise InvalidValue("licensee_id", msg, code="licence_to_owner")
        if not (chain.is_participant(self.owner_id) and chain.is_participant(licensee_id)):
            msg = "a licence to pack under a GTIN goes to a partner in one of the owner's chains"
            raise RuleViolated(msg, code="licensee_not_chain_partner")
        if self.licensed(gtin14, licensee_id):
            raise RuleViolated("the partner already holds this licence", code="already_licensed")
        self._licence_granted(gtin14, licensee_id, chain.id)

    @event("LicenceGranted")
    def _licence_granted(self, gtin: str, licensee_id: UUID, value_chain_id: UUID) -> None:
        self.licences[f"{licensee_id} {gtin}"] = value_chain_id

    def revoke_licence(self, *, gtin14: str, licensee_id: UUID, reason: str) -> None:
        if not self.licensed(gtin14, licensee_id):
            raise RuleViolated("the partner holds no such licence", code="not_licensed")
        self._licence_revoked(gtin14, licensee_id, required_text(reason, "reason", 500))

    @event("LicenceRevoked")
    def _licence_revoked(self, gtin: str, licensee_id: UUID, reason: str) -> None:
        self.licences.pop(f"{licensee_id} {gtin}", None)

    def licensed(self, gtin14: str, organisation_id: UUID) -> bool:
        return f"{organisation_id} {gtin14}" in self.licences

    def may_be_used_by(self, gtin14: str, organisation_id: UUID) -> bool:
        return organisation_id == self.owner_id or self.licensed(gtin14, organisation_id)

    @property
    def licensees(self) -> list[dict[str, str]]:
        pairs = (key.split(" ") for key in self.licences)
        return [{"licensee_id": who, "gtin": gtin} for who, gtin in pairs]


class GtinLot(Aggregate):
    """A GTIN + lot, claimed by the one batch it names on labels and in Digital Links."""

    @staticmethod
    def create_id(gtin14: str, lot: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"gtin-lot:{gtin14}/{lot}")

    @event("Claimed")
    def __init__(self, gtin14: str, lot: str, batch_id: UUID, batch_code: str) -> None:
        self.gtin14 = gtin14
        self.lot = lot
        self.batch_id = batch_id
        self.batch_code = batch_code


def in_use(gtin14: str, lot: str, batch_code: str) -> RuleViolated:
    """The refusal of a GTIN + lot that already names another batch."""
    msg = f"GTIN {gtin14} with lot {lot} already names batch {batch_code}: choose another lot"
    params = {"gtin": gtin14, "lot": lot, "batch": batch_code}
    return RuleViolated(msg, code="gtin_lot_in_use", params=params)


def label(
    batch: Batch,
    *,
    by: UUID,
    gtin: str,
    lot: str,
    labels_issued: int,
    at: datetime | None,
    registrations: Callable[[str], list[GtinOwnership]],
    best_before: date | None = None,
    claim_of: Callable[[str, str], GtinLot | None],
) -> GtinLot | None:
    """Labels ``batch``; returns the new GTIN + lot claim to save with it (None if it has it).

    ``registrations(gtin14)`` are those covering a GTIN, the most specific first;
    ``claim_of(gtin14, lot)`` the pair's claim if one exists. Rights and the batch's state are
    checked before anything else, so an outsider learns nothing about the batch or the GTIN."""
    batch.check_acts(by, at)
    gtin14, lot = identifiers.gtin14(gtin), identifiers.lot(lot)
    governing = registrations(gtin14)
    if not governing:
        msg = f"GTIN {gtin14} is registered to no organisation: its owner registers it first"
        raise RuleViolated(msg, code="gtin_not_registered", params={"gtin": gtin14})
    if not governing[0].may_be_used_by(gtin14, by):
        msg = f"GTIN {gtin14} belongs to another organisation, which has not licensed you"
        raise NotPermitted(msg, code="gtin_not_owned", params={"gtin": gtin14})
    claimed = claim_of(gtin14, lot)
    if claimed is not None and claimed.batch_id != batch.id:
        raise in_use(gtin14, lot, claimed.batch_code)
    batch.label(
        by=by, gtin=gtin14, lot=lot, labels_issued=labels_issued, at=at, best_before=best_before
    )
    if claimed is not None:
        return None
    return GtinLot(gtin14=gtin14, lot=lot, batch_id=batch.id, batch_code=batch.code)


# Product details: what the buyer's page says of the thing in the bag ------------------------

PRODUCT_NAME_LIMIT = 120  # fits the buyer's page heading and a 50x30 mm label's name line
BRAND_LIMIT = 80
SHELF_LIFE_DAYS_MAX = 3650  # ten years: more is a typo, not rice
_PHOTO = re.compile(r"[0-9a-f]{64}", re.ASCII)


def product_name(value: str, field: str) -> str:
    return required_text(value, field, PRODUCT_NAME_LIMIT)


def optional_text(value: str | None, field: str, limit: int) -> str | None:
    """Blank means "not said"; otherwise 1 to ``limit`` characters, like ``required_text``."""
    if value is None or not value.strip():
        return None
    return required_text(value, field, limit)


def checked_shelf_life(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= SHELF_LIFE_DAYS_MAX:
        msg = f"a shelf life is 1 to {SHELF_LIFE_DAYS_MAX} days, got {value}"
        params = {"value": value, "limit": SHELF_LIFE_DAYS_MAX}
        raise InvalidValue("shelf_life_days", msg, code="shelf_life_range", params=params)
    return value


def photo_digest(value: str | None) -> str | None:
    """A stored photo's name: the SHA-256 (hex) of its 800 px JPEG (shared/products/photos)."""
    if value is None:
        return None
    if not _PHOTO.fullmatch(value):
        msg = "a photo is named by the SHA-256 (64 lowercase hex digits) of the stored photo"
        raise InvalidValue("photo", msg, code="photo_format", params={"value": value[:80]})
    return value


@dataclass(frozen=True)
class ProductDetails:
    """What a buyer reads of a GTIN's product: both names, the brand, shelf life, photo."""

    name_vi: str
    name_en: str | None
    brand: str | None
    shelf_life_days: int | None
    photo: str | None


def product_details(
    *,
    name_vi: str,
    name_en: str | None,
    brand: str | None,
    shelf_life_days: int | None,
    photo: str | None,
) -> ProductDetails:
    """Checked details: every text bounded so it fits the read models and the pages."""
    return ProductDetails(
        name_vi=product_name(name_vi, "name_vi"),
        name_en=optional_text(name_en, "name_en", PRODUCT_NAME_LIMIT),
        brand=optional_text(brand, "brand", BRAND_LIMIT),
        shelf_life_days=checked_shelf_life(shelf_life_days),
        photo=photo_digest(photo),
    )


class GtinProduct(Aggregate):
    """The product one GTIN-14 names, described by the GTIN's owner (not by a licensee).

    Its own aggregate, keyed by the GTIN-14, rather than events on ``GtinOwnership``: a GTIN
    under a registered company prefix has no ownership aggregate of its own, yet has a product.
    Its events are new, so no older envelope changes."""

    @staticmethod
    def create_id(gtin14: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"gtin-product:{gtin14}")

    @event("Described")
    def __init__(
        self,
        gtin14: str,
        owner_id: UUID,
        name_vi: str,
        name_en: str | None,
        brand: str | None,
        shelf_life_days: int | None,
        photo: str | None,
    ) -> None:
        self.gtin14 = gtin14
        self.owner_id = owner_id
        self._set(name_vi, name_en, brand, shelf_life_days, photo)

    def _set(
        self,
        name_vi: str,
        name_en: str | None,
        brand: str | None,
        shelf_life_days: int | None,
        photo: str | None,
    ) -> None:
        self.name_vi, self.name_en, self.brand = name_vi, name_en, brand
        self.shelf_life_days, self.photo = shelf_life_days, photo

    @property
    def details(self) -> ProductDetails:
        return ProductDetails(
            self.name_vi, self.name_en, self.brand, self.shelf_life_days, self.photo
        )

    def redescribe(self, details: ProductDetails) -> None:
        if details != self.details:  # the same form sent twice records nothing
            self._redescribed(
                details.name_vi,
                details.name_en,
                details.brand,
                details.shelf_life_days,
                details.photo,
            )

    @event("Redescribed")
    def _redescribed(
        self,
        name_vi: str,
        name_en: str | None,
        brand: str | None,
        shelf_life_days: int | None,
        photo: str | None,
    ) -> None:
        self._set(name_vi, name_en, brand, shelf_life_days, photo)


def describe(
    *,
    by: UUID,
    gtin: str,
    details: ProductDetails,
    registrations: Callable[[str], list[GtinOwnership]],
    existing: Callable[[str], GtinProduct | None],
) -> GtinProduct:
    """Describes a GTIN's product: only the owner of the registration that governs the GTIN
    (a licensee packs under it but does not say what it is). Returns the aggregate to save."""
    gtin14 = identifiers.gtin14(gtin)
    governing = registrations(gtin14)
    if not governing:
        msg = f"GTIN {gtin14} is registered to no organisation: its owner registers it first"
        raise RuleViolated(msg, code="gtin_not_registered", params={"gtin": gtin14})
    if governing[0].owner_id != by:
        msg = f"only the owner of GTIN {gtin14} describes its product"
        raise NotPermitted(msg, code="gtin_not_owned", params={"gtin": gtin14})
    product = existing(gtin14)
    if product is None:
        return GtinProduct(
            gtin14=gtin14,
            owner_id=by,
            name_vi=details.name_vi,
            name_en=details.name_en,
            brand=details.brand,
            shelf_life_days=details.shelf_life_days,
            photo=details.photo,
        )
    product.redescribe(details)
    return product
