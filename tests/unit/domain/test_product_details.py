"""A GTIN's product details: bounded texts, a photo named by its SHA-256, the owner only."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain import gtins
from shared.domain.errors import InvalidValue, NotPermitted, RuleViolated
from shared.domain.gtins import GtinOwnership, GtinProduct, ProductDetails

from .builders import A_GTIN_13, THE_COOPERATIVE, THE_RETAILER, assert_refused, saved

GTIN_14 = "0" + A_GTIN_13
RICE = ProductDetails("Gạo nếp cái hoa vàng", "Yellow-flower rice", "HTX", 365, "a" * 64)


def _describe(
    owner: UUID = THE_COOPERATIVE,
    by: UUID = THE_COOPERATIVE,
    existing: GtinProduct | None = None,
    details: ProductDetails = RICE,
) -> GtinProduct:
    ownership = saved(
        GtinOwnership.register(key=gtins.gtin_key(GTIN_14), owner_id=owner, covering=[])
    )
    return gtins.describe(
        by=by,
        gtin=A_GTIN_13,
        details=details,
        registrations=lambda _: [ownership],
        existing=lambda _: existing,
    )


def test_the_owner_describes_its_gtins_product() -> None:
    product = _describe()

    assert (product.gtin14, product.details) == (GTIN_14, RICE)


def test_a_licensee_or_stranger_does_not_describe_the_owners_product() -> None:
    assert_refused(lambda: _describe(owner=THE_RETAILER), NotPermitted, "gtin_not_owned")


def test_an_unregistered_gtin_has_no_product_to_describe() -> None:
    def attempt() -> GtinProduct:
        return gtins.describe(
            by=THE_COOPERATIVE,
            gtin=A_GTIN_13,
            details=RICE,
            registrations=lambda _: [],
            existing=lambda _: None,
        )

    assert_refused(attempt, RuleViolated, "gtin_not_registered")


def test_describing_again_with_the_same_details_records_no_event() -> None:
    product = saved(_describe())

    again = _describe(existing=product)
    renamed = _describe(existing=again, details=ProductDetails("Gạo nếp", None, None, None, None))

    assert renamed.version == 2
    assert renamed.details.name_en is None


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name_vi": "  "}, "text_length"),
        ({"name_vi": "G" * 121}, "text_length"),
        ({"name_en": "E" * 121}, "text_length"),
        ({"brand": "B" * 81}, "text_length"),
        ({"shelf_life_days": 0}, "shelf_life_range"),
        ({"shelf_life_days": 3651}, "shelf_life_range"),
        ({"photo": "not-a-digest"}, "photo_format"),
    ],
)
def test_product_details_out_of_bounds_are_refused(changes: dict[str, object], code: str) -> None:
    given: dict[str, object] = {
        "name_vi": "Gạo",
        "name_en": None,
        "brand": None,
        "shelf_life_days": None,
        "photo": None,
        **changes,
    }

    assert_refused(lambda: gtins.product_details(**given), InvalidValue, code)  # type: ignore[arg-type]


def test_blank_optional_texts_mean_not_said() -> None:
    details = gtins.product_details(
        name_vi=" Gạo ", name_en=" ", brand="", shelf_life_days=None, photo=None
    )

    assert details == ProductDetails("Gạo", None, None, None, None)
